"""Data sets: the article's XOR table, synthetic 2-D sets, and the real ones shipped.

Each returns (x, targets): x is an (n, n_features) list of lists of float and
the targets are n class labels (the (4, 1) matrix y for xor). The synthetic
sets draw all their randomness from ``random.Random(seed)``.

=========================  ===================================================
function                   returns
=========================  ===================================================
xor()                      the article's data: x (4, 3) and y (4, 1)
moons, circles, spirals    synthetic 2-D classification data: (x, labels)
gaussians                  Gaussian blobs, one per class: (x, labels)
load_iris, load_digits     the real data sets shipped in tinynet/datasets
DATASETS                   name -> one-line description of every data set
load_dataset(name)         any of the above by name
=========================  ===================================================

>>> x, y = xor()
>>> x[1], y[1]
([0.0, 1.0, 1.0], [1.0])
"""

from __future__ import annotations

import math
import os
import random
from typing import Any, Dict, List, Optional, Tuple

from ..checks import describe, number
from ..checks import rng as seeded
from ..errors import TinynetError
from ..matrix import Matrix
from .tables import read_csv

__all__ = ["xor", "moons", "circles", "spirals", "gaussians", "load_iris", "load_digits",
           "DATASETS", "load_dataset"]

_DATASETS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "datasets")

DATASETS: Dict[str, str] = {
    "xor": "the article's XOR table: 4 x 3 inputs (the third is a constant 1) "
           "and 4 x 1 targets",
    "moons": "two interleaving half circles: n x 2 (n=200 by default), 2 classes; "
             "synthetic",
    "circles": "a circle inside a circle: n x 2 (n=200 by default), 2 classes; "
               "synthetic",
    "spirals": "two interleaved spiral arms: n x 2 (n=200 by default), 2 classes; "
               "synthetic",
    "gaussians": "Gaussian blobs, one per class around the unit circle: n x 2 "
                 "(n=200 by default), 2 classes; synthetic",
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
    factor = number("circles", "factor", factor)
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
    turns = number("spirals", "turns", turns)
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


def gaussians(n: int = 200, *, noise: float = 0.5, classes: int = 2,
              seed: Optional[int] = None) -> Tuple[Matrix, List[int]]:
    """Return Gaussian blobs, one per class: x (n, 2) and n labels 0..classes-1.

    Class c is centred on the unit circle at angle 2 pi c / classes, and each
    point is its centre plus N(0, noise^2) in each coordinate, so noise is the
    spread of a blob (two blobs are 2 apart). n is split as evenly as
    possible between the classes (the first get the extra points); the points
    are shuffled.

    >>> x, labels = gaussians(6, noise=0.0, classes=2, seed=0)
    >>> sorted((label, round(a, 6), round(b, 6)) for (a, b), label in zip(x, labels))[::3]
    [(0, 1.0, 0.0), (1, -1.0, 0.0)]
    >>> sorted(labels)
    [0, 0, 0, 1, 1, 1]

    Raises TinynetError unless classes >= 2 and n >= classes are integers,
    noise >= 0, and seed is an integer or None.
    """
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 2:
        raise TinynetError(f"gaussians: classes must be an integer >= 2, got {classes!r}")
    rng, sizes, noise = _synthetic_args("gaussians", n, classes, noise, seed)
    points, labels = [], []
    for label, m in enumerate(sizes):
        t = 2.0 * math.pi * label / classes
        points += [(math.cos(t), math.sin(t))] * m
        labels += [label] * m
    return _jitter_and_shuffle(points, labels, noise, rng)


def _synthetic_args(op: str, n: Any, classes: int, noise: Any,
                    seed: Any) -> Tuple[random.Random, List[int], float]:
    """Check the shared arguments; return (rng, points per class, noise)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < classes:
        raise TinynetError(
            f"{op}: n must be an integer >= {classes} (one point per class), got {n!r}")
    noise = number(op, "noise", noise)
    if noise < 0.0:
        raise TinynetError(f"{op}: needs noise >= 0, got {noise}")
    # as even as possible: the first n % classes classes get one extra point
    sizes = [n // classes + (1 if c < n % classes else 0) for c in range(classes)]
    return seeded(op, seed, strings=False), sizes, noise


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
    x, labels, _, _ = read_csv(shipped_file("iris.csv"), target="species")
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
    x, digits, _, _ = read_csv(shipped_file("digits.csv.gz"), target="digit")
    return x, [int(d) for d in digits]


def shipped_file(name: str) -> str:
    """Return the path of a file shipped in tinynet/datasets, such as "iris.csv".

    >>> os.path.basename(shipped_file("iris.csv"))
    'iris.csv'
    """
    return os.path.join(_DATASETS_DIR, name)


def load_dataset(name: str, *, seed: Optional[int] = None,
                 noise: Optional[float] = None,
                 n: Optional[int] = None) -> Tuple[Matrix, Any]:
    """Return the data set called name (a key of DATASETS) as (x, targets).

    The targets are the (4, 1) matrix y for 'xor' and a list of labels for
    the others. seed, noise and n go to the synthetic sets (moons, circles,
    spirals, gaussians; None keeps their defaults); seed is ignored by the fixed sets,
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
        shown = repr(name) if isinstance(name, str) else describe(name)
        raise TinynetError(f"load_dataset: unknown data set {shown}; choose one of {choices}")
    generators = {"moons": moons, "circles": circles, "spirals": spirals,
                  "gaussians": gaussians}
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
                f"load_dataset: {option} applies to moons, circles, spirals and gaussians, "
                f"not to the fixed data set {name!r}")
    loaders = {"xor": xor, "iris": load_iris, "digits": load_digits}
    return loaders[name]()
