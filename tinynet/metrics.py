"""Metrics: how good are the predictions?

The classification metrics compare two equal-length lists of labels: the
true ones and the predicted ones. Labels can be any hashable values (ints,
strings, ...). To turn a network's output scores (n, k) into labels, use
``data.from_one_hot(scores, classes)`` first. For regression,
mean_squared_error compares numbers.

=========================  ==================================================
function                   returns
=========================  ==================================================
accuracy                   the fraction of predictions that are right
confusion_matrix           (counts[true][predicted], classes)
precision_recall_f1        class -> precision, recall, f1 and support
classification_report      the same as a text table, with averages
balanced_accuracy          the mean recall over the classes
macro_f1                   the mean f1 over the classes
mean_squared_error         the mean of (y_true - y_pred)^2 over all entries
mean_absolute_error        the mean of |y_true - y_pred| over all entries
root_mean_squared_error    sqrt(mean_squared_error), in the target's units
r2_score                   1 - SSE / SST, the share of variance explained
=========================  ==================================================

>>> y_true = ["cat", "cat", "dog", "dog"]
>>> y_pred = ["cat", "dog", "dog", "dog"]
>>> accuracy(y_true, y_pred)
0.75
>>> confusion_matrix(y_true, y_pred)
([[1, 1], [0, 2]], ['cat', 'dog'])
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .checks import describe, is_sequence, number
from .data.preprocess import class_positions, given_classes, label_list, sorted_classes
from .errors import ShapeError, TinynetError
from .matrix import as_matrix

__all__ = [
    "accuracy", "confusion_matrix", "precision_recall_f1",
    "classification_report", "balanced_accuracy", "macro_f1", "mean_squared_error",
    "mean_absolute_error", "root_mean_squared_error", "r2_score",
]


def accuracy(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """Return the fraction of predictions that equal the true label.

    accuracy = (1/n) sum_i [y_pred_i == y_true_i], a number in [0, 1].

    >>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
    0.75

    Raises TinynetError unless y_true and y_pred are non-empty sequences of
    the same length.
    """
    y_true, y_pred = _pair("accuracy", y_true, y_pred)
    right = sum(1 for t, p in zip(y_true, y_pred) if t == p)
    return right / len(y_true)


def confusion_matrix(y_true: Sequence[Any], y_pred: Sequence[Any], *,
                     classes: Optional[Sequence[Any]] = None
                     ) -> Tuple[List[List[int]], List[Any]]:
    """Return (counts, classes), the confusion matrix of predictions.

    counts[i][j] = #{k : y_true_k = classes[i] and y_pred_k = classes[j]}.

    Rows are the true classes, columns the predicted ones, so the diagonal
    holds the right predictions and row i sums to the support of class i.
    classes defaults to the sorted labels found in y_true or y_pred.

    >>> counts, classes = confusion_matrix([0, 0, 1, 2], [0, 1, 1, 1])
    >>> classes
    [0, 1, 2]
    >>> counts
    [[1, 1, 0], [0, 1, 0], [0, 1, 0]]

    Raises TinynetError for lists that are empty or differ in length,
    unhashable labels, labels of types that do not sort together (pass
    classes= then), or a label that is not in classes.
    """
    return _confusion("confusion_matrix", y_true, y_pred, classes)


def precision_recall_f1(y_true: Sequence[Any], y_pred: Sequence[Any], *,
                        classes: Optional[Sequence[Any]] = None
                        ) -> Dict[Any, Dict[str, float]]:
    """Return {class: {"precision", "recall", "f1", "support"}} for each class.

    With tp the right predictions of class c, fp the wrong predictions of c,
    and fn the rows of class c predicted as something else:

        precision = tp / (tp + fp)     how often a prediction of c is right
        recall    = tp / (tp + fn)     how many rows of c are found
        f1        = 2 precision recall / (precision + recall)
                  = 2 tp / (2 tp + fp + fn)
        support   = tp + fn            the number of rows of class c (an int)

    A ratio 0/0 (c never predicted, or never present) is reported as 0.0,
    as scikit-learn does by default.

    >>> scores = precision_recall_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    >>> {c: round(s["precision"], 3) for c, s in scores.items()}
    {'a': 1.0, 'b': 0.667}
    >>> scores["a"]["recall"], round(scores["a"]["f1"], 3), scores["a"]["support"]
    (0.5, 0.667, 2)

    Raises TinynetError as confusion_matrix does.
    """
    counts, classes = _confusion("precision_recall_f1", y_true, y_pred, classes)
    return _scores(counts, classes)


def classification_report(y_true: Sequence[Any], y_pred: Sequence[Any], *,
                          classes: Optional[Sequence[Any]] = None,
                          digits: int = 3) -> str:
    """Return a text table of precision, recall, f1 and support per class.

    Below the classes come the accuracy, the macro average (the plain mean
    over the classes) and the weighted average (weighted by support) of each
    score. digits sets the decimals shown.

    >>> print(classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"]))
                  precision     recall   f1-score    support
               a      1.000      0.500      0.667          2
               b      0.667      1.000      0.800          2
    <BLANKLINE>
        accuracy                            0.750          4
       macro avg      0.833      0.750      0.733          4
    weighted avg      0.833      0.750      0.733          4

    Raises TinynetError as confusion_matrix does, or for digits that is not
    an integer in 0..10.
    """
    op = "classification_report"
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 10:
        raise TinynetError(f"{op}: digits must be an integer in 0..10, got {digits!r}")
    counts, classes = _confusion(op, y_true, y_pred, classes)
    scores = _scores(counts, classes)
    n = sum(map(sum, counts))
    keys = ("precision", "recall", "f1")
    macro = [math.fsum(s[key] for s in scores.values()) / len(classes) for key in keys]
    weighted = [math.fsum(s[key] * s["support"] for s in scores.values()) / n for key in keys]
    right = sum(counts[i][i] for i in range(len(classes)))

    names = [str(c) for c in classes] + ["weighted avg"]
    first = max(map(len, names))
    col = max(len("precision"), digits + 2) + 2

    def line(name: str, values: List[Optional[float]], support: int) -> str:
        cells = "".join(" " * col if v is None else f"{v:>{col}.{digits}f}" for v in values)
        return f"{name:>{first}}{cells}{support:>{col}}"

    titles = ("precision", "recall", "f1-score", "support")
    head = " " * first + "".join(f"{title:>{col}}" for title in titles)
    lines = [head]
    for c in classes:
        lines.append(line(str(c), [scores[c][key] for key in keys], scores[c]["support"]))
    lines += ["",
              line("accuracy", [None, None, right / n], n),
              line("macro avg", macro, n),
              line("weighted avg", weighted, n)]
    return "\n".join(text.rstrip() for text in lines)


def balanced_accuracy(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """Return the mean over the true classes of each class's recall.

    balanced_accuracy = (1/k) sum_c tp_c / support_c, over the k classes
    present in y_true. Unlike accuracy, a model that always predicts the
    majority class scores 1/k, however unbalanced the classes.

    >>> balanced_accuracy(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    0.5

    Raises TinynetError as confusion_matrix does.
    """
    counts, classes = _confusion("balanced_accuracy", y_true, y_pred, None)
    recalls = [row[c] / sum(row) for c, row in enumerate(counts) if sum(row)]
    return math.fsum(recalls) / len(recalls)


def macro_f1(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """Return the plain mean of the f1 of every class (see precision_recall_f1).

    The classes are those in y_true or y_pred; each counts the same,
    however many rows it has.

    >>> round(macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.7333

    Raises TinynetError as confusion_matrix does.
    """
    counts, classes = _confusion("macro_f1", y_true, y_pred, None)
    scores = _scores(counts, classes)
    return math.fsum(s["f1"] for s in scores.values()) / len(classes)


def mean_absolute_error(y_true: Any, y_pred: Any) -> float:
    """Return the mean absolute error (1/N) sum_k |y_true_k - y_pred_k|.

    Shapes as for mean_squared_error.

    >>> mean_absolute_error([1.0, 2.0, 3.0], [2.0, 2.0, 1.0])
    1.0

    Raises TinynetError and ShapeError as mean_squared_error does.
    """
    t, p = _same_shape("mean_absolute_error", y_true, y_pred)
    return math.fsum(abs(a - b) for a, b in zip(t, p)) / len(t)


def root_mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Return sqrt(mean_squared_error), in the units of the target.

    >>> root_mean_squared_error([0.0, 0.0], [3.0, -3.0])
    3.0

    Raises TinynetError and ShapeError as mean_squared_error does.
    """
    return math.sqrt(mean_squared_error(y_true, y_pred))


def r2_score(y_true: Any, y_pred: Any) -> float:
    """Return the coefficient of determination R^2 = 1 - SSE / SST.

    SSE = sum_k (y_true_k - y_pred_k)^2 and SST = sum_k (y_true_k - mean)^2,
    over all entries (for a matrix, over every column together). 1 is a
    perfect fit, 0 is no better than predicting the mean, and a worse model
    goes negative. A constant y_true (SST = 0) gives 1.0 for a perfect fit
    and 0.0 otherwise, as scikit-learn does.

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]), r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    (1.0, 0.0)
    >>> round(r2_score([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 3.0, 3.5]), 4)
    0.9

    Raises TinynetError and ShapeError as mean_squared_error does.
    """
    t, p = _same_shape("r2_score", y_true, y_pred)
    mean = math.fsum(t) / len(t)
    sse = math.fsum((a - b) * (a - b) for a, b in zip(t, p))
    sst = math.fsum((a - mean) * (a - mean) for a in t)
    if sst == 0.0:
        return 1.0 if sse == 0.0 else 0.0
    return 1.0 - sse / sst


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Return the mean squared error (1/N) sum_k (y_true_k - y_pred_k)^2.

    y_true and y_pred are matrices of the same shape, or flat lists of
    numbers of the same length; the mean is over all N entries.

    >>> mean_squared_error([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 6.0]])
    1.0
    >>> mean_squared_error([0.0, 1.0], [1.0, 1.0])
    0.5

    Raises TinynetError for empty input or entries that are not finite
    numbers, ShapeError when the shapes differ (a flat list of n numbers and
    an (n, 1) matrix differ too).
    """
    t, p = _same_shape("mean_squared_error", y_true, y_pred)
    # d * d, not d ** 2: float ** raises OverflowError where * gives inf
    return math.fsum((a - b) * (a - b) for a, b in zip(t, p)) / len(t)


# --- helpers -------------------------------------------------------------------

def _pair(op: str, y_true: Any, y_pred: Any) -> Tuple[list, list]:
    y_true, y_pred = label_list(op, y_true, "y_true"), label_list(op, y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise TinynetError(
            f"{op}: y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    return y_true, y_pred


def _confusion(op: str, y_true: Any, y_pred: Any,
               classes: Optional[Sequence[Any]]) -> Tuple[List[List[int]], List[Any]]:
    y_true, y_pred = _pair(op, y_true, y_pred)
    classes = (sorted_classes(op, y_true + y_pred) if classes is None
               else given_classes(op, classes))
    k = len(classes)
    counts = [[0] * k for _ in range(k)]
    for i, j in zip(class_positions(op, y_true, classes), class_positions(op, y_pred, classes)):
        counts[i][j] += 1
    return counts, classes


def _scores(counts: List[List[int]], classes: List[Any]) -> Dict[Any, Dict[str, float]]:
    scores = {}
    for c, row in enumerate(counts):
        tp = row[c]
        support = sum(row)  # tp + fn
        predicted = sum(r[c] for r in counts)  # tp + fp
        scores[classes[c]] = {
            "precision": _ratio(tp, predicted),
            "recall": _ratio(tp, support),
            "f1": _ratio(2 * tp, predicted + support),
            "support": support,
        }
    return scores


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0  # 0/0 -> 0.0, see precision_recall_f1


def _same_shape(op: str, y_true: Any, y_pred: Any) -> Tuple[List[float], List[float]]:
    """The entries of y_true and y_pred, after checking their shapes agree."""
    shape_true, t = _numbers(op, "y_true", y_true)
    shape_pred, p = _numbers(op, "y_pred", y_pred)
    if shape_true != shape_pred:
        raise ShapeError(f"{op}: shapes differ: y_true {shape_true}, y_pred {shape_pred}")
    return t, p


def _numbers(op: str, name: str, obj: Any) -> Tuple[Tuple[int, ...], List[float]]:
    """(shape, entries in row order) of a flat list of numbers or a matrix."""
    if obj is None or isinstance(obj, (str, bytes)) or not is_sequence(obj):
        raise TinynetError(
            f"{op}: {name} must be a list of numbers or a matrix, got {describe(obj)}")
    items = list(obj)
    if not items:
        raise TinynetError(f"{op}: {name} is empty")
    if isinstance(items[0], (str, bytes)) or not is_sequence(items[0]):
        return (len(items),), [number(op, f"{name}[{i}]", v) for i, v in enumerate(items)]
    m = as_matrix(items, op=f"{op}: {name}")
    return (len(m), len(m[0])), [v for row in m for v in row]
