"""The recipe that turns a table into a trained model, as ``tinynet train`` runs it.

Each step is a function, and ``train`` runs them in order:

=============================  ==============================================
step                           what it does
=============================  ==============================================
read_table(source)             a CSV file or a built-in data set -> Table
infer_task(y)                  'classification' or 'regression'
build_network(table, task)     the untrained network and its targets y
split(x, y)                    (x_train, x_val, y_train, y_val)
fit_standardizers(net, ...)    net.standardizer, and a target scaler
fit(net, parts, scale)         the training run -> History
scores(net, parts, task)       loss and accuracy (or mse, rmse) per part
train(table)                   all of the above -> (net, history, report)
evaluate(net, table)           a saved model scored on labelled rows
=============================  ==============================================

The defaults (HIDDEN, ACTIVATION, EPOCHS, ...) are chosen to work on small
tabular data untuned. Nothing here prints: the command line (tinynet.cli)
prints what these return.

>>> net, history, report = train("xor", hidden=[4], epochs=3, seed=0)
>>> report["task"], report["rows"]
('classification', {'training': 4, 'validation': 0})
>>> list(report["scores"])
['loss', 'accuracy']
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import data, metrics, optim
from .data.datasets import shipped_file
from .errors import TinynetError
from .network import History, Network, class_indices

__all__ = [
    "Table", "read_table", "read_for_model", "is_builtin", "brief", "infer_task", "model_classes",
    "label_indices", "targets", "regression_targets", "build_network", "split",
    "fit_standardizers", "unscale_output", "fit", "scores", "train", "evaluate",
]

HIDDEN = [16]
ACTIVATION = "tanh"
LEARNING_RATES = {"adam": 0.01, "sgd": 0.1}
EPOCHS = 300
BATCH_SIZE = 32
VAL_SPLIT = 0.2
PATIENCE = 20
MIN_ROWS_TO_VALIDATE = 10  # fewer rows (xor has 4) all go to training
MAX_INFERRED_CLASSES = 10  # more distinct integers than this mean regression
BUILTIN_SEED = 0  # evaluate, predict and plot draw the synthetic sets with this seed
CLASS_LOSSES = ("cross_entropy", "binary_cross_entropy")

# The built-in sets shipped as CSV files: read those, so that their column
# names (sepal_length, ...) go in the model like a user's file's would.
_BUILTIN_FILES = {"iris": ("iris.csv", "species"), "digits": ("digits.csv.gz", "digit")}

Split = Tuple[list, list, list, list]  # (x_train, x_val, y_train, y_val)


class Table(NamedTuple):
    """Rows read for training or scoring: features x (n, m) and the target column y."""
    x: List[List[float]]
    y: Optional[list]  # the target column: class labels, or floats; None if not read
    feature_names: List[str]
    target_name: Optional[str]
    source: str


# --- reading ------------------------------------------------------------------

def read_table(source: str, *, target: Any = -1, features: Optional[List[str]] = None,
               seed: int = BUILTIN_SEED) -> Table:
    """Return the rows of the CSV file source, or of the built-in data set of
    that name when no such file exists (seed draws the synthetic ones).

    >>> table = read_table("iris")
    >>> len(table.x), table.feature_names[0], table.target_name
    (150, 'sepal_length', 'species')

    Raises TinynetError for a name that is neither a file nor a data set,
    target or features given for a built-in set, or a bad file (see
    data.read_csv).
    """
    if is_builtin(source):
        if target not in (-1, None) or features is not None:
            raise TinynetError(f"target and features apply to CSV files, not to the "
                               f"built-in data set {source!r}")
        return _builtin(source, seed)
    if not os.path.exists(source) and not os.path.splitext(source)[1]:
        raise TinynetError(f"{source!r} is neither a file nor a built-in data set "
                           f"({', '.join(data.DATASETS)})")
    x, y, names, target_name = data.read_csv(source, target=target, features=features)
    return Table(x, y, names, target_name, source)


def _builtin(name: str, seed: int) -> Table:
    if name in _BUILTIN_FILES:
        file, target = _BUILTIN_FILES[name]
        x, y, names, target_name = data.read_csv(shipped_file(file), target=target)
        return Table(x, y, names, target_name, name)
    x, y = data.load_dataset(name, seed=seed)
    if name == "xor":
        y = [row[0] for row in y]
    return Table(x, list(y), [f"x{j}" for j in range(len(x[0]))], "y", name)


def read_for_model(net: Network, source: str, target: Any, *, labelled: bool) -> Table:
    """Return rows laid out like the model's training file: its feature columns by name.

    target is a column the caller names, or None for the model's own.
    labelled=False (for predictions) reads no target, so the column may be
    there or not.

    Raises TinynetError when the rows do not fit the model, or the target
    column is missing for labelled rows.
    """
    if is_builtin(source):
        table = read_table(source, target=target)
    else:
        if labelled and target is None:
            # x0, x1, ... and y are read_csv's names for a file without a header:
            # then the target was the last column
            target = -1 if _headerless(net) or net.target_name is None else net.target_name
        try:
            table = read_table(source, target=target if labelled else None,
                               features=net.feature_names)
        except TinynetError as e:
            if labelled and isinstance(target, str) and f"no column {target!r}" in str(e):
                raise TinynetError(f"{e}; the target column is needed to score the model "
                                   f"(name it with --target, or use predict)") from None
            raise
    if len(table.x[0]) != net.n_in:
        raise TinynetError(f"{table.source} has {len(table.x[0])} feature columns "
                           f"({brief(table.feature_names)}), the model takes {net.n_in}")
    return table


def is_builtin(source: str) -> bool:
    """Return True if source names a built-in data set and no file of that name exists.

    >>> is_builtin("iris"), is_builtin("iris.csv")
    (True, False)
    """
    # A file of that name wins, so that a CSV called "iris" is still read.
    return source in data.DATASETS and not os.path.isfile(source)


def _headerless(net: Network) -> bool:
    # read_csv names the columns x0, x1, ... and y when a file has no header.
    names = net.feature_names or []
    return net.target_name == "y" and names == [f"x{j}" for j in range(len(names))]


def brief(names: List[str], limit: int = 6) -> str:
    """Return the first limit names joined by commas, and how many there are in all.

    >>> brief(["a", "b", "c"], limit=2)
    'a, b, ... (3 in all)'
    """
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


# --- the task and the targets -------------------------------------------------

def _label(v: Any) -> Any:
    """A class label as a user writes it: CSV numbers come back as floats, 2.0 -> 2."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def infer_task(y: list) -> str:
    """Return 'classification' for text labels or a few distinct integers, else 'regression'.

    A few: 2 to MAX_INFERRED_CLASSES distinct values, and at most half as
    many as there are rows.

    >>> infer_task(["cat", "dog"]), infer_task([0.0, 1.0, 1.0, 0.0]), infer_task([0.5, 2.0])
    ('classification', 'classification', 'regression')
    """
    if any(isinstance(v, str) for v in y):
        return "classification"
    distinct = set(y)
    few = 2 <= len(distinct) <= min(MAX_INFERRED_CLASSES, len(y) // 2)
    return "classification" if few and all(v.is_integer() for v in map(float, distinct)) \
        else "regression"


def _inferred_from(y: list, task: str) -> str:
    if any(isinstance(v, str) for v in y):
        return "text labels"
    return "few distinct integers" if task == "classification" else "numbers"


def model_classes(net: Network) -> List[Any]:
    """Return the model's class labels; 0..k-1 for a classifier saved without them.

    >>> model_classes(Network([2, 3], output_activation="softmax", seed=0))
    [0, 1, 2]
    """
    return net.classes or list(range(max(net.n_out, 2)))


def label_indices(net: Network, table: Table) -> List[int]:
    """Return the index in the model's classes of each label of the table.

    Raises TinynetError for a label that is not one of the model's classes.
    """
    classes = model_classes(net)
    text = all(isinstance(c, str) for c in classes)
    position = {c: i for i, c in enumerate(classes)}
    out = []
    for v in table.y:
        v = _label(v)
        v = str(v) if text and not isinstance(v, str) else v
        if v not in position:
            raise TinynetError(
                f"{table.source}: the label {v!r} in column {table.target_name!r} is not "
                f"one of the model's classes ({', '.join(map(str, classes))})")
        out.append(position[v])
    return out


def targets(indices: Sequence[int], n_out: int) -> List[List[float]]:
    """Return the target rows for class indices: one-hot (n, n_out), or the
    index itself (n, 1) for a single sigmoid output.

    >>> targets([1, 0], 2), targets([1, 0], 1)
    ([[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]])
    """
    if n_out == 1:
        return [[float(i)] for i in indices]
    return data.one_hot(indices, classes=list(range(n_out)))[0]


def regression_targets(table: Table, op: str) -> List[List[float]]:
    """Return the target column as an (n, 1) matrix of floats.

    Raises TinynetError, naming op, for a text cell.
    """
    for v in table.y:
        if isinstance(v, str):
            raise TinynetError(
                f"{op}: {table.source}: the target column {table.target_name!r} must be "
                f"numbers for a regressor, got {v!r}")
    return [[float(v)] for v in table.y]


# --- the network ----------------------------------------------------------------

def build_network(table: Table, task: str, *, hidden: Sequence[int] = HIDDEN,
                  activation: str = ACTIVATION, output_activation: Optional[str] = None,
                  loss: Optional[str] = None, seed: Any = 0) -> Tuple[Network, list]:
    """Return (net, y): the untrained network for the task, with the table's
    column names and classes, and the targets y it is to fit.

    A classifier gets softmax and cross-entropy (one sigmoid output with
    binary_cross_entropy on two classes); a regressor gets an identity
    output and mse.

    Raises TinynetError for empty class cells, a single class, or a class
    loss for a regression.
    """
    if task == "classification":
        loss = loss or "cross_entropy"
        classes, y = _classes_and_targets(table, loss)
        out_act = output_activation or (
            "sigmoid" if loss == "binary_cross_entropy" else "softmax")
    else:
        if loss in CLASS_LOSSES:
            raise TinynetError(f"build_network: loss {loss} needs class labels, but the "
                               f"target {table.target_name!r} is treated as a number")
        y = regression_targets(table, "train")
        loss, classes = loss or "mse", None
        out_act = output_activation or "identity"
    sizes = [len(table.x[0])] + list(hidden) + [len(y[0])]
    net = Network(sizes, activation=activation, output_activation=out_act,
                  loss=loss, seed=seed)
    net.classes, net.feature_names = classes, list(table.feature_names)
    net.target_name = table.target_name
    return net, y


def _classes_and_targets(table: Table, loss: str) -> Tuple[List[Any], List[List[float]]]:
    labels = [_label(v) for v in table.y]
    if "" in labels:
        raise TinynetError(f"train: {table.source}: the target column "
                           f"{table.target_name!r} has empty cells")
    classes = sorted(set(labels))  # all text or all numbers, as read_csv gives
    if len(classes) < 2:
        raise TinynetError(f"train: {table.source}: the target column "
                           f"{table.target_name!r} has one class only, {classes[0]!r}; "
                           f"a classifier needs two or more")
    binary = loss == "binary_cross_entropy" and len(classes) == 2
    return classes, targets(data.labels_to_indices(labels, classes),
                            1 if binary else len(classes))


def split(x: list, y: list, *, val_split: float = VAL_SPLIT, seed: Any = 0,
          stratify: bool = False) -> Split:
    """Return (x_train, x_val, y_train, y_val); the validation part is empty
    when val_split is 0 or there are fewer than MIN_ROWS_TO_VALIDATE rows.

    >>> split([[0.0], [1.0]], [[0.0], [1.0]], val_split=0.5)
    ([[0.0], [1.0]], [], [[0.0], [1.0]], [])
    """
    if not val_split or len(x) < MIN_ROWS_TO_VALIDATE:
        return x, [], y, []
    return data.train_test_split(x, y, test_size=val_split, seed=seed, stratify=stratify)


def fit_standardizers(net: Network, x_train: list, y_train: list,
                task: str) -> Optional[data.Standardizer]:
    """Set net.standardizer from the training rows; return a Standardizer of
    the target for a regressor with an identity output, else None.

    Standardizing the target too lets the defaults fit prices and
    temperatures alike; unscale_output folds it back into the last layer.
    """
    net.standardizer = data.Standardizer().fit(x_train)
    if task != "regression" or net.layers[-1].activation.name != "identity":
        return None
    return data.Standardizer().fit(y_train)


def unscale_output(net: Network, scale: data.Standardizer) -> None:
    """Fold y = s z + m into the identity output layer: W <- s W, b <- s b + m."""
    last = net.layers[-1]
    last.weights = [[w * s for w, s in zip(row, scale.std)] for row in last.weights]
    last.biases = [b * s + m for b, s, m in zip(last.biases, scale.std, scale.mean)]


# --- training and scoring -------------------------------------------------------

def fit(net: Network, parts: Split, scale: Optional[data.Standardizer] = None, *,
        optimizer: str = "adam", lr: Optional[float] = None, l2: float = 0.0,
        epochs: int = EPOCHS, batch_size: int = BATCH_SIZE, patience: int = PATIENCE,
        seed: Any = 0, callback: Optional[Callable[[int, dict], None]] = None) -> History:
    """Train net on parts = (x_train, x_val, y_train, y_val); return the History.

    With a target scale the network learns the standardized target, and its
    output layer is unscaled afterwards, so net predicts in the target's own
    units. patience 0 never stops early. lr None takes LEARNING_RATES.
    """
    x_train, x_val, y_train, y_val = parts
    if scale is not None:
        y_train, y_val = scale.transform(y_train), y_val and scale.transform(y_val)
    history = net.fit(x_train, y_train, epochs=epochs,
                      optimizer=optim.get(optimizer, lr or LEARNING_RATES[optimizer],
                                          weight_decay=l2),
                      batch_size=batch_size, seed=seed,
                      validation_data=(x_val, y_val) if x_val else None,
                      patience=patience or None, callback=callback)
    if scale is not None:
        unscale_output(net, scale)
    return history


def scores(net: Network, parts: Split, task: str) -> Dict[str, Dict[str, float]]:
    """Return {score: {part: value}} for the training and validation parts:
    the loss, and the accuracy of a classifier or the mse and rmse of a
    regressor (mse only when the loss is not mse already).
    """
    x_train, x_val, y_train, y_val = parts
    named = [(name, x, y) for name, x, y in
             (("training", x_train, y_train), ("validation", x_val, y_val)) if x]
    out = {"loss": {n: net.loss(x, y) for n, x, y in named}}
    if task == "classification":
        out["accuracy"] = {n: metrics.accuracy(class_indices(y), net.predict_classes(x))
                           for n, x, y in named}
        return out
    mse = {n: metrics.mean_squared_error(y, net.predict(x)) for n, x, y in named}
    if net.loss_function.name != "mse":
        out["mse"] = mse
    out["rmse"] = {n: math.sqrt(v) for n, v in mse.items()}  # in the target's units
    return out


def train(table: Union[Table, str], *, target: Any = -1,
          features: Optional[List[str]] = None, task: Optional[str] = None,
          hidden: Sequence[int] = HIDDEN, activation: str = ACTIVATION,
          output_activation: Optional[str] = None, loss: Optional[str] = None,
          optimizer: str = "adam", lr: Optional[float] = None, l2: float = 0.0,
          epochs: int = EPOCHS, batch_size: int = BATCH_SIZE, val_split: float = VAL_SPLIT,
          patience: int = PATIENCE, standardize: bool = True, seed: Any = 0,
          callback: Optional[Callable[[int, dict], None]] = None
          ) -> Tuple[Network, History, Dict[str, Any]]:
    """Return (net, history, report): a network trained on a table, a CSV
    path or a built-in data set's name, with the command line's defaults.

    task None infers it from the target (infer_task). report holds the
    task, what it was inferred from (None when given), the rows in each
    part, the seconds the fit took, whether the target was standardized,
    and scores(net, parts, task).

    >>> net, history, report = train("moons", hidden=[8], epochs=2, seed=1)
    >>> report["rows"], report["inferred_from"]
    ({'training': 160, 'validation': 40}, 'few distinct integers')

    Raises TinynetError for bad data or options (see read_table, build_network).
    """
    if not isinstance(table, Table):
        table = read_table(table, target=target, features=features, seed=seed)
    inferred_from = None if task else _inferred_from(table.y, infer_task(table.y))
    task = task or infer_task(table.y)
    net, y = build_network(table, task, hidden=hidden, activation=activation,
                           output_activation=output_activation, loss=loss, seed=seed)
    parts = split(table.x, y, val_split=val_split, seed=seed,
                  stratify=task == "classification")
    scale = fit_standardizers(net, parts[0], parts[2], task) if standardize else None
    start = time.perf_counter()
    history = fit(net, parts, scale, optimizer=optimizer, lr=lr, l2=l2, epochs=epochs,
                  batch_size=batch_size, patience=patience, seed=seed, callback=callback)
    report = {"task": task, "inferred_from": inferred_from,
              "rows": {"training": len(parts[0]), "validation": len(parts[1])},
              "seconds": time.perf_counter() - start, "scaled_target": scale is not None,
              "scores": scores(net, parts, task)}
    return net, history, report


def evaluate(net: Network, table: Table) -> Dict[str, Any]:
    """Return a trained model's scores on labelled rows, as a JSON-ready dict.

    A classifier: n, accuracy, loss, classes and the confusion matrix
    (rows: true class, columns: predicted). A regressor: n, mse and loss.

    >>> net, _, _ = train("xor", hidden=[4], epochs=2, seed=0)
    >>> sorted(evaluate(net, read_table("xor")))
    ['accuracy', 'classes', 'confusion_matrix', 'loss', 'n']

    Raises TinynetError for labels the model does not know, or text targets
    for a regressor.
    """
    if not net.is_classifier:
        y = regression_targets(table, "evaluate")
        return {"n": len(y), "mse": metrics.mean_squared_error(y, net.predict(table.x)),
                "loss": net.loss(table.x, y)}
    truth = label_indices(net, table)
    predicted = net.predict_classes(table.x)
    classes = model_classes(net)
    counts, _ = metrics.confusion_matrix(truth, predicted, classes=list(range(len(classes))))
    return {"n": len(truth), "accuracy": metrics.accuracy(truth, predicted),
            "loss": net.loss(table.x, targets(truth, net.n_out)),
            "classes": classes, "confusion_matrix": counts}
