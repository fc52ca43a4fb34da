"""Classifier and Regressor: the command line's recipe, as scikit-learn-style estimators.

They follow scikit-learn's conventions by duck typing, without importing it:
``__init__`` only stores keyword hyperparameters under their own names,
get_params/set_params read and change them (so ``sklearn.base.clone`` and
``cross_val_score`` work), ``fit`` returns self, and what fit learns ends in
an underscore (``classes_``, ``n_features_in_``, ``history_``).

fit(X, y) takes rows as people have them: lists or tuples, dicts keyed by
column name (then ``feature_names_in_``), a NumPy array or a pandas
DataFrame, holding numbers, text and None. The steps are tinynet.recipe's,
with its defaults: text one-hot encoded, blanks imputed, inputs
standardized, a tanh hidden layer, softmax and cross-entropy (or identity
and MSE), Adam, early stopping on a validation split.

>>> rows = [[i / 10, "hot" if i > 9 else "cold"] for i in range(20)]
>>> labels = ["high" if i > 9 else "low" for i in range(20)]
>>> model = Classifier(epochs=50, seed=0).fit(rows, labels)
>>> model.classes_, model.predict([[1.5, "hot"], [0.2, "cold"]])
(['high', 'low'], ['high', 'low'])
>>> model.score(rows, labels)
1.0
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import metrics, recipe
from .checks import describe, is_sequence
from .data.tables import is_missing
from .errors import TinynetError
from .network import History, Network

__all__ = ["Classifier", "Regressor"]

PARAMS = ("hidden", "activation", "optimizer", "learning_rate", "epochs", "batch_size",
          "l2", "validation_split", "patience", "seed")


class _Estimator:
    """What Classifier and Regressor share: parameters, rows in, save and load."""

    _task = ""

    def __init__(self, *, hidden: Sequence[int] = tuple(recipe.HIDDEN),
                 activation: str = recipe.ACTIVATION, optimizer: str = "adam",
                 learning_rate: Optional[float] = None, epochs: int = recipe.EPOCHS,
                 batch_size: int = recipe.BATCH_SIZE, l2: float = 0.0,
                 validation_split: float = recipe.VAL_SPLIT, patience: int = recipe.PATIENCE,
                 seed: int = 0):
        # Stored as given, unchecked: scikit-learn's clone needs the very objects back.
        self.hidden = hidden
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.l2 = l2
        self.validation_split = validation_split
        self.patience = patience
        self.seed = seed

    # --- parameters -----------------------------------------------------------

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """Return the hyperparameters as {name: value}.

        >>> Classifier(epochs=5).get_params()["epochs"]
        5
        """
        return {name: getattr(self, name) for name in PARAMS}

    def set_params(self, **params: Any) -> "_Estimator":
        """Set hyperparameters by name; return self.

        >>> Regressor().set_params(hidden=(8, 8)).hidden
        (8, 8)

        Raises TinynetError for a name that is not a hyperparameter.
        """
        for name, value in params.items():
            if name not in PARAMS:
                raise TinynetError(f"{type(self).__name__}.set_params: no parameter "
                                   f"{name!r}; valid: {', '.join(PARAMS)}")
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self) -> Any:
        # scikit-learn >= 1.6 asks an estimator for its tags; answer in kind,
        # with plain namespaces, so that it never has to be imported here.
        ns = types.SimpleNamespace
        return ns(estimator_type=self._estimator_type,
                  target_tags=ns(required=True, one_d_labels=False, two_d_labels=False,
                                 positive_only=False, multi_output=False, single_output=True),
                  transformer_tags=None,
                  classifier_tags=ns(poor_score=False, multi_class=True, multi_label=False)
                  if self._task == "classification" else None,
                  regressor_tags=ns(poor_score=False) if self._task == "regression" else None,
                  input_tags=ns(one_d_array=False, two_d_array=True, three_d_array=False,
                                sparse=False, categorical=True, string=True, dict=True,
                                positive_only=False, allow_nan=True, pairwise=False),
                  array_api_support=False, no_validation=False, non_deterministic=False,
                  requires_fit=True, _skip_test=False)

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"{type(self).__name__}({', '.join(changed)})"

    # --- fitting ----------------------------------------------------------------

    def fit(self, X: Any, y: Any) -> "_Estimator":
        """Train on rows X and targets y; return self.

        Rows whose target is None (or NaN) are left out. After fit:
        n_features_in_, feature_names_in_ (for dict rows), history_ (the
        History), report_ (recipe.train's report), net_ (the Network).
        Each of the report's warnings is also issued with warnings.warn.

        Raises TinynetError for rows of different lengths, y of another
        length, or anything recipe.train rejects.
        """
        names, rows = _rows(f"{type(self).__name__}.fit", X, None)
        y = _column(f"{type(self).__name__}.fit", y, len(rows))
        table = recipe.Table(rows, y, names, "y", "fit")
        net, history, report = recipe.train(
            table, task=self._task, hidden=_widths(self.hidden), activation=self.activation,
            optimizer=self.optimizer, lr=self.learning_rate, l2=self.l2, epochs=self.epochs,
            batch_size=self.batch_size, val_split=self.validation_split,
            patience=self.patience, seed=self.seed)
        for warning in report["warnings"]:
            warnings.warn(f"{type(self).__name__}.fit: {warning}", stacklevel=2)
        self._learned(net, history, report, names, isinstance(X, Mapping) or _dict_rows(X))
        return self

    def _learned(self, net: Network, history: Optional[History], report: Dict[str, Any],
                 names: List[str], named: bool) -> None:
        self.net_, self.history_, self.report_ = net, history, report
        self.n_features_in_ = len(names)
        if named:
            self.feature_names_in_ = list(names)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        if self._task == "classification":
            self.classes_ = list(net.classes)

    def _inputs(self, X: Any, op: str) -> List[List[float]]:
        """X as the network's input rows, encoded as in fit."""
        if not hasattr(self, "net_"):
            raise TinynetError(f"{type(self).__name__}.{op}: not fitted yet; call fit first")
        names, rows = _rows(f"{type(self).__name__}.{op}",
                            X, getattr(self, "feature_names_in_", None))
        if len(names) != self.n_features_in_:
            raise TinynetError(f"{type(self).__name__}.{op}: X has {len(names)} columns, "
                               f"the model was fitted on {self.n_features_in_}")
        x, unseen = recipe.encode(self.net_, recipe.Table(rows, None, names, None, op))
        for name, n in unseen.items():
            warnings.warn(f"{type(self).__name__}.{op}: column {name!r}: {n} rows unlike the "
                          f"training data (a new category, or text among numbers)",
                          stacklevel=3)
        return x

    # --- saving -----------------------------------------------------------------

    def save(self, path: str) -> None:
        """Write the fitted model to path as JSON (a model file tinynet's CLI reads too).

        Raises TinynetError before fit, or when the file cannot be written.
        """
        if not hasattr(self, "net_"):
            raise TinynetError(f"{type(self).__name__}.save: not fitted yet; call fit first")
        params = {k: list(v) if k == "hidden" else v for k, v in self.get_params().items()}
        self.net_.table = {**recipe.model_table(self.net_),
                           "estimator": {"type": type(self).__name__, "params": params,
                                         "feature_names_in": getattr(
                                             self, "feature_names_in_", None),
                                         "n_features_in": self.n_features_in_}}
        self.net_.save(path)

    @classmethod
    def load(cls, path: str) -> "_Estimator":
        """Return the estimator saved at path, ready to predict.

        Raises TinynetError for a file that is not a saved model of this kind.
        """
        net = Network.load(path)
        saved = recipe.model_table(net).get("estimator")
        if not isinstance(saved, dict) or saved.get("type") != cls.__name__:
            raise TinynetError(f"{cls.__name__}.load: {path} holds no saved {cls.__name__}")
        params = dict(saved.get("params") or {})
        if isinstance(params.get("hidden"), list):
            params["hidden"] = tuple(params["hidden"])
        model = cls().set_params(**params)
        names = saved.get("feature_names_in")
        n = saved.get("n_features_in")
        model._learned(net, None, {}, names or [f"x{j}" for j in range(n)], bool(names))
        return model


class Classifier(_Estimator):
    """A neural-network classifier with tinynet's defaults (see the module docstring).

    predict gives class labels, predict_proba one probability per class
    (in the order of classes_; each row sums to 1), score the accuracy.
    """

    _task = "classification"
    _estimator_type = "classifier"

    def predict(self, X: Any) -> List[Any]:
        """Return the predicted class label of each row of X.

        Raises TinynetError before fit or for rows unlike those of fit.
        """
        x = self._inputs(X, "predict")
        return [self.classes_[k] for k in self.net_.predict_classes(x)]

    def predict_proba(self, X: Any) -> List[List[float]]:
        """Return, for each row of X, the probability of each class in classes_.

        Raises TinynetError before fit or for rows unlike those of fit.
        """
        return self.net_.predict_proba(self._inputs(X, "predict_proba"))

    def score(self, X: Any, y: Any) -> float:
        """Return the accuracy of predict(X) against the labels y (rows whose
        label is missing left out).

        Raises TinynetError as predict does, or for y of another length.
        """
        truth, predicted = _labelled("Classifier.score", y, self.predict(X))
        return metrics.accuracy(recipe.class_labels(truth), predicted)


class Regressor(_Estimator):
    """A neural-network regressor with tinynet's defaults (see the module docstring).

    predict gives one number per row, in the target's own units; score is R^2.
    """

    _task = "regression"
    _estimator_type = "regressor"

    def predict(self, X: Any) -> List[float]:
        """Return the predicted value of each row of X.

        Raises TinynetError before fit or for rows unlike those of fit.
        """
        return [row[0] for row in self.net_.predict(self._inputs(X, "predict"))]

    def score(self, X: Any, y: Any) -> float:
        """Return R^2 of predict(X) against the values y (see metrics.r2_score),
        rows whose value is missing left out.

        Raises TinynetError as predict does, or for y of another length or not numbers.
        """
        truth, predicted = _labelled("Regressor.score", y, self.predict(X))
        return metrics.r2_score(recipe.typed_target(truth), predicted)


# --- rows as people have them -------------------------------------------------------

def _plain(obj: Any) -> Any:
    """A NumPy array or pandas object as Python lists (duck typing: tolist, to_dict)."""
    if hasattr(obj, "columns") and hasattr(obj, "to_dict"):  # a pandas DataFrame
        return obj.to_dict("records")
    if hasattr(obj, "tolist") and not isinstance(obj, (str, bytes)):
        return obj.tolist()
    return obj


def _dict_rows(X: Any) -> bool:
    X = _plain(X)
    return is_sequence(X) and len(X) > 0 and isinstance(X[0], Mapping)


def _rows(op: str, X: Any, names: Optional[List[str]]) -> Tuple[List[str], List[list]]:
    """(column names, rows of cells) from lists, tuples, dicts, NumPy or pandas rows.

    names (from fit) picks dict entries by name; a missing entry is None.
    """
    X = _plain(X)
    if isinstance(X, (str, bytes)) or not is_sequence(X) or not len(X):
        raise TinynetError(f"{op}: X must be a non-empty list of rows, got {describe(X)}")
    rows = [_plain(row) for row in X]
    if isinstance(rows[0], Mapping):
        # keys as text, so that 0 and "0" (a DataFrame's own column labels) agree
        rows = [{str(k): v for k, v in row.items()} if isinstance(row, Mapping) else row
                for row in rows]
        if names is None:
            names = list(dict.fromkeys(k for row in rows if isinstance(row, Mapping)
                                       for k in row))
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                raise TinynetError(f"{op}: row {i} is {describe(row)}, the first is a dict")
        return names, [[row.get(n) for n in names] for row in rows]
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes, Mapping)) or not is_sequence(row):
            raise TinynetError(f"{op}: row {i} must be a list of cells, got {describe(row)}")
        if len(row) != len(rows[0]):
            raise TinynetError(f"{op}: row {i} has {len(row)} cells, row 0 has {len(rows[0])}")
    return [f"x{j}" for j in range(len(rows[0]))], [list(row) for row in rows]


def _widths(hidden: Any) -> Any:
    """hidden as the list of widths recipe.train takes: 16 -> [16], (16, 8) -> [16, 8]."""
    if isinstance(hidden, int) and not isinstance(hidden, bool):
        return [hidden]
    return list(hidden) if is_sequence(hidden) else hidden


def _labelled(op: str, y: Any, predicted: list) -> Tuple[list, list]:
    """(y, predicted) without the rows whose y is missing (None, NaN, NA, ...)."""
    pairs = [(t, p) for t, p in zip(_column(op, y, len(predicted)), predicted)
             if not is_missing(t)]
    if not pairs:
        raise TinynetError(f"{op}: every target in y is missing")
    return [t for t, _ in pairs], [p for _, p in pairs]


def _column(op: str, y: Any, n: int) -> list:
    y = _plain(y)
    if isinstance(y, (str, bytes)) or not is_sequence(y):
        raise TinynetError(f"{op}: y must be a list of targets, got {describe(y)}")
    y = [row[0] if is_sequence(row) and not isinstance(row, str) and len(row) == 1 else row
         for row in y]
    if len(y) != n:
        raise TinynetError(f"{op}: X has {n} rows but y has {len(y)}")
    return y
