"""Data: toy and real data sets, label encoding, splitting, scaling, batching, CSV.

Rows are samples: ``x`` is an (n, n_features) list of lists of float, and the
targets are either a list of n class ``labels`` or an (n, n_out) matrix ``y``.
No function here mutates its arguments; each returns fresh lists. All
randomness comes from ``random.Random(seed)``: the same seed gives the same
output.

=========================  ===================================================
function                   returns
=========================  ===================================================
xor()                      the article's data: x (4, 3) and y (4, 1)
moons, circles, spirals    synthetic 2-D classification data: (x, labels)
load_iris, load_digits     the real data sets shipped in tinynet/datasets
DATASETS                   name -> one-line description of every data set
load_dataset(name)         any of the above by name
one_hot(labels)            (one-hot matrix, sorted classes)
from_one_hot(m, classes)   the class of the largest entry of each row
labels_to_indices          the position of each label in classes
train_test_split           (x_train, x_test, y_train, y_test), shuffled
Standardizer               z = (x - mean) / std per column, and back
batches(x, y, size)        (x_batch, y_batch) pairs covering every row once
read_csv(path)             (x, y, feature_names, target_name) from a CSV file
=========================  ===================================================

>>> x, y = xor()
>>> x[1], y[1]
([0.0, 1.0, 1.0], [1.0])
>>> one_hot(["cat", "dog", "cat"])
([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], ['cat', 'dog'])
"""

from __future__ import annotations

import csv
import gzip
import math
import os
import random
from collections.abc import Mapping
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from .errors import ShapeError, TinynetError
from .matrix import Matrix, _check_rng, _describe, _is_sequence, _number, as_matrix

__all__ = [
    "xor", "moons", "circles", "spirals", "load_iris", "load_digits",
    "DATASETS", "load_dataset", "one_hot", "from_one_hot", "labels_to_indices",
    "train_test_split", "Standardizer", "batches", "read_csv",
]

_DATASETS_DIR = os.path.join(os.path.dirname(__file__), "datasets")

DATASETS: Dict[str, str] = {
    "xor": "the article's XOR table: 4 x 3 inputs (the third is a constant 1) "
           "and 4 x 1 targets",
    "moons": "two interleaving half circles: n x 2 (n=200 by default), 2 classes; "
             "synthetic",
    "circles": "a circle inside a circle: n x 2 (n=200 by default), 2 classes; "
               "synthetic",
    "spirals": "two interleaved spiral arms: n x 2 (n=200 by default), 2 classes; "
               "synthetic",
    "iris": "Fisher's iris: 150 x 4 measurements (cm), 3 species; "
            "R. A. Fisher (1936), via UCI, CC BY 4.0",
    "digits": "handwritten digits: 1797 x 64 pixels (8x8, 0..16), 10 classes; "
              "Alpaydin & Kaynak (1998), UCI, CC BY 4.0",
}


# --- data sets ---------------------------------------------------------------

def xor() -> Tuple[Matrix, Matrix]:
    """Return the article's XOR data: x (4, 3) and y (4, 1), y = x1 XOR x2.

    The third input is always 1: in the article it lets the network learn a
    bias without a separate bias term.

    >>> x, y = xor()
    >>> x
    [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    >>> y
    [[0.0], [1.0], [1.0], [0.0]]
    """
    x = [[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    y = [[0.0], [1.0], [1.0], [0.0]]
    return x, y


def moons(n: int = 200, *, noise: float = 0.1,
          seed: Optional[int] = None) -> Tuple[Matrix, List[int]]:
    """Return two interleaving half circles: x (n, 2) and n labels 0 or 1.

    Class 0 is the upper half of the unit circle, (cos t, sin t); class 1 is
    the lower half moved right and up, (1 - cos t, 0.5 - sin t); t runs evenly
    over [0, pi]. Each class gets half of the n points (class 0 one more when
    n is odd). N(0, noise^2) is added to each coordinate, then the points are
    shuffled so the classes interleave.

    >>> x, labels = moons(6, noise=0.0, seed=0)
    >>> sorted((round(a, 2), round(b, 2)) for a, b in x)
    [(-1.0, 0.0), (0.0, 0.5), (0.0, 1.0), (1.0, -0.5), (1.0, 0.0), (2.0, 0.5)]
    >>> sorted(labels)
    [0, 0, 0, 1, 1, 1]

    Raises TinynetError unless n >= 2 is an integer, noise >= 0 is a number,
    and seed is an integer or None.
    """
    rng, sizes, noise = _synthetic_args("moons", n, 2, noise, seed)
    points, labels = [], []
    for label, m in enumerate(sizes):
        for i in range(m):
            t = math.pi * i / (m - 1) if m > 1 else 0.0
            if label == 0:
                points.append((math.cos(t), math.sin(t)))
            else:
                points.append((1.0 - math.cos(t), 0.5 - math.sin(t)))
            labels.append(label)
    return _jitter_and_shuffle(points, labels, noise, rng)


def circles(n: int = 200, *, noise: float = 0.1, factor: float = 0.5,
            seed: Optional[int] = None) -> Tuple[Matrix, List[int]]:
    """Return a circle inside a circle: x (n, 2) and n labels 0 or 1.

    Class 0 lies on the unit circle, class 1 on the circle of radius factor,
    at evenly spaced angles t = 2 pi i / m. Each class gets half of the n
    points (class 0 one more when n is odd). N(0, noise^2) is added to each
    coordinate, then the points are shuffled.

    >>> x, labels = circles(8, noise=0.0, factor=0.5, seed=0)
    >>> sorted({(label, round(math.hypot(a, b), 6)) for (a, b), label in zip(x, labels)})
    [(0, 1.0), (1, 0.5)]

    Raises TinynetError unless n >= 2 is an integer, noise >= 0,
    0 < factor < 1, and seed is an integer or None.
    """
    rng, sizes, noise = _synthetic_args("circles", n, 2, noise, seed)
    factor = _number("circles", "factor", factor)
    if not 0.0 < factor < 1.0:
        raise TinynetError(f"circles: needs 0 < factor < 1, got {factor}")
    points, labels = [], []
    for label, (m, radius) in enumerate(zip(sizes, (1.0, factor))):
        for i in range(m):
            t = 2.0 * math.pi * i / m
            points.append((radius * math.cos(t), radius * math.sin(t)))
            labels.append(label)
    return _jitter_and_shuffle(points, labels, noise, rng)


def spirals(n: int = 200, *, noise: float = 0.1, classes: int = 2,
            turns: float = 1.0, seed: Optional[int] = None) -> Tuple[Matrix, List[int]]:
    """Return interleaved spiral arms: x (n, 2) and n labels 0..classes-1.

    Arm c has points at radius r and angle 2 pi (turns r + c / classes), with
    r = (i + 1) / m for i = 0..m-1: each arm winds turns times around the
    origin while growing to radius 1, and the arms are rotated evenly apart.
    n is split as evenly as possible between the arms (the first arms get the
    extra points). N(0, noise^2) is added to each coordinate, then the points
    are shuffled.

    >>> x, labels = spirals(9, noise=0.0, classes=3, seed=0)
    >>> sorted(labels)
    [0, 0, 0, 1, 1, 1, 2, 2, 2]
    >>> max(round(math.hypot(a, b), 6) for a, b in x)
    1.0

    Raises TinynetError unless classes >= 2 and n >= classes are integers,
    noise >= 0, turns > 0, and seed is an integer or None.
    """
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise TinynetError(f"spirals: classes must be an integer >= 2, got {classes!r}")
    rng, sizes, noise = _synthetic_args("spirals", n, classes, noise, seed)
    turns = _number("spirals", "turns", turns)
    if turns <= 0.0:
        raise TinynetError(f"spirals: needs turns > 0, got {turns}")
    points, labels = [], []
    for label, m in enumerate(sizes):
        for i in range(m):
            r = (i + 1) / m
            t = 2.0 * math.pi * (turns * r + label / classes)
            points.append((r * math.cos(t), r * math.sin(t)))
            labels.append(label)
    return _jitter_and_shuffle(points, labels, noise, rng)


def _synthetic_args(op: str, n: Any, classes: int, noise: Any,
                    seed: Any) -> Tuple[random.Random, List[int], float]:
    """Check the shared arguments; return (rng, points per class, noise)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < classes:
        raise TinynetError(
            f"{op}: n must be an integer >= {classes} (one point per class), got {n!r}")
    noise = _number(op, "noise", noise)
    if noise < 0.0:
        raise TinynetError(f"{op}: needs noise >= 0, got {noise}")
    # as even as possible: the first n % classes classes get one extra point
    sizes = [n // classes + (1 if c < n % classes else 0) for c in range(classes)]
    return _rng(op, seed), sizes, noise


def _jitter_and_shuffle(points: List[Tuple[float, float]], labels: List[int],
                        noise: float, rng: random.Random) -> Tuple[Matrix, List[int]]:
    gauss = rng.gauss
    x = [[a + gauss(0.0, noise), b + gauss(0.0, noise)] for a, b in points]
    # shuffled, so that taking the first rows or batching without shuffling
    # does not see one class only
    order = list(range(len(x)))
    rng.shuffle(order)
    return [x[i] for i in order], [labels[i] for i in order]


def load_iris() -> Tuple[Matrix, List[str]]:
    """Return Fisher's iris data: x (150, 4) and the 150 species names.

    Columns of x: sepal length, sepal width, petal length, petal width (cm).
    Labels: 'setosa', 'versicolor', 'virginica', 50 flowers each.

    Source: R. A. Fisher (1936), "The use of multiple measurements in
    taxonomic problems", Annals of Eugenics 7(2). Via the UCI Machine Learning
    Repository. Public domain / CC BY 4.0. The file is
    tinynet/datasets/iris.csv (see the README.md there).

    >>> x, labels = load_iris()
    >>> len(x), len(x[0]), x[0], labels[0]
    (150, 4, [5.1, 3.5, 1.4, 0.2], 'setosa')
    >>> sorted(set(labels))
    ['setosa', 'versicolor', 'virginica']
    """
    x, labels, _, _ = read_csv(_dataset_path("iris.csv"), target="species")
    return x, labels


def load_digits() -> Tuple[Matrix, List[int]]:
    """Return the handwritten digits: x (1797, 64) pixels and 1797 digits 0..9.

    Each row of x is an 8x8 image in row-major order (x[k][8 * r + c] is row
    r, column c), with pixel values 0..16 as floats.

    Source: E. Alpaydin, C. Kaynak (1998), "Optical Recognition of
    Handwritten Digits", UCI Machine Learning Repository (test set).
    CC BY 4.0. The file is tinynet/datasets/digits.csv.gz (see the README.md
    there).

    >>> x, labels = load_digits()
    >>> len(x), len(x[0]), labels[:5]
    (1797, 64, [0, 1, 2, 3, 4])
    >>> min(min(row) for row in x), max(max(row) for row in x)
    (0.0, 16.0)
    """
    x, digits, _, _ = read_csv(_dataset_path("digits.csv.gz"), target="digit")
    return x, [int(d) for d in digits]


def _dataset_path(name: str) -> str:
    return os.path.join(_DATASETS_DIR, name)


def load_dataset(name: str, *, seed: Optional[int] = None,
                 noise: Optional[float] = None,
                 n: Optional[int] = None) -> Tuple[Matrix, Any]:
    """Return the data set called name (a key of DATASETS) as (x, targets).

    The targets are the (4, 1) matrix y for 'xor' and a list of labels for
    the others. seed, noise and n go to the synthetic sets (moons, circles,
    spirals; None keeps their defaults); seed is ignored by the fixed sets,
    which have no randomness.

    >>> x, labels = load_dataset("moons", n=10, seed=1)
    >>> len(x), sorted(set(labels))
    (10, [0, 1])
    >>> load_dataset("mnist")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: load_dataset: unknown data set 'mnist'; choose one of 'xor', ...

    Raises TinynetError for an unknown name, or noise or n given for a data
    set that has none.
    """
    if not isinstance(name, str) or name not in DATASETS:
        choices = ", ".join(repr(k) for k in DATASETS)
        shown = repr(name) if isinstance(name, str) else _describe(name)
        raise TinynetError(f"load_dataset: unknown data set {shown}; choose one of {choices}")
    generators = {"moons": moons, "circles": circles, "spirals": spirals}
    if name in generators:
        options: Dict[str, Any] = {"seed": seed}
        if noise is not None:
            options["noise"] = noise
        if n is not None:
            options["n"] = n
        return generators[name](**options)
    for option, value in (("noise", noise), ("n", n)):
        if value is not None:
            raise TinynetError(
                f"load_dataset: {option} applies to moons, circles and spirals, "
                f"not to the fixed data set {name!r}")
    loaders = {"xor": xor, "iris": load_iris, "digits": load_digits}
    return loaders[name]()


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
    labels = _labels("one_hot", labels)
    classes = (_class_list("one_hot", labels) if classes is None
               else _given_classes("one_hot", classes))
    k = len(classes)
    rows = []
    for j in _indices("one_hot", labels, classes):
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
    classes = _given_classes("from_one_hot", classes)
    if len(m[0]) != len(classes):
        raise ShapeError(
            f"from_one_hot: needs one column per class, got {len(m[0])} columns "
            f"and {len(classes)} classes")
    return [classes[row.index(max(row))] for row in m]


def labels_to_indices(labels: Sequence[Any], classes: Sequence[Any]) -> List[int]:
    """Return the position of each label in classes: classes[result[i]] == labels[i].

    >>> labels_to_indices(["b", "a", "b"], ["a", "b"])
    [1, 0, 1]

    Raises TinynetError for empty labels, a bad class list, or a label that
    is not in classes.
    """
    labels = _labels("labels_to_indices", labels)
    classes = _given_classes("labels_to_indices", classes)
    return _indices("labels_to_indices", labels, classes)


def _labels(op: str, labels: Any, name: str = "labels") -> List[Any]:
    """A fresh list of labels, after checking it is a non-empty sequence."""
    return _sequence(op, name, labels, "labels")


def _check_hashable(op: str, labels: List[Any], name: str = "labels") -> None:
    for i, label in enumerate(labels):
        try:
            hash(label)
        except TypeError:
            raise TinynetError(
                f"{op}: {name} must be hashable, {name}[{i}] is {_describe(label)}") from None


def _class_list(op: str, labels: List[Any]) -> List[Any]:
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


def _given_classes(op: str, classes: Any) -> List[Any]:
    """A fresh list of the caller's classes, checked: non-empty, hashable, distinct."""
    classes = _labels(op, classes, "classes")
    _check_hashable(op, classes, "classes")
    seen = set()
    for c in classes:
        if c in seen:
            raise TinynetError(f"{op}: classes has {c!r} more than once")
        seen.add(c)
    return classes


def _indices(op: str, labels: List[Any], classes: List[Any]) -> List[int]:
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
    rng = _rng(op, seed)
    if stratify:
        test, train = _stratified(op, y, n_test, rng)
    else:
        order = list(range(n))
        rng.shuffle(order)
        test, train = order[:n_test], order[n_test:]
    return ([_copy(x[i]) for i in train], [_copy(x[i]) for i in test],
            [_copy(y[i]) for i in train], [_copy(y[i]) for i in test])


def _samples(op: str, name: str, obj: Any) -> list:
    """A fresh list of samples (rows or labels), checked like _labels."""
    return _sequence(op, name, obj, "rows")


def _sequence(op: str, name: str, obj: Any, of: str) -> list:
    # A non-empty sequence, but not a string (a string is a sequence of letters).
    if obj is None or isinstance(obj, (str, bytes)) or not _is_sequence(obj):
        raise TinynetError(f"{op}: {name} must be a sequence of {of}, got {_describe(obj)}")
    items = list(obj)
    if not items:
        raise TinynetError(f"{op}: {name} is empty")
    return items


def _copy(sample: Any) -> Any:
    # A fresh copy of a row, so that changing an output never changes an
    # input; labels (numbers, strings, tuples) are immutable and kept as is.
    if isinstance(sample, (str, bytes, tuple)) or not _is_sequence(sample):
        return sample
    return list(sample)


def _test_count(op: str, test_size: Any, n: int) -> int:
    if isinstance(test_size, int) and not isinstance(test_size, bool):
        if not 1 <= test_size <= n - 1:
            raise TinynetError(
                f"{op}: test_size as a count must be in 1..{n - 1} for {n} rows, "
                f"got {test_size}")
        return test_size
    size = _number(op, "test_size", test_size)
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
    if not isinstance(label, (str, bytes)) and _is_sequence(label):
        label = tuple(label)  # a matrix row, e.g. one-hot
    try:
        hash(label)
    except TypeError:
        raise TinynetError(
            f"{op}: stratify needs hashable labels, y[{i}] is {_describe(label)}") from None
    return label


def _rng(op: str, seed: Any) -> random.Random:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TinynetError(f"{op}: seed must be an integer or None, got {_describe(seed)}")
    return random.Random(seed)


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
                f"{op}: needs a dict with keys 'mean' and 'std', got {_describe(d)}")
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
        raise TinynetError(f"{op}: {key!r} must be a list of numbers, got {_describe(values)}")
    if not values:
        raise TinynetError(f"{op}: {key!r} is empty")
    return [_number(op, f"{key!r} entry {j}", v) for j, v in enumerate(values)]


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
            rng = _rng(op, seed)
        else:
            _check_rng(op, rng)
        rng.shuffle(order)
    return _batches(x, y, order, batch_size)


def _batches(x: list, y: Optional[list], order: List[int],
             size: int) -> Iterator[Tuple[list, Optional[list]]]:
    for start in range(0, len(order), size):
        rows = order[start:start + size]
        yield ([_copy(x[i]) for i in rows],
               None if y is None else [_copy(y[i]) for i in rows])


# --- CSV -----------------------------------------------------------------------

def read_csv(path: Any, *, target: Any = -1,
             features: Optional[Sequence[str]] = None
             ) -> Tuple[Matrix, Optional[list], List[str], Optional[str]]:
    """Return (x, y, feature_names, target_name) read from a CSV file.

    The file is comma-separated UTF-8 text, gzip-compressed if its name ends
    in ".gz". Cells are stripped of surrounding spaces; blank lines, and rows
    whose cells are all empty, are skipped.

    Header. The first row is a header when one of its cells is not a number
    while the cell below it is (so a text label column does not make a
    header by itself); a file of a single row is a header when any of its
    cells is not a number. Without a header the target column is named "y"
    and the other columns "x0", "x1", ... in order.

    target picks the target column: a column name (needs a header), an
    index (negative counts from the end; the default -1 is the last column),
    or None for no target, when y and target_name are None. features, a list
    of column names, picks the feature columns and their order; by default
    every column but the target is a feature.

    x holds the features as floats. y holds the target as floats when every
    target cell is a finite number, and otherwise as the strings of the file
    (class names). It is never converted further: a 0/1 class column comes
    back as floats 0.0 and 1.0.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "pets.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write("weight,height,kind\\n4.0,25,cat\\n30,60,dog\\n")
    ...     read_csv(path, target="kind")
    ([[4.0, 25.0], [30.0, 60.0]], ['cat', 'dog'], ['weight', 'height'], 'kind')

    Raises TinynetError, naming the file, for: a missing or unreadable file,
    an empty file, a header with no data rows, an empty or repeated column
    name, a row with a different number of columns (``line 4 has 3 columns,
    expected 5``), a feature cell that is not a finite number (``line 4,
    column 'age': expected a number, got 'abc'``), an unknown target or
    feature name (the message lists the columns), a target index out of
    range, or a target name for a file with no header.
    """
    op = "read_csv"
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TinynetError(f"{op}: path must be a file name, got {_describe(path)}")
    name = os.fspath(path)
    rows = _read_rows(name)
    if not rows:
        raise TinynetError(f"{op}: {name} is empty")
    width = len(rows[0][1])
    for line, cells in rows:
        if len(cells) != width:
            raise TinynetError(
                f"{op}: {name} line {line} has {len(cells)} columns, expected {width}")
    names: Optional[List[str]] = None
    if _has_header(rows):
        names = _header_names(name, rows[0])
        rows = rows[1:]
        if not rows:
            raise TinynetError(f"{op}: {name} has a header but no data rows")
    t = _target_column(name, target, names, width)
    if names is None:
        names = _default_names(width, t)
    columns = ([j for j in range(width) if j != t] if features is None
               else _feature_columns(name, features, names, t))
    if not columns:
        raise TinynetError(f"{op}: {name} has no feature columns, only the target {names[t]!r}")
    x = [_features(name, line, cells, columns, names) for line, cells in rows]
    y = None if t is None else _target_values([cells[t] for _, cells in rows])
    return x, y, [names[j] for j in columns], (None if t is None else names[t])


def _read_rows(name: str) -> List[Tuple[int, List[str]]]:
    """(line number, stripped cells) of every non-blank row of the file."""
    opener = gzip.open if name.endswith(".gz") else open
    rows = []
    line = 0
    try:
        # utf-8-sig drops the byte-order mark some spreadsheets write
        with opener(name, "rt", encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            for cells in reader:
                line = reader.line_num
                cells = [c.strip() for c in cells]
                if any(cells):
                    rows.append((line, cells))
    except FileNotFoundError:
        raise TinynetError(f"read_csv: no such file: {name!r}") from None
    except (OSError, EOFError) as e:
        reason = e.strerror if getattr(e, "strerror", None) else (str(e) or type(e).__name__)
        raise TinynetError(f"read_csv: cannot read {name!r}: {reason}") from None
    except UnicodeDecodeError:
        raise TinynetError(f"read_csv: {name} is not UTF-8 text") from None
    except csv.Error as e:
        raise TinynetError(f"read_csv: {name} line {line + 1}: {e}") from None
    return rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _has_header(rows: List[Tuple[int, List[str]]]) -> bool:
    first = rows[0][1]
    if len(rows) == 1:
        return not all(map(_is_number, first))
    second = rows[1][1]
    return any(not _is_number(a) and _is_number(b) for a, b in zip(first, second))


def _header_names(name: str, row: Tuple[int, List[str]]) -> List[str]:
    line, names = row
    seen = set()
    for j, column in enumerate(names):
        if not column:
            raise TinynetError(f"read_csv: {name} line {line}: column {j} has an empty name")
        if column in seen:
            raise TinynetError(
                f"read_csv: {name} line {line}: column name {column!r} appears twice")
        seen.add(column)
    return names


def _default_names(width: int, t: Optional[int]) -> List[str]:
    """Names for a file without a header: "y" for the target, x0, x1, ... for the rest."""
    names = ["y"] * width
    for k, j in enumerate(j for j in range(width) if j != t):
        names[j] = f"x{k}"
    return names


def _target_column(name: str, target: Any, names: Optional[List[str]],
                   width: int) -> Optional[int]:
    if target is None:
        return None
    if isinstance(target, str):
        if names is None:
            raise TinynetError(
                f"read_csv: {name} has no header row, so target must be a column "
                f"index, got {target!r}")
        if target not in names:
            raise TinynetError(
                f"read_csv: {name} has no column {target!r}; columns are {_names(names)}")
        return names.index(target)
    if isinstance(target, bool) or not isinstance(target, int):
        raise TinynetError(
            f"read_csv: target must be a column name, an index or None, got {_describe(target)}")
    if not -width <= target < width:
        raise TinynetError(
            f"read_csv: target index {target} is out of range for {width} columns")
    return target % width


def _feature_columns(name: str, features: Any, names: List[str],
                     t: Optional[int]) -> List[int]:
    if isinstance(features, (str, bytes)) or not _is_sequence(features):
        raise TinynetError(
            f"read_csv: features must be a list of column names, got {_describe(features)}")
    if not features:
        raise TinynetError("read_csv: features is empty")
    columns = []
    for feature in features:
        if not isinstance(feature, str):
            raise TinynetError(
                f"read_csv: features must be column names, got {_describe(feature)}")
        if feature not in names:
            raise TinynetError(
                f"read_csv: {name} has no column {feature!r}; columns are {_names(names)}")
        j = names.index(feature)
        if j == t:
            raise TinynetError(
                f"read_csv: column {feature!r} is the target; it cannot also be a feature")
        if j in columns:
            raise TinynetError(f"read_csv: features lists {feature!r} twice")
        columns.append(j)
    return columns


def _names(names: List[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _features(name: str, line: int, cells: List[str], columns: List[int],
              names: List[str]) -> List[float]:
    try:
        row = [float(cells[j]) for j in columns]
        if all(map(math.isfinite, row)):
            return row
    except ValueError:
        pass
    # the slow path, only to find the first bad cell and name it
    j = next(j for j in columns if not _is_finite_number(cells[j]))
    needed = "a finite number" if _is_number(cells[j]) else "a number"
    raise TinynetError(
        f"read_csv: {name} line {line}, column {names[j]!r}: "
        f"expected {needed}, got {cells[j]!r}")


def _is_finite_number(cell: str) -> bool:
    return _is_number(cell) and math.isfinite(float(cell))


def _target_values(cells: List[str]) -> list:
    try:
        values = [float(c) for c in cells]
    except ValueError:
        return cells  # class names
    return values if all(map(math.isfinite, values)) else cells
