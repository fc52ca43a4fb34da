"""Preprocessing: label encoding, splitting, scaling and batching.

Rows are samples: ``x`` is an (n, n_features) list of lists of float, and the
targets are either a list of n class ``labels`` or an (n, n_out) matrix ``y``.
No function here mutates its arguments; each returns fresh lists. All
randomness comes from ``random.Random(seed)``: the same seed gives the same
output.

=========================  ===================================================
function                   returns
=========================  ===================================================
one_hot(labels)            (one-hot matrix, sorted classes)
from_one_hot(m, classes)   the class of the largest entry of each row
labels_to_indices          the position of each label in classes
train_test_split           (x_train, x_test, y_train, y_test), shuffled
Standardizer               z = (x - mean) / std per column, and back
batches(x, y, size)        (x_batch, y_batch) pairs covering every row once
=========================  ===================================================

The label checks (label_list, sorted_classes, given_classes,
class_positions) are public so that tinynet.metrics checks labels the same
way.

>>> one_hot(["cat", "dog", "cat"])
([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], ['cat', 'dog'])
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ..checks import check_rng, describe, is_sequence, number
from ..checks import rng as seeded
from ..errors import ShapeError, TinynetError
from ..matrix import Matrix, argmax_rows, as_matrix

__all__ = ["one_hot", "from_one_hot", "labels_to_indices", "train_test_split",
           "Standardizer", "batches"]

# --- labels ------------------------------------------------------------------

def one_hot(labels: Sequence[Any],
            classes: Optional[Sequence[Any]] = None) -> Tuple[Matrix, List[Any]]:
    """Return (m, classes): the one-hot matrix m (n, k) of n labels, k classes.

    m[i][j] = 1.0 if labels[i] == classes[j] else 0.0. classes defaults to the
    sorted distinct labels; pass it to encode against a known class list (for
    example test labels against the classes seen in training).

    >>> one_hot([2, 0, 2])
    ([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]], [0, 2])
    >>> one_hot(["b"], classes=["c", "b", "a"])
    ([[0.0, 1.0, 0.0]], ['c', 'b', 'a'])
    >>> one_hot(["d"], classes=["a", "b"])
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: one_hot: label 'd' is not one of the classes ['a', 'b']

    Raises TinynetError for empty or unhashable labels, labels of types that
    do not sort together (pass classes= then), a bad class list, or a label
    that is not in classes.
    """
    labels = label_list("one_hot", labels)
    classes = (sorted_classes("one_hot", labels) if classes is None
               else given_classes("one_hot", classes))
    k = len(classes)
    rows = []
    for j in class_positions("one_hot", labels, classes):
        row = [0.0] * k
        row[j] = 1.0
        rows.append(row)
    return rows, classes


def from_one_hot(m: Matrix, classes: Sequence[Any]) -> List[Any]:
    """Return the labels classes[argmax_j m[i][j]] of the rows of m.

    This undoes one_hot, and turns a network's output scores (n, k) into
    predicted labels; on ties the first class wins.

    >>> from_one_hot([[0.1, 0.7, 0.2], [0.9, 0.0, 0.1]], ["a", "b", "c"])
    ['b', 'a']

    Raises TinynetError for a bad matrix or class list, ShapeError when m
    does not have one column per class.
    """
    m = as_matrix(m, op="from_one_hot")
    classes = given_classes("from_one_hot", classes)
    if len(m[0]) != len(classes):
        raise ShapeError(
            f"from_one_hot: needs one column per class, got {len(m[0])} columns "
            f"and {len(classes)} classes")
    return [classes[j] for j in argmax_rows(m)]  # (n, k) -> n


def labels_to_indices(labels: Sequence[Any], classes: Sequence[Any]) -> List[int]:
    """Return the position of each label in classes: classes[result[i]] == labels[i].

    >>> labels_to_indices(["b", "a", "b"], ["a", "b"])
    [1, 0, 1]

    Raises TinynetError for empty labels, a bad class list, or a label that
    is not in classes.
    """
    labels = label_list("labels_to_indices", labels)
    classes = given_classes("labels_to_indices", classes)
    return class_positions("labels_to_indices", labels, classes)


def label_list(op: str, labels: Any, name: str = "labels") -> List[Any]:
    """A fresh list of labels, after checking it is a non-empty sequence."""
    return _sequence(op, name, labels, "labels")


def _check_hashable(op: str, labels: List[Any], name: str = "labels") -> None:
    for i, label in enumerate(labels):
        try:
            hash(label)
        except TypeError:
            raise TinynetError(
                f"{op}: {name} must be hashable, {name}[{i}] is {describe(label)}") from None


def sorted_classes(op: str, labels: List[Any]) -> List[Any]:
    """The sorted distinct labels."""
    _check_hashable(op, labels)
    distinct = set(labels)
    try:
        return sorted(distinct)
    except TypeError:
        types = ", ".join(sorted({type(v).__name__ for v in distinct}))
        raise TinynetError(
            f"{op}: cannot sort labels of mixed types ({types}); "
            "pass classes= to give the class order") from None


def given_classes(op: str, classes: Any) -> List[Any]:
    """A fresh list of the caller's classes, checked: non-empty, hashable, distinct."""
    classes = label_list(op, classes, "classes")
    _check_hashable(op, classes, "classes")
    seen = set()
    for c in classes:
        if c in seen:
            raise TinynetError(f"{op}: classes has {c!r} more than once")
        seen.add(c)
    return classes


def class_positions(op: str, labels: List[Any], classes: List[Any]) -> List[int]:
    _check_hashable(op, labels)
    position = {c: j for j, c in enumerate(classes)}
    try:
        return [position[label] for label in labels]
    except KeyError as e:
        raise TinynetError(
            f"{op}: label {e.args[0]!r} is not one of the classes {_short(classes)}") from None


def _short(items: List[Any], limit: int = 12) -> str:
    """repr of a list, cut to its first limit items."""
    if len(items) <= limit:
        return repr(items)
    return repr(items[:limit])[:-1] + f", ... ({len(items)} in all)]"


# --- splitting ---------------------------------------------------------------

def train_test_split(x: Sequence[Any], y: Sequence[Any], *, test_size: float = 0.25,
                     seed: Optional[int] = None, stratify: bool = False
                     ) -> Tuple[list, list, list, list]:
    """Return (x_train, x_test, y_train, y_test): the rows split at random.

    y is a list of labels or a matrix, one entry per row of x. test_size is a
    fraction in (0, 1) (the test part gets ceil(test_size * n) rows) or a
    count of test rows. With stratify=True each class keeps its share: class
    c, with n_c of the n rows, gets n_test * n_c / n test rows rounded up or
    down (largest remainders get the extra rows), so the proportions in both
    parts match the whole as closely as whole rows allow. The classes are
    the entries of y; a matrix row counts as the tuple of its values, which
    for a one-hot y is its class. Both parts are shuffled. The inputs are not
    changed: the parts are fresh lists of fresh rows.

    >>> x = [[float(i)] for i in range(8)]
    >>> labels = ["a"] * 4 + ["b"] * 4
    >>> x_train, x_test, y_train, y_test = train_test_split(
    ...     x, labels, test_size=0.5, seed=0, stratify=True)
    >>> len(x_train), len(x_test), sorted(y_test)
    (4, 4, ['a', 'a', 'b', 'b'])

    Raises TinynetError when x and y differ in length, there are fewer than 2
    rows, test_size is not a fraction in (0, 1) or a count in 1..n-1, or a
    part would be empty.
    """
    op = "train_test_split"
    x, y = _samples(op, "x", x), _samples(op, "y", y)
    n = len(x)
    if len(y) != n:
        raise TinynetError(f"{op}: x has {n} rows but y has {len(y)}")
    if n < 2:
        raise TinynetError(f"{op}: needs at least 2 rows to make two parts, got {n}")
    n_test = _test_count(op, test_size, n)
    rng = seeded(op, seed, strings=False)
    if stratify:
        test, train = _stratified(op, y, n_test, rng)
    else:
        order = list(range(n))
        rng.shuffle(order)
        test, train = order[:n_test], order[n_test:]
    return ([_copy(x[i]) for i in train], [_copy(x[i]) for i in test],
            [_copy(y[i]) for i in train], [_copy(y[i]) for i in test])


def _samples(op: str, name: str, obj: Any) -> list:
    """A fresh list of samples (rows or labels), checked like label_list."""
    return _sequence(op, name, obj, "rows")


def _sequence(op: str, name: str, obj: Any, of: str) -> list:
    # A non-empty sequence, but not a string (a string is a sequence of letters).
    if obj is None or isinstance(obj, (str, bytes)) or not is_sequence(obj):
        raise TinynetError(f"{op}: {name} must be a sequence of {of}, got {describe(obj)}")
    items = list(obj)
    if not items:
        raise TinynetError(f"{op}: {name} is empty")
    return items


def _copy(sample: Any) -> Any:
    # A fresh copy of a row, so that changing an output never changes an
    # input; labels (numbers, strings, tuples) are immutable and kept as is.
    if isinstance(sample, (str, bytes, tuple)) or not is_sequence(sample):
        return sample
    return list(sample)


def _test_count(op: str, test_size: Any, n: int) -> int:
    if isinstance(test_size, int) and not isinstance(test_size, bool):
        if not 1 <= test_size <= n - 1:
            raise TinynetError(
                f"{op}: test_size as a count must be in 1..{n - 1} for {n} rows, "
                f"got {test_size}")
        return test_size
    size = number(op, "test_size", test_size)
    if not 0.0 < size < 1.0:
        raise TinynetError(f"{op}: test_size as a fraction must be in (0, 1), got {size}")
    # round first so that float noise (0.7 * 10 = 7.000000000000001) does
    # not add a row
    count = math.ceil(round(size * n, 9))
    if count > n - 1:
        raise TinynetError(
            f"{op}: test_size {size} of {n} rows leaves no training rows")
    return count


def _stratified(op: str, y: list, n_test: int,
                rng: random.Random) -> Tuple[List[int], List[int]]:
    """Row indices (test, train), each class split in proportion."""
    groups: Dict[Any, List[int]] = {}
    for i, label in enumerate(y):
        groups.setdefault(_label_key(op, i, label), []).append(i)
    members = list(groups.values())
    n = len(y)
    # largest remainder: class c gets floor(n_test * n_c / n) test rows, and
    # the rows still missing go to the largest fractional parts (ties broken
    # at random, since the classes were shuffled before the stable sort)
    counts = [n_test * len(m) // n for m in members]
    remainders = [n_test * len(m) % n for m in members]
    order = list(range(len(members)))
    rng.shuffle(order)
    order.sort(key=lambda c: -remainders[c])
    for c in order[:n_test - sum(counts)]:
        counts[c] += 1
    test, train = [], []
    for m, count in zip(members, counts):
        m = m[:]
        rng.shuffle(m)
        test += m[:count]
        train += m[count:]
    rng.shuffle(test)
    rng.shuffle(train)
    return test, train


def _label_key(op: str, i: int, label: Any) -> Any:
    if not isinstance(label, (str, bytes)) and is_sequence(label):
        label = tuple(label)  # a matrix row, e.g. one-hot
    try:
        hash(label)
    except TypeError:
        raise TinynetError(
            f"{op}: stratify needs hashable labels, y[{i}] is {describe(label)}") from None
    return label



# --- scaling -----------------------------------------------------------------

class Standardizer:
    """Scale each column to mean 0 and standard deviation 1: z = (x - mean) / std.

    fit learns, for each column j of x (n rows), mean_j = (1/n) sum_i x_ij
    and the population standard deviation
    std_j = sqrt((1/n) sum_i (x_ij - mean_j)^2). transform applies them to any
    data with the same columns, so test data is scaled with what was learned
    from the training data. A constant column has std 0; its std is stored as
    1 so that the column maps to 0 instead of dividing by zero.

    >>> s = Standardizer().fit([[1.0, 5.0], [3.0, 5.0]])
    >>> s
    Standardizer(mean=[2, 5], std=[1, 1])
    >>> s.transform([[1.0, 5.0], [5.0, 6.0]])
    [[-1.0, 0.0], [3.0, 1.0]]
    >>> s.inverse_transform([[3.0, 1.0]])
    [[5.0, 6.0]]
    >>> Standardizer.from_dict(s.to_dict()).mean
    [2.0, 5.0]

    transform and inverse_transform raise TinynetError before fit, and
    ShapeError for data with a different number of columns.
    """

    def __init__(self) -> None:
        self.mean: Optional[List[float]] = None
        self.std: Optional[List[float]] = None

    def fit(self, x: Matrix) -> "Standardizer":
        """Learn the mean and std of each column of x (n, m); return self.

        Raises TinynetError for a bad matrix (see matrix.as_matrix), or a
        column too spread out for its std to be a finite float.
        """
        x = as_matrix(x, op="Standardizer.fit")
        stats = [_mean_std(col) for col in zip(*x)]
        for j, (_, std) in enumerate(stats):
            if not math.isfinite(std):
                raise TinynetError(
                    f"Standardizer.fit: column {j} is too spread out: its std overflows")
        self.mean = [mean for mean, _ in stats]
        self.std = [std for _, std in stats]
        return self

    def transform(self, x: Matrix) -> Matrix:
        """Return z = (x - mean) / std, column by column, as a new matrix.

        Raises TinynetError before fit, ShapeError for a different column count.
        """
        x = self._check(x, "transform")
        return [[(v - m) / s for v, m, s in zip(row, self.mean, self.std)] for row in x]

    def fit_transform(self, x: Matrix) -> Matrix:
        """Fit to x, then return x transformed.

        >>> Standardizer().fit_transform([[0.0], [2.0]])
        [[-1.0], [1.0]]
        """
        return self.fit(x).transform(x)

    def inverse_transform(self, z: Matrix) -> Matrix:
        """Return x = z * std + mean, column by column: undoes transform.

        Raises TinynetError before fit, ShapeError for a different column count.
        """
        z = self._check(z, "inverse_transform")
        return [[v * s + m for v, m, s in zip(row, self.mean, self.std)] for row in z]

    def to_dict(self) -> Dict[str, List[float]]:
        """Return {"mean": [...], "std": [...]}, for saving as JSON.

        Raises TinynetError before fit.
        """
        self._check_fitted("to_dict")
        return {"mean": list(self.mean), "std": list(self.std)}

    @classmethod
    def from_dict(cls, d: Any) -> "Standardizer":
        """Return a fitted Standardizer from to_dict's output, after checking it.

        >>> Standardizer.from_dict({"mean": [1.0], "std": [0.0]})
        Traceback (most recent call last):
            ...
        tinynet.errors.TinynetError: Standardizer.from_dict: 'std' entry 0 must be > 0, got 0.0

        Raises TinynetError when d is not a dict, a key is missing, a value
        is not a non-empty list of finite numbers, a std is <= 0, or the
        lists differ in length.
        """
        op = "Standardizer.from_dict"
        if not isinstance(d, Mapping):
            raise TinynetError(
                f"{op}: needs a dict with keys 'mean' and 'std', got {describe(d)}")
        mean = _float_list(op, d, "mean")
        std = _float_list(op, d, "std")
        if len(mean) != len(std):
            raise TinynetError(
                f"{op}: 'mean' has {len(mean)} entries but 'std' has {len(std)}")
        for j, s in enumerate(std):
            if s <= 0.0:
                raise TinynetError(f"{op}: 'std' entry {j} must be > 0, got {s}")
        scaler = cls()
        scaler.mean, scaler.std = mean, std
        return scaler

    def __repr__(self) -> str:
        if self.mean is None:
            return "Standardizer(not fitted)"
        return f"Standardizer(mean={_brief(self.mean)}, std={_brief(self.std)})"

    def _check_fitted(self, method: str) -> None:
        if self.mean is None:
            raise TinynetError(f"Standardizer.{method}: not fitted yet; call fit(x) first")

    def _check(self, x: Matrix, method: str) -> Matrix:
        self._check_fitted(method)
        x = as_matrix(x, op=f"Standardizer.{method}")
        if len(x[0]) != len(self.mean):
            raise ShapeError(
                f"Standardizer.{method}: fitted on {len(self.mean)} columns, "
                f"got {len(x[0])}")
        return x


def _mean_std(col: Sequence[float]) -> Tuple[float, float]:
    """(mean, population std) of one column; std 1.0 for a constant column."""
    lo, hi = min(col), max(col)
    if lo == hi:
        return lo, 1.0  # exact, so the column maps to exactly 0
    n = len(col)
    try:
        mean = math.fsum(col) / n  # fsum: no rounding error piles up
    except OverflowError:  # the sum of huge values; each v / n fits
        mean = math.fsum(v / n for v in col)
    deviations = [v - mean for v in col]
    # divide by the largest deviation before squaring, so the squares neither
    # overflow (1e200^2) nor vanish (1e-200^2); then scale back
    scale = max(map(abs, deviations))
    std = scale * math.sqrt(math.fsum((d / scale) ** 2 for d in deviations) / n)
    return mean, (std if std > 0.0 else 1.0)


def _float_list(op: str, d: Mapping, key: str) -> List[float]:
    if key not in d:
        raise TinynetError(f"{op}: missing key {key!r}")
    values = d[key]
    if not isinstance(values, (list, tuple)):
        raise TinynetError(f"{op}: {key!r} must be a list of numbers, got {describe(values)}")
    if not values:
        raise TinynetError(f"{op}: {key!r} is empty")
    return [number(op, f"{key!r} entry {j}", v) for j, v in enumerate(values)]


def _brief(values: List[float], limit: int = 6) -> str:
    shown = ", ".join(f"{v:.4g}" for v in values[:limit])
    more = f", ... ({len(values)} in all)" if len(values) > limit else ""
    return f"[{shown}{more}]"


# --- batching ----------------------------------------------------------------

def batches(x: Sequence[Any], y: Optional[Sequence[Any]], batch_size: Optional[int], *,
            shuffle: bool = True, seed: Optional[int] = None,
            rng: Optional[random.Random] = None
            ) -> Iterator[Tuple[list, Optional[list]]]:
    """Return an iterator of (x_batch, y_batch) pairs that covers every row once.

    Rows are taken in a random order (shuffle=True) or in order, batch_size
    at a time; the last batch is smaller when batch_size does not divide n.
    batch_size None gives one batch of all rows. The order comes from rng, a
    random.Random (pass the same one every epoch to get a new order each
    epoch that is still reproducible), or from random.Random(seed). y may be
    None (then every y_batch is None). The batches hold fresh copies of the
    rows.

    >>> x = [[1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> for xb, yb in batches(x, ["a", "b", "c", "d", "e"], 2, shuffle=False):
    ...     print(xb, yb)
    [[1.0], [2.0]] ['a', 'b']
    [[3.0], [4.0]] ['c', 'd']
    [[5.0]] ['e']

    Raises TinynetError (when called, not when iterated) for empty x, y of
    a different length, a batch_size that is not a positive integer or None,
    both seed and rng given, or an rng that is not a random.Random.
    """
    op = "batches"
    x = _samples(op, "x", x)
    n = len(x)
    if y is not None:
        y = _samples(op, "y", y)
        if len(y) != n:
            raise TinynetError(f"{op}: x has {n} rows but y has {len(y)}")
    if batch_size is None:
        batch_size = n
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise TinynetError(
            f"{op}: batch_size must be a positive integer or None, got {batch_size!r}")
    order = list(range(n))
    if shuffle:
        if rng is not None and seed is not None:
            raise TinynetError(f"{op}: give seed or rng, not both")
        if rng is None:
            rng = seeded(op, seed, strings=False)
        else:
            check_rng(op, rng)
        rng.shuffle(order)
    return _batches(x, y, order, batch_size)


def _batches(x: list, y: Optional[list], order: List[int],
             size: int) -> Iterator[Tuple[list, Optional[list]]]:
    for start in range(0, len(order), size):
        rows = order[start:start + size]
        yield ([_copy(x[i]) for i in rows],
               None if y is None else [_copy(y[i]) for i in rows])
