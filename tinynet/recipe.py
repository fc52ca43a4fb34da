"""The recipe that turns a table into a trained model, as ``tinynet train`` runs it.

Each step is a function, and ``train`` runs them in order:

=============================  ==============================================
step                           what it does
=============================  ==============================================
read_table(source)             a CSV file or a built-in data set -> Table
drop_missing(table)            rows without a target left out, counted
infer_task(y)                  'classification' or 'regression'
split(x, y)                    (x_train, x_val, y_train, y_val)
TableEncoder().fit(rows)       text -> one-hot, blanks -> median or mode, ...
build_network(table, task)     the untrained network and its targets y
                               (refused past max_params parameters)
fit_standardizers(net, ...)    net.standardizer, and a target scaler
fit(net, parts, scale)         the training run -> History
scores(net, parts, task)       loss and accuracy (or rmse, r2) per part
image_shape(n, image)          the (channels, height, width) of n pixel columns
pixel_standardizer(x, scale)   the Standardizer that divides pixels by 16, 255, ...
train(table)                   all of the above -> (net, history, report)
evaluate(net, table)           a saved model scored on labelled rows
=============================  ==============================================

The encoder is fitted on the training rows only, and the model keeps it
(net.table), so that read_for_model and encode prepare new rows exactly
as training did. tinynet.Classifier and tinynet.Regressor run the same
steps on rows given in Python.

The defaults (HIDDEN, ACTIVATION, EPOCHS, ...) are chosen to work on small
tabular data untuned. Nothing here prints: the command line (tinynet.cli)
prints what these return.

>>> net, history, report = train("xor", hidden=[4], epochs=3, seed=0)
>>> report["task"], report["rows"]
('classification', {'training': 4, 'validation': 0, 'test': 0})
>>> list(report["scores"])
['loss', 'accuracy']
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import data, layerspec, metrics, optim
from .data.datasets import shipped_file
from .data.encode import TableEncoder, label_text, row_number_columns
from .data.tables import is_missing, pick_columns, read_sheet, to_number
from .checks import positive_int
from .errors import TinynetError
from .files import MAX_BYTES
from .network import History, Network, class_indices

__all__ = [
    "Table", "read_table", "read_for_model", "model_table", "encoder_of", "encode",
    "is_builtin", "brief", "typed_target", "class_labels", "drop_missing", "infer_task",
    "model_classes", "warnings_after_training",
    "label_indices", "targets", "regression_targets", "build_network", "image_shape",
    "pixel_standardizer", "split",
    "fit_standardizers", "unscale_output", "fit", "scores", "train", "evaluate",
    "parameter_count", "net_parameters", "finite_predictions", "MAX_PARAMS",
]

HIDDEN = [16]
ACTIVATION = "tanh"
LEARNING_RATES = {"adam": 0.01, "sgd": 0.1}
EPOCHS = 300
IMAGE_EPOCHS = 10  # the command line's default with --layers: an epoch of images is slow
BATCH_SIZE = 32
VAL_SPLIT = 0.2
PATIENCE = 20
MIN_ROWS_TO_VALIDATE = 10  # fewer rows (xor has 4) all go to training
MAX_INFERRED_CLASSES = 10  # more distinct integers than this mean regression
MAX_PARAMS = 5_000_000  # build_network refuses more: about 640 MB to train
BYTES_PER_PARAM = 128   # 4 floats each (weight, gradient, Adam's m and v) * 32 bytes
MANY_CLASSES = 20  # more inferred classes than this get a warning
FEW_VALUES = 10    # a regression target with this few distinct values gets a warning
BUILTIN_SEED = 0  # evaluate, predict and plot draw the synthetic sets with this seed
CLASS_LOSSES = ("cross_entropy", "binary_cross_entropy")
PIXEL_RANGES = (1, 16, 255)  # the pixel maxima pixel_standardizer recognises

# The built-in sets shipped as CSV files: read those, so that their column
# names (sepal_length, ...) go in the model like a user's file's would.
_BUILTIN_FILES = {"iris": ("iris.csv", "species"), "digits": ("digits.csv.gz", "digit")}

Split = Tuple[list, list, list, list]  # (x_train, x_val, y_train, y_val)


class Table(NamedTuple):
    """Rows read for training or scoring: the feature columns x (n, m) and the target y.

    x holds cells as read: floats, or text and None (missing) from a file,
    which the model's TableEncoder turns into numbers. y is the target
    column (class labels or floats; text from a file), or None if not read.
    """
    x: List[list]
    y: Optional[list]
    feature_names: List[str]   # the names of the columns of x
    target_name: Optional[str]
    source: str
    notes: Tuple[str, ...] = ()            # what reading found, in words
    ids: Optional[Tuple[str, list]] = None  # (name, values) of the row index, if any
    lines: Optional[List[int]] = None       # the file's line number of each row


# --- reading ------------------------------------------------------------------

def read_table(source: str, *, target: Any = -1, features: Optional[List[str]] = None,
               exclude: Optional[List[str]] = None, delimiter: Optional[str] = None,
               na_values: Optional[List[str]] = None, seed: int = BUILTIN_SEED,
               max_bytes: int = MAX_BYTES) -> Table:
    """Return the rows of the CSV file source, or of the built-in data set of
    that name when no such file exists (seed draws the synthetic ones).

    A file is read as data.read_sheet describes (delimiter, header, row
    index, missing cells); its cells stay text until a TableEncoder encodes
    them. exclude names columns to leave out of the features. At most
    max_bytes of text are read (a .gz counted decompressed).

    >>> table = read_table("iris")
    >>> len(table.x), table.feature_names[0], table.target_name
    (150, 'sepal_length', 'species')

    Raises TinynetError for a name that is neither a file nor a data set,
    target or features given for a built-in set, or a bad file (see
    data.read_sheet).
    """
    if is_builtin(source):
        if target not in (-1, None) or features is not None or exclude:
            raise TinynetError(f"target and features apply to CSV files, not to the "
                               f"built-in data set {source!r}")
        return _builtin(source, seed)
    if not os.path.exists(source) and not os.path.splitext(source)[1]:
        raise TinynetError(f"{source!r} is neither a file nor a built-in data set "
                           f"({', '.join(data.DATASETS)})")
    sheet = read_sheet(source, delimiter=delimiter, na_values=na_values, max_bytes=max_bytes)
    t, columns, names = pick_columns(sheet, target, features, exclude=exclude)
    x = [[row[j] for j in columns] for row in sheet.rows]
    y = None if t is None else [row[t] for row in sheet.rows]
    return Table(x, y, [names[j] for j in columns], None if t is None else names[t],
                 source, tuple(sheet.notes), sheet.index, sheet.lines)


def _builtin(name: str, seed: int) -> Table:
    if name in _BUILTIN_FILES:
        file, target = _BUILTIN_FILES[name]
        x, y, names, target_name = data.read_csv(shipped_file(file), target=target)
        return Table(x, y, names, target_name, name)
    x, y = data.load_dataset(name, seed=seed)
    if name == "xor":
        y = [row[0] for row in y]
    return Table(x, list(y), [f"x{j}" for j in range(len(x[0]))], "y", name)


def read_for_model(net: Network, source: str, target: Any, *, labelled: bool,
                   max_bytes: int = MAX_BYTES) -> Table:
    """Return rows laid out like the model's training file: its input columns by name.

    target is a column the caller names, or None for the model's own.
    labelled=False (for predictions) reads no target, so the column may be
    there or not.

    Raises TinynetError when the rows do not have the model's columns, or
    the target column is missing for labelled rows.
    """
    if is_builtin(source):
        return read_table(source, target=target)
    if labelled and target is None:
        # x0, x1, ... and y are read_csv's names for a file without a header:
        # then the target was the last column
        target = -1 if _headerless(net) or net.target_name is None else net.target_name
    meta = model_table(net)
    encoder = encoder_of(net)
    names = encoder.input_names if encoder is not None else net.feature_names
    try:
        table = read_table(source, target=target if labelled else None, features=names,
                           delimiter=meta.get("delimiter"),
                           na_values=None if encoder is None else encoder.na_values,
                           max_bytes=max_bytes)
    except TinynetError as e:
        if labelled and isinstance(target, str) and f"no column {target!r}" in str(e):
            raise TinynetError(f"{e}; the target column is needed to score the model "
                               f"(name it with --target, or use predict)") from None
        raise
    if table.ids is None and meta.get("id_column"):
        table = table._replace(ids=_id_column(source, meta["id_column"], meta, max_bytes))
    return table


def _id_column(source: str, name: str, meta: Dict[str, Any],
               max_bytes: int) -> Optional[Tuple[str, list]]:
    # The identifier column the encoder left out (a name, an id), if the file has it.
    try:
        return (name, read_table(source, target=name, features=None,
                                 delimiter=meta.get("delimiter"), max_bytes=max_bytes).y)
    except TinynetError:
        return None


def model_table(net: Network) -> Dict[str, Any]:
    """Return what the model recorded about its training table (net.table), or {}."""
    meta = getattr(net, "table", None)
    return meta if isinstance(meta, dict) else {}


def encoder_of(net: Network) -> Optional[TableEncoder]:
    """Return the model's TableEncoder, or None for a model saved without one.

    Raises TinynetError for an encoder the model file describes wrongly.
    """
    spec = model_table(net).get("encoder")
    return None if spec is None else TableEncoder.from_dict(spec)


def encode(net: Network, table: Table) -> Tuple[List[List[float]], Dict[str, int]]:
    """Return (x, unseen): the table's rows as the model's input numbers, and
    the count of unseen categories per column (see TableEncoder.transform).

    The table's columns are picked by name. A model saved without an
    encoder takes numbers only.

    >>> table = Table([[1.0, "big"], [None, "huge"], [2.0, "big"]], ["b", "b", "a"],
    ...               ["x", "size"], "y", "t")
    >>> net, _, _ = train(table, hidden=[2], epochs=1)
    >>> encoder_of(net).feature_names
    ['x', 'size=big', 'size=huge']
    >>> encode(net, table._replace(x=[["small", 3.0]], feature_names=["size", "x"]))
    ([[3.0, 0.0, 0.0]], {'size': 1})

    Raises TinynetError for a cell that does not fit its column.
    """
    encoder = encoder_of(net)
    if encoder is None:
        encoder = TableEncoder()
        encoder.columns = [{"name": n, "kind": "number", "fill": None}
                           for n in table.feature_names]
    rows = _model_columns(encoder, table)
    try:
        return encoder.transform(rows, lines=table.lines)
    except TinynetError as e:
        raise TinynetError(f"{table.source} {e}") from None


def _model_columns(encoder: TableEncoder, table: Table) -> List[list]:
    """The table's rows cut to the encoder's input columns, in its order, by name."""
    names, wanted = list(table.feature_names), encoder.input_names
    if any(n not in names for n in wanted):
        raise TinynetError(f"{table.source} has {len(names)} feature columns "
                           f"({brief(names)}), the model takes {len(wanted)} "
                           f"({brief(wanted)})")
    picks = [names.index(n) for n in wanted]
    return [[row[j] for j in picks] for row in table.x]


def is_builtin(source: str) -> bool:
    """Return True if source names a built-in data set and no file of that name exists.

    >>> is_builtin("iris"), is_builtin("iris.csv")
    (True, False)
    """
    # A file of that name wins, so that a CSV called "iris" is still read.
    return source in data.DATASETS and not os.path.isfile(source)


def _headerless(net: Network) -> bool:
    # read_csv names the columns x0, x1, ... and y when a file has no header.
    encoder = encoder_of(net)
    names = (encoder.input_names if encoder else net.feature_names) or []
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


def typed_target(y: list) -> list:
    """Return the target cells as floats if every one is a number, else as text labels.

    >>> typed_target(["1", " 2.5"]), typed_target(["1", "x"]), typed_target([2.0, "b"])
    ([1.0, 2.5], ['1', 'x'], ['2', 'b'])
    """
    numbers = [to_number(v) for v in y]
    if all(v is not None for v in numbers):
        return numbers
    return [label_text(v) for v in y]


def class_labels(y: list) -> list:
    """Return target cells as class labels, as train makes them: whole numbers
    as ints when the column is all numbers, text otherwise.

    >>> class_labels(["1", 2.0]), class_labels(["a", 2.0])
    ([1, 2], ['a', '2'])
    """
    return [_label(v) for v in typed_target(y)]


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


def drop_missing(table: Table, *, na_values: Optional[List[str]] = None,
                 dropna: bool = False) -> Tuple[Table, List[str]]:
    """Return (table, notes): the table without the rows whose target is
    missing (and, with dropna, without rows missing any feature), its target
    typed by typed_target, and notes that count the rows dropped.

    >>> t = Table([[1.0], [None], [3.0]], ["a", "b", "NA"], ["x"], "y", "t")
    >>> table, notes = drop_missing(t, dropna=True)
    >>> table.y, notes
    (['a'], ["dropped 1 row whose target 'y' is missing", 'dropped 1 row with missing cells (--dropna)'])

    Raises TinynetError when x and y differ in length, or no row is left.
    """
    if len(table.x) != len(table.y):
        raise TinynetError(f"{table.source}: {len(table.x)} rows of features but "
                           f"{len(table.y)} targets")
    na = data.na_set(na_values)
    notes = []
    keep = [i for i, v in enumerate(table.y) if not is_missing(v, na)]
    if len(keep) < len(table.y):
        notes.append(f"dropped {_rows_text(len(table.y) - len(keep))} whose target "
                     f"{table.target_name!r} is missing")
    if dropna:
        full = [i for i in keep if not any(is_missing(c, na) for c in table.x[i])]
        if len(full) < len(keep):
            notes.append(f"dropped {_rows_text(len(keep) - len(full))} with missing cells "
                         f"(--dropna)")
        keep = full
    if not keep:
        raise TinynetError(f"{table.source}: no rows left to train on ({'; '.join(notes)})")
    return table._replace(
        x=[table.x[i] for i in keep], y=typed_target([table.y[i] for i in keep]),
        ids=None if table.ids is None else (table.ids[0], [table.ids[1][i] for i in keep]),
        lines=None if table.lines is None else [table.lines[i] for i in keep]), notes


def _cells_text(n: int) -> str:
    return "1 missing cell" if n == 1 else f"{n} missing cells"


def _rows_text(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


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

    Raises TinynetError, naming op, the line and the cell, for a cell that
    is not a number.
    """
    out = []
    for i, v in enumerate(table.y):
        number = to_number(v)
        if number is None:
            where = f" line {table.lines[i]}" if table.lines else ""
            raise TinynetError(
                f"{op}: {table.source}{where}: the target column {table.target_name!r} must "
                f"be numbers for a regressor, got {v!r}")
        out.append([number])
    return out


# --- the network ----------------------------------------------------------------

def build_network(table: Table, task: str, *, hidden: Sequence[int] = HIDDEN,
                  activation: str = ACTIVATION, output_activation: Optional[str] = None,
                  loss: Optional[str] = None, seed: Any = 0, layers: Optional[str] = None,
                  image: Optional[Tuple[int, int, int]] = None,
                  max_params: Optional[int] = MAX_PARAMS) -> Tuple[Network, list]:
    """Return (net, y): the untrained network for the task, with the table's
    column names and classes, and the targets y it is to fit.

    A classifier gets softmax and cross-entropy (one sigmoid output with
    binary_cross_entropy on two classes); a regressor gets an identity
    output and mse. With ``layers`` (a layer spec, see tinynet.layerspec)
    the hidden layers are those, reading each row as an image of shape
    ``image``; otherwise they are Dense layers of the ``hidden`` widths.

    Raises TinynetError for empty class cells, a single class, a class
    loss for a regression, a bad layer spec, or a network of more than
    max_params parameters (None for no limit; Dense layers are counted
    before a weight is made).
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
    if layers is not None:
        shape = image_shape(len(table.x[0]), image)
        net = Network(layerspec.build(layers, shape, len(y[0]), activation=activation,
                                      output_activation=out_act, seed=seed), loss=loss)
        _check_count(net_parameters(net), f"{layers!r} network", max_params)
    else:
        sizes = [len(table.x[0])] + list(hidden) + [len(y[0])]
        _check_count(parameter_count(sizes), f"{'-'.join(map(str, sizes))} network",
                     max_params)
        net = Network(sizes, activation=activation, output_activation=out_act,
                      loss=loss, seed=seed)
    net.classes, net.feature_names = classes, list(table.feature_names)
    net.target_name = table.target_name
    return net, y


def parameter_count(sizes: Sequence[int]) -> int:
    """Return the number of weights and biases of a network of these layer
    sizes: sum over layers of (n_in + 1) * n_out.

    >>> parameter_count([64, 100000, 100000, 10])
    10007600010
    """
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:]))


def net_parameters(net: Network) -> int:
    """Return the number of numbers in the network's parameters, at any depth.

    >>> net_parameters(Network([3, 4, 2], seed=0)) == parameter_count([3, 4, 2])
    True
    """
    def size(value: Any) -> int:
        return sum(map(size, value)) if isinstance(value, list) else 1
    return sum(size(getattr(layer, name)) for layer in net.layers for name in layer.params)


def _check_count(count: int, what: str, max_params: Optional[int]) -> None:
    if max_params is None:
        return
    limit = positive_int("build_network", "max_params", max_params)
    if count > limit:
        raise TinynetError(
            f"build_network: a {what} has {count:,} parameters, about "
            f"{_bytes(count * BYTES_PER_PARAM)} to train; the limit is {limit:,} (raise it "
            f"with max_params, or --max-params on the command line)")


def _bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000:
            return f"{n:.0f} {unit}"
        n /= 1000
    return f"{n:,.0f} TB"


def image_shape(n: int, image: Optional[Sequence[int]] = None) -> Tuple[int, int, int]:
    """Return the (channels, height, width) of rows of n pixels: image if
    given (it must have n pixels), else one square channel.

    >>> image_shape(64), image_shape(12, (3, 2, 2))
    ((1, 8, 8), (3, 2, 2))

    Raises TinynetError when image has another number of pixels, or when
    none is given and n is not a square.
    """
    if image is None:
        side = math.isqrt(n)
        if side * side != n:
            raise TinynetError(f"train: the rows have {n} feature columns, not a square "
                               f"number of pixels; give the image shape with --image CxHxW")
        return 1, side, side
    shape = tuple(image)
    if len(shape) != 3 or math.prod(shape) != n:
        raise TinynetError(f"train: an image of {'x'.join(map(str, shape))} has "
                           f"{math.prod(shape)} pixels, but the rows have {n} feature columns")
    return shape  # type: ignore[return-value]


def pixel_standardizer(x: Sequence[Sequence[float]], scale: Any = "auto") -> data.Standardizer:
    """Return the Standardizer that divides every pixel by the scale.

    "auto" takes the smallest of PIXEL_RANGES (1, 16, 255) that holds every
    value, when no value is negative; a number is the scale itself. Dividing
    every pixel by one number keeps an image an image (a per-pixel
    standardization would not), and, stored in the model as its
    standardizer, applies to what it predicts too.

    >>> pixel_standardizer([[0.0, 16.0], [3.0, 9.0]]).std
    [16.0, 16.0]

    Raises TinynetError when "auto" finds negative values or values above 255.
    """
    n = len(x[0])
    if scale == "auto":
        lo, hi = min(min(row) for row in x), max(max(row) for row in x)
        fits = [r for r in PIXEL_RANGES if lo >= 0 and hi <= r]
        if not fits:
            raise TinynetError(f"train: pixel values run from {lo:g} to {hi:g}, not within "
                               f"0..1, 0..16 or 0..255; give --scale N to divide them by N")
        scale = fits[0]
    scale = float(scale)
    if not scale > 0 or not math.isfinite(scale):
        raise TinynetError(f"train: the pixel scale must be a positive number, got {scale}")
    return data.Standardizer.from_dict({"mean": [0.0] * n, "std": [scale] * n})


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
    units. The losses in the History and those passed to callback are in
    those units too: a squared loss of z = (y - m) / s times s^2.
    patience 0 never stops early. lr None takes LEARNING_RATES, which tunes
    two optimizers for small tables, or else the optimizer's own default.
    """
    x_train, x_val, y_train, y_val = parts
    factor = 1.0
    if scale is not None:
        y_train, y_val = scale.transform(y_train), y_val and scale.transform(y_val)
        factor = scale.std[0] ** 2  # sse and mse: (s dz)^2 = s^2 dz^2

    def report(epoch: int, logs: dict) -> Any:
        logs = {k: v * factor if k.endswith("loss") else v for k, v in logs.items()}
        return callback(epoch, logs)

    history = net.fit(x_train, y_train, epochs=epochs,
                      optimizer=optim.get(optimizer, lr or LEARNING_RATES.get(optimizer),
                                          weight_decay=l2),
                      batch_size=batch_size, seed=seed,
                      validation_data=(x_val, y_val) if x_val else None,
                      patience=patience or None,
                      callback=None if callback is None else report)
    if scale is not None:
        unscale_output(net, scale)
        history.loss = [v * factor for v in history.loss]
        history.val_loss = [v * factor for v in history.val_loss]
    return history


def scores(net: Network, parts: Split, task: str,
           test: Optional[Tuple[list, list]] = None) -> Dict[str, Dict[str, float]]:
    """Return {score: {part: value}} for the training, validation and test
    parts (those with rows): the loss, and the accuracy of a classifier or
    the rmse (and mse when the loss is not mse) and r2 of a regressor.
    """
    x_train, x_val, y_train, y_val = parts
    named = [(name, x, y) for name, x, y in
             (("training", x_train, y_train), ("validation", x_val, y_val),
              ("test", *(test or ([], [])))) if x]
    out = {"loss": {n: net.loss(x, y) for n, x, y in named}}
    if task == "classification":
        out["accuracy"] = {n: metrics.accuracy(class_indices(y), net.predict_classes(x))
                           for n, x, y in named}
        return out
    predicted = {n: net.predict(x) for n, x, _ in named}
    mse = {n: metrics.mean_squared_error(y, predicted[n]) for n, _, y in named}
    if net.loss_function.name != "mse":
        out["mse"] = mse
    out["rmse"] = {n: math.sqrt(v) for n, v in mse.items()}  # in the target's units
    out["r2"] = {n: metrics.r2_score(y, predicted[n]) for n, _, y in named}
    return out


def train(table: Union[Table, str], *, target: Any = -1,
          features: Optional[List[str]] = None, exclude: Optional[List[str]] = None,
          delimiter: Optional[str] = None, na_values: Optional[List[str]] = None,
          dropna: bool = False, task: Optional[str] = None,
          hidden: Sequence[int] = HIDDEN, activation: str = ACTIVATION,
          output_activation: Optional[str] = None, loss: Optional[str] = None,
          optimizer: str = "adam", lr: Optional[float] = None, l2: float = 0.0,
          epochs: int = EPOCHS, batch_size: int = BATCH_SIZE, val_split: float = VAL_SPLIT,
          test_split: float = 0.0, patience: int = PATIENCE, standardize: bool = True,
          seed: Any = 0, callback: Optional[Callable[[int, dict], None]] = None,
          layers: Optional[str] = None, image: Optional[Tuple[int, int, int]] = None,
          pixels: Any = "auto", max_params: Optional[int] = MAX_PARAMS
          ) -> Tuple[Network, History, Dict[str, Any]]:
    """Return (net, history, report): a network trained on a table, a CSV
    path or a built-in data set's name, with the command line's defaults.

    The steps: drop rows whose target is missing (drop_missing); infer the
    task (infer_task) unless given; hold out test_split of the rows as a
    test set, then val_split of the rest for early stopping (both
    stratified for a classifier); fit a TableEncoder and a Standardizer on
    the training rows only; build, fit and score the network. The model
    keeps what predict needs in net.table (the encoder, the source file).

    With ``layers`` (a layer spec, see tinynet.layerspec) each row is an
    image of shape ``image``, and its pixels are divided by one number,
    ``pixels`` (see pixel_standardizer), instead of standardized per column.

    report holds the task, what it was inferred from (None when given), the
    rows in each part, the seconds the fit took, whether the target was
    standardized, the pixel scale (None without layers), scores(...) per
    part, notes (what was read, dropped, imputed, left out) and warnings
    (see warnings_after_training).

    >>> net, history, report = train("moons", hidden=[8], epochs=2, seed=1)
    >>> report["rows"], report["inferred_from"]
    ({'training': 160, 'validation': 40, 'test': 0}, 'few distinct integers')

    Raises TinynetError for bad data or options (see read_table, build_network).
    """
    if not isinstance(table, Table):
        table = read_table(table, target=target, features=features, exclude=exclude,
                           delimiter=delimiter, na_values=na_values, seed=seed)
    table, task, inferred_from, notes = _prepared(table, task, na_values, dropna)
    train_rows, val_rows, test_rows = _partition(table, task, val_split, test_split, seed)
    encoder = TableEncoder(na_values=na_values).fit([table.x[i] for i in train_rows],
                                                    table.feature_names)
    x, _ = encoder.transform(_model_columns(encoder, table), lines=table.lines)
    net, y = build_network(table._replace(x=x, feature_names=encoder.feature_names), task,
                           hidden=hidden, activation=activation,
                           output_activation=output_activation, loss=loss, seed=seed,
                           layers=layers, image=image, max_params=max_params)
    net.table = _model_table(table, encoder, delimiter)

    def part(rows: List[int]) -> Tuple[list, list]:
        return [x[i] for i in rows], [y[i] for i in rows]

    (x_train, y_train), (x_val, y_val), test = map(part, (train_rows, val_rows, test_rows))
    parts = (x_train, x_val, y_train, y_val)
    scale = fit_standardizers(net, x_train, y_train, task) if standardize else None
    if layers is not None:   # images: every pixel divided by one number
        net.standardizer = pixel_standardizer(x_train, pixels)
    start = time.perf_counter()
    history = fit(net, parts, scale, optimizer=optimizer, lr=lr, l2=l2, epochs=epochs,
                  batch_size=batch_size, patience=patience, seed=seed, callback=callback)
    report = {"task": task, "inferred_from": inferred_from,
              "rows": {"training": len(x_train), "validation": len(x_val),
                       "test": len(test_rows)},
              "seconds": time.perf_counter() - start, "scaled_target": scale is not None,
              "pixel_scale": net.standardizer.std[0] if layers is not None else None,
              "scores": scores(net, parts, task, test if test_rows else None),
              "notes": notes + encoder.notes + _imputed([table.x[i] for i in train_rows], table.feature_names, encoder)}
    if test_rows:
        report["test"] = _score_rows(net, test[0], test[1], task)
    report["warnings"] = warnings_after_training(net, history, report, y_train, x_train,
                                                 patience)
    return net, history, report


def _prepared(table: Table, task: Optional[str], na_values: Optional[List[str]],
              dropna: bool) -> Tuple[Table, str, Optional[str], List[str]]:
    """(table, task, inferred_from, notes): the rows to learn from, without
    row-number columns and rows missing their target, the target typed for
    the task (inferred unless given)."""
    table, counters = _without_row_numbers(table)
    table, dropped = drop_missing(table, na_values=na_values, dropna=dropna)
    _check_finite_target(table)
    inferred_from = None if task else _inferred_from(table.y, infer_task(table.y))
    task = task or infer_task(table.y)
    if task == "classification":
        table = table._replace(y=class_labels(table.y))
    return table, task, inferred_from, list(table.notes) + counters + dropped


def _check_finite_target(table: Table) -> None:
    """An infinite target is an error, not a class called 'inf': a float inf,
    or "inf" among numbers (an overflow in whatever wrote the file)."""
    infinite = [i for i, v in enumerate(table.y) if _is_infinite(v)]
    if not infinite:
        return
    numbers = all(to_number(v) is not None or _is_infinite(v) for v in table.y)
    for i in infinite:
        v = table.y[i]
        if numbers or not isinstance(v, str):
            where = f" line {table.lines[i]}" if table.lines else f" data row {i + 1}"
            raise TinynetError(f"train: {table.source}{where}: the target column "
                               f"{table.target_name!r} has {v!r}; a target must be a "
                               f"finite number or a label")


def _is_infinite(v: Any) -> bool:
    if isinstance(v, bool) or not isinstance(v, (str, float, int)):
        return False
    try:
        return math.isinf(float(v))
    except (ValueError, OverflowError):
        return False


def _without_row_numbers(table: Table) -> Tuple[Table, List[str]]:
    """The table without its columns that number the rows (1, 2, 3, ... in
    file order), and a note for each; the first becomes the table's ids."""
    counters = row_number_columns(table.x, table.feature_names)
    if not counters or len(counters) == len(table.feature_names):
        return table, []
    keep = [j for j, n in enumerate(table.feature_names) if n not in counters]
    first = table.feature_names.index(counters[0])
    ids = table.ids or (counters[0], [row[first] for row in table.x])
    return (table._replace(x=[[row[j] for j in keep] for row in table.x],
                           feature_names=[table.feature_names[j] for j in keep], ids=ids),
            [f"column {n!r} left out: it counts the rows (1, 2, 3, ...)" for n in counters])


def _partition(table: Table, task: str, val_split: float, test_split: float,
               seed: Any) -> Tuple[List[int], List[int], List[int]]:
    """Row indices (training, validation, test): test first, then validation
    from the rest, both stratified by class for a classifier."""
    rows = list(range(len(table.y)))
    stratify = task == "classification"
    test: List[int] = []
    if test_split:
        if len(rows) < MIN_ROWS_TO_VALIDATE:
            raise TinynetError(f"train: {len(rows)} rows are too few to hold out a test set")
        rows, test, _, _ = data.train_test_split(rows, [table.y[i] for i in rows],
                                                 test_size=test_split, seed=seed,
                                                 stratify=stratify)
    labels = [table.y[i] for i in rows]
    train_rows, val_rows, _, _ = split(rows, labels, val_split=val_split, seed=seed,
                                       stratify=stratify)
    return train_rows, val_rows, test


def _model_table(table: Table, encoder: TableEncoder,
                 delimiter: Optional[str]) -> Dict[str, Any]:
    """What a saved model keeps about its table, as JSON-ready values."""
    ids = [n.split("'")[1] for n in encoder.notes if "identifier" in n]
    return {"encoder": encoder.to_dict(),
            "source": None if is_builtin(table.source) else os.path.abspath(table.source),
            "delimiter": delimiter,
            "id_column": table.ids[0] if table.ids else (ids[0] if ids else None)}


def _imputed(rows: List[list], names: List[str], encoder: TableEncoder) -> List[str]:
    """One note: the columns with missing training cells, how many, filled with what."""
    filled = []
    for c in encoder.columns:
        j = names.index(c["name"])
        n = sum(is_missing(row[j], encoder.na)
                or (c["kind"] == "number" and to_number(row[j]) is None) for row in rows)
        if n:
            fill = f"{c['fill']:.6g}" if c["kind"] == "number" else repr(c["fill"])
            filled.append((n, f"{c['name']} {n} -> {fill}"))
    if not filled:
        return []
    total = sum(n for n, _ in filled)
    return [f"filled {_cells_text(total)} (numbers: the training median; text: the most "
            f"frequent): " + ", ".join(text for _, text in filled)]


def _score_rows(net: Network, x: list, y: list, task: str) -> Dict[str, float]:
    """The held-out scores: accuracy, balanced accuracy and macro F1, or r2, mae and rmse."""
    if task == "classification":
        truth, predicted = class_indices(y), net.predict_classes(x)
        return {"accuracy": metrics.accuracy(truth, predicted),
                "balanced_accuracy": metrics.balanced_accuracy(truth, predicted),
                "macro_f1": metrics.macro_f1(truth, predicted)}
    predicted = net.predict(x)
    return {"r2": metrics.r2_score(y, predicted), "mae": metrics.mean_absolute_error(y, predicted),
            "rmse": metrics.root_mean_squared_error(y, predicted)}


def warnings_after_training(net: Network, history: History, report: Dict[str, Any],
                            y_train: list, x_train: list, patience: int) -> List[str]:
    """Return what looks wrong after training, one sentence each.

    Early stopping kept epoch 1 or 2; a classifier predicts one class for
    every training row, or is no more accurate than always answering the
    most common class; the inferred classes are many (> MANY_CLASSES); a
    regression target has few distinct values (<= FEW_VALUES).
    """
    out = []
    best = history.best_epoch
    if patience and best is not None and best <= 2 < history.epochs:
        out.append(f"early stopping kept epoch {best}: the validation loss got worse from "
                   f"the start, so the model learned little (try a smaller --lr)")
    if report["task"] == "regression":
        distinct = len({row[0] for row in y_train})
        if distinct <= FEW_VALUES:
            out.append(f"the target has only {distinct} distinct values for a regression; "
                       f"--classification (or tinynet.Classifier) treats them as classes")
        return out
    classes = model_classes(net)
    if report["inferred_from"] and len(classes) > MANY_CLASSES:
        out.append(f"{len(classes)} classes is a lot for a classifier; if the target is "
                   f"a quantity, --regression (or tinynet.Regressor) treats it as a number")
    truth, predicted = class_indices(y_train), net.predict_classes(x_train)
    if len(set(predicted)) == 1:
        out.append(f"the model predicts one class, {classes[predicted[0]]!r}, for every "
                   f"training row")
    majority = max(Counter(truth).values()) / len(truth)
    accuracy = metrics.accuracy(truth, predicted)
    if accuracy <= majority + 1e-12 and len(set(predicted)) > 1:
        out.append(f"the training accuracy, {accuracy:.3g}, is no better than always "
                   f"answering the most common class ({majority:.3g})")
    return out


def finite_predictions(net: Network, x: List[List[float]], table: Table, *,
                       proba: bool = False) -> List[List[float]]:
    """Return net.predict(x) (net.predict_proba with proba=True) for the
    encoded rows x of table, after checking that every value is a finite number.

    >>> net = Network([1, 1], output_activation="identity", seed=0)
    >>> net.layers[0].weights = [[1e300]]
    >>> table = Table([[1.0], [1e10]], None, ["x"], None, "t.csv", lines=[2, 5])
    >>> finite_predictions(net, table.x, table)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: predict: t.csv line 5 gives inf, not a number to write down (x 1e+10)

    Raises TinynetError naming the first row (its line in the file, or its
    position) whose prediction is NaN or infinite: a value far outside the
    training data, or a broken model.
    """
    out = net.predict_proba(x) if proba else net.predict(x)
    for i, row in enumerate(out):
        bad = next((v for v in row if not math.isfinite(v)), None)
        if bad is not None:
            where = f"line {table.lines[i]}" if table.lines else f"data row {i + 1}"
            cells = [f"{n} {_short_cell(v)}" for n, v in zip(table.feature_names, table.x[i])]
            raise TinynetError(f"predict: {table.source} {where} gives {bad}, "
                               f"not a number to write down ({brief(cells, 4)})")
    return out


def _short_cell(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)[:20]


def evaluate(net: Network, table: Table) -> Dict[str, Any]:
    """Return a trained model's scores on labelled rows, as a JSON-ready dict.

    Rows whose target is missing are left out (and counted in notes). A
    classifier: n, accuracy, balanced_accuracy, macro_f1, loss, classes and
    the confusion matrix (rows: true class, columns: predicted). A
    regressor: n, r2, mae, rmse, mse and loss. Both: notes and warnings
    (categories not seen in training, one class predicted for every row,
    scoring on the very file the model was trained on).

    >>> net, _, _ = train("xor", hidden=[4], epochs=2, seed=0)
    >>> sorted(evaluate(net, read_table("xor")))  # doctest: +NORMALIZE_WHITESPACE
    ['accuracy', 'balanced_accuracy', 'classes', 'confusion_matrix', 'loss', 'macro_f1',
     'n', 'notes', 'warnings']

    Raises TinynetError for labels the model does not know, or text targets
    for a regressor.
    """
    encoder = encoder_of(net)
    table, notes = drop_missing(table, na_values=None if encoder is None else encoder.na_values)
    x, unseen = encode(net, table)
    warnings = [f"column {name!r}: {_rows_text(n)} with a category not seen in training, "
                f"encoded as all zeros" for name, n in unseen.items()]
    source = model_table(net).get("source")
    if source and not is_builtin(table.source) and os.path.abspath(table.source) == source:
        warnings.append("this is the file the model was trained on, so these scores flatter "
                        "it; hold out rows with train --test-split")
    finite_predictions(net, x, table, proba=net.is_classifier)
    if not net.is_classifier:
        y = regression_targets(table, "evaluate")
        predicted = net.predict(x)
        report = {"n": len(y), **_score_rows(net, x, y, "regression"),
                  "mse": metrics.mean_squared_error(y, predicted), "loss": net.loss(x, y)}
        return {**report, "notes": notes, "warnings": warnings}
    truth = label_indices(net, table)
    predicted = net.predict_classes(x)
    classes = model_classes(net)
    if len(set(predicted)) == 1 and len(truth) > 1:
        warnings.append(f"the model predicts one class, {classes[predicted[0]]!r}, for "
                        f"every row")
    counts, _ = metrics.confusion_matrix(truth, predicted, classes=list(range(len(classes))))
    y = targets(truth, net.n_out)
    return {"n": len(truth), **_score_rows(net, x, y, "classification"),
            "loss": net.loss(x, y), "classes": classes, "confusion_matrix": counts,
            "notes": notes, "warnings": warnings}
