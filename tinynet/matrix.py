"""Matrices as plain lists of rows of floats.

A matrix is a ``list`` of rows, each a ``list`` of ``float``; a vector is one
such row. Rows are samples: an input batch ``x`` is (n, n_in), weights are
(n_in, n_out) and biases are (n_out,), as in the article.

=================  ====================================================
function           returns
=================  ====================================================
shape(a)           (rows, cols)
zeros, identity    new matrices
transpose(a)       a^T
matmul(a, b)       a @ b
add, sub           a + b, a - b (elementwise)
hadamard(a, b)     a * b (elementwise)
scale(a, factor)   factor * a
apply(f, a)        f applied to every entry
add_row(a, row)    row added to every row of a (biases)
column_sums(a)     sum over the rows (bias gradients)
argmax_rows(a)     index of the largest entry of each row
random_uniform     entries from U[low, high)
random_normal      entries from N(mean, std^2)
as_matrix(obj)     a validated, fresh list of lists of float
=================  ====================================================

>>> a = [[1.0, 2.0], [3.0, 4.0]]
>>> matmul(a, identity(2)) == a
True
>>> transpose([[1.0, 2.0, 3.0]])
[[1.0], [2.0], [3.0]]

Validation. ``as_matrix`` is the gate: it checks everything (rectangular,
non-empty, numeric, finite) and is called once wherever user data enters
tinynet (``Network.forward``, ``fit``, ...). The public ops below check the
shapes they rely on before computing; that costs one ``len`` per row, which
is small next to the work of the op. Nothing inside the training loop calls
the public ops: it calls the unchecked kernels (``_matmul`` and friends) on
data that has already been through the gate.

No function mutates its arguments; each returns fresh lists.

Speed. Each unchecked kernel picks, once per shape, the fastest form for
that shape on the running interpreter (measured, see
``benchmarks/compare_numpy.py``):

- small shapes: code written out for the shape, every entry one expression
  (``tinynet._kernels``; the article's 4x3 @ 3x4 runs 2x faster so);
- larger ones: ``zip(*b)`` once, then one dot product per output entry,
  ``math.sumprod`` (one C loop, Python 3.12+) or ``sum(map(operator.mul,
  row, col))`` (two C iterators, older CPython);
- on PyPy, whose JIT compiles plain loops, the i-k-j loop (its output
  columns kept as local sums, up to 64), compiled afresh for each shape.

The textbook triple loop stays in ``tests/`` as the reference oracle.
"""

from __future__ import annotations

import math
import operator
import platform
import random
from itertools import repeat
from typing import Any, Callable, List, Sequence, Tuple

from ._kernels import Table, kernel_for
from .errors import ShapeError, TinynetError

__all__ = [
    "Matrix", "Vector", "shape", "zeros", "identity", "transpose", "matmul",
    "add", "sub", "hadamard", "scale", "apply", "add_row", "column_sums",
    "argmax_rows", "random_uniform", "random_normal", "as_matrix", "dot",
]

Matrix = List[List[float]]
Vector = List[float]

_mul = operator.mul
_add = operator.add
_sub = operator.sub
PYPY = platform.python_implementation() == "PyPy"

try:
    _sumprod = math.sumprod  # Python 3.12+: one C loop, extended precision
except AttributeError:  # pragma: no cover - depends on the interpreter
    _sumprod = None


if _sumprod is not None:
    dot = _sumprod
else:
    def dot(u: Sequence[float], v: Sequence[float]) -> float:
        """Return the dot product sum_i u_i * v_i of two equal-length vectors.

        >>> dot([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        return sum(map(_mul, u, v))


# --- unchecked kernels: callers guarantee the shapes ------------------------
#
# Each kernel below looks up, by the shape of its arguments (rows, then
# columns), the function that does the work: for small shapes one written out for that
# shape by tinynet._kernels (compiled once, then a dict look-up), otherwise
# the general form that follows (on PyPy, for products, a loop compiled per
# shape). Where the lines between them fall was measured per interpreter;
# see _kernels.RULES.

if _sumprod is not None:
    def _matmul_general(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (k, m) -> (n, m): zip(*b) gives b's columns once, then one
        # math.sumprod (a single C loop) per output entry.
        columns = list(zip(*b))
        return [[_sumprod(row, col) for col in columns] for row in a]
else:
    def _matmul_general(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (k, m) -> (n, m): zip(*b) gives b's columns once; sum(map(
        # mul)) runs the dot product in C iterators, 1.5-3x the plain loop.
        columns = list(zip(*b))
        return [[sum(map(_mul, row, col)) for col in columns] for row in a]


if _sumprod is not None:
    def _matmul_bt_general(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (m, k)^T -> (n, m): rows of a against rows of b, no transpose
        return [list(map(_sumprod, repeat(row), b)) for row in a]
else:
    def _matmul_bt_general(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (m, k)^T -> (n, m): rows of a against rows of b, no transpose
        return [[sum(map(_mul, row, b_row)) for b_row in b] for row in a]


def _matmul_at_general(a: Matrix, b: Matrix) -> Matrix:
    # (n, k)^T @ (n, m) -> (k, m): columns of a against columns of b
    return _matmul_bt(list(zip(*a)), list(zip(*b)))


def _affine_general(x: Matrix, w: Matrix, bias: Vector) -> Matrix:
    # x @ w + bias, (n, k) @ (k, m) + (m,) -> (n, m)
    return _add_row(_matmul(x, w), bias)


def _transpose_general(a: Matrix) -> Matrix:
    return [list(col) for col in zip(*a)]


def _add_row_general(a: Matrix, row: Vector) -> Matrix:
    return [list(map(_add, a_row, row)) for a_row in a]


def _column_sums_general(a: Matrix) -> Vector:
    return [sum(col) for col in zip(*a)]


def _add_general(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_add, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _sub_general(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_sub, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _hadamard_general(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_mul, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _scale_general(factor: float, a: Matrix) -> Matrix:
    return [[factor * v for v in row] for row in a]


# Kernel tables, rows -> columns (-> columns) -> kernel, filled on first use
# of a shape.
_MATMUL: Table = {}
_MATMUL_BT: Table = {}
_MATMUL_AT: Table = {}
_AFFINE: Table = {}
_TRANSPOSE: Table = {}
_ADD_ROW: Table = {}
_COLUMN_SUMS: Table = {}
_ADD: Table = {}
_SUB: Table = {}
_HADAMARD: Table = {}
_SCALE: Table = {}

# Each kernel function below: look the kernel up by shape (a dict subscript
# per dimension), build it on a miss, call it.


def _matmul(a: Matrix, b: Matrix) -> Matrix:
    """Return a @ b, unchecked: (n, k) @ (k, m) -> (n, m).

    >>> _matmul([[1.0, 2.0]], [[3.0], [4.0]])
    [[11.0]]
    """
    try:
        kernel = _MATMUL[len(a)][len(b)][len(b[0])]
    except KeyError:
        kernel = kernel_for(_MATMUL, "matmul", _matmul_general, len(a), len(b), len(b[0]))
    return kernel(a, b)


def _matmul_bt(a: Matrix, b: Matrix) -> Matrix:
    # (n, k) @ (m, k)^T -> (n, m)
    try:
        kernel = _MATMUL_BT[len(a)][len(b[0])][len(b)]
    except KeyError:
        kernel = kernel_for(_MATMUL_BT, "matmul_bt", _matmul_bt_general, len(a), len(b[0]),
                            len(b))
    return kernel(a, b)


def _matmul_at(a: Matrix, b: Matrix) -> Matrix:
    # (n, k)^T @ (n, m) -> (k, m)
    try:
        kernel = _MATMUL_AT[len(a)][len(a[0])][len(b[0])]
    except KeyError:
        kernel = kernel_for(_MATMUL_AT, "matmul_at", _matmul_at_general, len(a), len(a[0]),
                            len(b[0]))
    return kernel(a, b)


def _affine(x: Matrix, w: Matrix, bias: Vector) -> Matrix:
    # (n, k) @ (k, m) + (m,) -> (n, m)
    try:
        kernel = _AFFINE[len(x)][len(w)][len(bias)]
    except KeyError:
        kernel = kernel_for(_AFFINE, "affine", _affine_general, len(x), len(w), len(bias))
    return kernel(x, w, bias)


def _transpose(a: Matrix) -> Matrix:
    """Return a^T, unchecked: (n, m) -> (m, n).

    >>> _transpose([[1.0, 2.0]])
    [[1.0], [2.0]]
    """
    try:
        kernel = _TRANSPOSE[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_TRANSPOSE, "transpose", _transpose_general, len(a), len(a[0]))
    return kernel(a)


def _add_row(a: Matrix, row: Vector) -> Matrix:
    try:
        kernel = _ADD_ROW[len(a)][len(row)]
    except KeyError:
        kernel = kernel_for(_ADD_ROW, "add_row", _add_row_general, len(a), len(row))
    return kernel(a, row)


def _column_sums(a: Matrix) -> Vector:
    try:
        kernel = _COLUMN_SUMS[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_COLUMN_SUMS, "column_sums", _column_sums_general,
                            len(a), len(a[0]))
    return kernel(a)


def _add_matrices(a: Matrix, b: Matrix) -> Matrix:
    """Return a + b entry by entry, unchecked.

    >>> _add_matrices([[1.0]], [[2.0]])
    [[3.0]]
    """
    try:
        kernel = _ADD[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_ADD, "add", _add_general, len(a), len(a[0]))
    return kernel(a, b)


def _sub_matrices(a: Matrix, b: Matrix) -> Matrix:
    """Return a - b entry by entry, unchecked.

    >>> _sub_matrices([[1.0]], [[2.0]])
    [[-1.0]]
    """
    try:
        kernel = _SUB[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_SUB, "sub", _sub_general, len(a), len(a[0]))
    return kernel(a, b)


def _hadamard(a: Matrix, b: Matrix) -> Matrix:
    try:
        kernel = _HADAMARD[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_HADAMARD, "mul", _hadamard_general, len(a), len(a[0]))
    return kernel(a, b)


def _scale(factor: float, a: Matrix) -> Matrix:
    try:
        kernel = _SCALE[len(a)][len(a[0])]
    except KeyError:
        kernel = kernel_for(_SCALE, "scale", _scale_general, len(a), len(a[0]))
    return kernel(factor, a)


# --- checks ------------------------------------------------------------------

def _shape(a: Matrix, op: str) -> Tuple[int, int]:
    """Shape of a, after checking that it is a non-empty rectangular list."""
    try:
        rows = len(a)
        cols = len(a[0])
        # A plain loop over the lengths: the cheapest check on CPython and
        # PyPy alike (a set of them allocates); the set only for the message.
        lengths = None
        for row in a:
            if len(row) != cols:
                lengths = sorted(set(map(len, a)))
                break
    except (TypeError, IndexError, KeyError):
        raise TinynetError(
            f"{op}: needs a non-empty list of rows, got {_describe(a)}") from None
    if cols == 0:
        raise TinynetError(f"{op}: needs non-empty rows, got a row of length 0")
    if lengths is not None:
        raise ShapeError(f"{op}: needs rectangular rows, got row lengths {lengths}")
    return rows, cols


def _same_shape(a: Matrix, b: Matrix, op: str, sign: str) -> None:
    sa, sb = _shape(a, op), _shape(b, op)
    if sa != sb:
        raise ShapeError(f"{op}: shapes differ: {sa} {sign} {sb}")


def _describe(obj: Any) -> str:
    text = repr(obj)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(obj).__name__} {text}"


# --- public, checked ops -----------------------------------------------------

def shape(a: Matrix) -> Tuple[int, int]:
    """Return the shape (rows, cols) of a matrix.

    >>> shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (2, 3)

    Raises TinynetError for an empty or non-list input, ShapeError for
    ragged rows.
    """
    return _shape(a, "shape")


def zeros(rows: int, cols: int) -> Matrix:
    """Return a (rows, cols) matrix of 0.0.

    >>> zeros(2, 3)
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]

    Raises TinynetError unless rows and cols are positive integers.
    """
    _check_dims("zeros", rows, cols)
    return [[0.0] * cols for _ in range(rows)]


def identity(n: int) -> Matrix:
    """Return the (n, n) identity matrix I, with I[i][j] = 1 if i == j else 0.

    >>> identity(2)
    [[1.0, 0.0], [0.0, 1.0]]

    Raises TinynetError unless n is a positive integer.
    """
    _check_dims("identity", n, n)
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


def transpose(a: Matrix) -> Matrix:
    """Return the transpose a^T, with a^T[j][i] = a[i][j]: (n, m) -> (m, n).

    >>> transpose([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]

    Raises TinynetError / ShapeError for an empty or ragged matrix.
    """
    _shape(a, "transpose")
    return _transpose(a)


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """Return the matrix product a @ b, with (a @ b)[i][j] = sum_k a[i][k] b[k][j].

    Shapes: (n, k) @ (k, m) -> (n, m).

    >>> matmul([[1.0, 2.0]], [[3.0], [4.0]])
    [[11.0]]

    Raises ShapeError when the inner dimensions differ.
    """
    sa, sb = _shape(a, "matmul"), _shape(b, "matmul")
    if sa[1] != sb[0]:
        raise ShapeError(f"matmul: inner dimensions differ: {sa} @ {sb}")
    return _matmul(a, b)


def add(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise sum a + b of two matrices of the same shape.

    >>> add([[1.0, 2.0]], [[10.0, 20.0]])
    [[11.0, 22.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "add", "+")
    return _add_matrices(a, b)


def sub(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise difference a - b of two matrices of the same shape.

    >>> sub([[1.0, 2.0]], [[10.0, 20.0]])
    [[-9.0, -18.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "sub", "-")
    return _sub_matrices(a, b)


def hadamard(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise (Hadamard) product a * b, same shapes.

    >>> hadamard([[1.0, 2.0]], [[10.0, 20.0]])
    [[10.0, 40.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "hadamard", "*")
    return _hadamard(a, b)


def scale(a: Matrix, factor: float) -> Matrix:
    """Return factor * a, every entry multiplied by the number factor.

    >>> scale([[1.0, -2.0]], 0.5)
    [[0.5, -1.0]]

    Raises TinynetError when factor is not a real number.
    """
    _shape(a, "scale")
    factor = _number("scale", "factor", factor)
    return _scale(factor, a)


def apply(f: Callable[[float], float], a: Matrix) -> Matrix:
    """Return the matrix of f(a[i][j]): f applied to every entry.

    >>> apply(abs, [[-1.0, 2.0]])
    [[1.0, 2.0]]

    Raises TinynetError when f is not callable.
    """
    if not callable(f):
        raise TinynetError(f"apply: needs a callable f, got {_describe(f)}")
    _shape(a, "apply")
    return [list(map(f, row)) for row in a]


def add_row(a: Matrix, row: Vector) -> Matrix:
    """Return a with the vector row added to each of its rows (a + 1 row^T).

    This is how biases are added: (n, m) + (m,) -> (n, m).

    >>> add_row([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])
    [[11.0, 22.0], [13.0, 24.0]]

    Raises ShapeError when len(row) differs from the number of columns.
    """
    rows, cols = _shape(a, "add_row")
    try:
        n = len(row)
    except TypeError:
        raise TinynetError(f"add_row: needs a vector row, got {_describe(row)}") from None
    if n != cols:
        raise ShapeError(f"add_row: row length differs: {(rows, cols)} + ({n},)")
    return _add_row(a, row)


def column_sums(a: Matrix) -> Vector:
    """Return the vector of column sums, s[j] = sum_i a[i][j]: (n, m) -> (m,).

    >>> column_sums([[1.0, 2.0], [3.0, 4.0]])
    [4.0, 6.0]

    Raises TinynetError / ShapeError for an empty or ragged matrix.
    """
    _shape(a, "column_sums")
    return _column_sums(a)


def argmax_rows(a: Matrix) -> List[int]:
    """Return, for each row, the index of its largest entry (the first on ties).

    >>> argmax_rows([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0]])
    [1, 0]

    Raises TinynetError / ShapeError for an empty or ragged matrix.
    """
    _shape(a, "argmax_rows")
    return [row.index(max(row)) for row in a]


def random_uniform(rows: int, cols: int, low: float, high: float,
                   rng: random.Random) -> Matrix:
    """Return a (rows, cols) matrix with entries drawn from U[low, high).

    >>> m = random_uniform(2, 3, -1.0, 1.0, random.Random(0))
    >>> shape(m), all(-1.0 <= v < 1.0 for row in m for v in row)
    ((2, 3), True)

    Raises TinynetError for bad dimensions, low > high, or an rng that is not
    a random.Random.
    """
    _check_dims("random_uniform", rows, cols)
    _check_rng("random_uniform", rng)
    low = _number("random_uniform", "low", low)
    high = _number("random_uniform", "high", high)
    if low > high:
        raise TinynetError(f"random_uniform: needs low <= high, got {low} > {high}")
    uniform = rng.uniform
    return [[uniform(low, high) for _ in range(cols)] for _ in range(rows)]


def random_normal(rows: int, cols: int, mean: float, std: float,
                  rng: random.Random) -> Matrix:
    """Return a (rows, cols) matrix with entries drawn from N(mean, std^2).

    >>> m = random_normal(3, 2, 0.0, 1.0, random.Random(0))
    >>> shape(m)
    (3, 2)

    Raises TinynetError for bad dimensions, std < 0, or an rng that is not a
    random.Random.
    """
    _check_dims("random_normal", rows, cols)
    _check_rng("random_normal", rng)
    mean = _number("random_normal", "mean", mean)
    std = _number("random_normal", "std", std)
    if std < 0.0:
        raise TinynetError(f"random_normal: needs std >= 0, got {std}")
    gauss = rng.gauss
    return [[gauss(mean, std) for _ in range(cols)] for _ in range(rows)]


def as_matrix(obj: Any, *, op: str = "as_matrix") -> Matrix:
    """Return obj as a fresh list of lists of float, after checking it.

    obj may be any sequence of sequences of real numbers: lists, tuples, NumPy
    arrays. The result is rectangular, non-empty, and every entry is a finite
    float. ``op`` names the caller in error messages.

    >>> as_matrix(((1, 2), (3, 4)))
    [[1.0, 2.0], [3.0, 4.0]]
    >>> as_matrix([[1, 2], [3]])
    Traceback (most recent call last):
        ...
    tinynet.errors.ShapeError: as_matrix: needs rectangular rows, row 1 has 1 columns, row 0 has 2

    Raises TinynetError for None, strings, non-sequences, empty matrices or
    rows, non-numeric or non-finite entries, and ShapeError for ragged rows.
    """
    if obj is None or isinstance(obj, (str, bytes)) or not _is_sequence(obj):
        raise TinynetError(f"{op}: needs a sequence of rows, got {_describe(obj)}")
    rows = list(obj)
    if not rows:
        raise TinynetError(f"{op}: needs at least one row, got an empty sequence")
    out = []
    cols = None
    for i, row in enumerate(rows):
        if row is None or isinstance(row, (str, bytes)) or not _is_sequence(row):
            raise TinynetError(
                f"{op}: row {i} must be a sequence of numbers, got {_describe(row)}"
                + (" (for one column, write [[v] for v in values])"
                   if isinstance(row, (int, float)) else ""))
        values = [_entry(op, i, j, v) for j, v in enumerate(row)]
        if not values:
            raise TinynetError(f"{op}: row {i} is empty")
        if cols is None:
            cols = len(values)
        elif len(values) != cols:
            raise ShapeError(
                f"{op}: needs rectangular rows, row {i} has {len(values)} "
                f"columns, row 0 has {cols}")
        out.append(values)
    return out


# --- small helpers for the checks -------------------------------------------

def _is_sequence(obj: Any) -> bool:
    # Lists, tuples, ranges and NumPy arrays all have __len__ and __iter__;
    # sets and dicts do too but have no order, so they are turned away.
    return (hasattr(obj, "__len__") and hasattr(obj, "__iter__")
            and not isinstance(obj, (set, frozenset, dict)))


def _entry(op: str, i: int, j: int, v: Any) -> float:
    if isinstance(v, (str, bytes)) or v is None:
        raise TinynetError(f"{op}: entry ({i}, {j}) must be a number, got {_describe(v)}")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise TinynetError(
            f"{op}: entry ({i}, {j}) must be a number, got {_describe(v)}") from None
    if not math.isfinite(x):
        raise TinynetError(f"{op}: entry ({i}, {j}) must be finite, got {x}")
    return x


def _number(op: str, name: str, v: Any) -> float:
    # float() takes ints, floats and NumPy scalars; strings and bools are
    # turned away because float("3") and float(True) would hide a mistake.
    if v is None or isinstance(v, (str, bytes, bool)):
        raise TinynetError(f"{op}: {name} must be a real number, got {_describe(v)}")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise TinynetError(f"{op}: {name} must be a real number, got {_describe(v)}") from None
    if not math.isfinite(x):
        raise TinynetError(f"{op}: {name} must be finite, got {x}")
    return x


def _check_dims(op: str, rows: Any, cols: Any) -> None:
    for name, n in (("rows", rows), ("cols", cols)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise TinynetError(f"{op}: {name} must be a positive integer, got {n!r}")


def _check_rng(op: str, rng: Any) -> None:
    if not isinstance(rng, random.Random):
        raise TinynetError(f"{op}: rng must be a random.Random, got {_describe(rng)}")
