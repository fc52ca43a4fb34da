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
class_indices(a)   argmax_rows, or p >= 0.5 for one column
vdot(u, v)         the dot product of two vectors
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
shape they rely on before computing (one ``len`` per row), and that the
entries are numbers on the result of the work (one C-level ``sum`` over it:
a string entry either breaks the arithmetic or leaves a string in the
result), which is small next to the op. Nothing inside the training loop
calls the public ops: it calls the unchecked forms through ``ops`` on data
that has already been through the gate. No function mutates its arguments.

Plain and fast. Each unchecked operation below is written once, plainly,
and handed to the door (``tinynet.fast.door.define``), which returns its
dispatcher: the fast form for the shape when tinynet.fast has one
(kernels written out for small shapes, math.sumprod products for large
ones), else this plain form. ``with tinynet.reference():`` runs the plain
forms only; ``tinynet.fast.show("matmul", 4, 3, 4)`` prints what runs.
"""

from __future__ import annotations

import math
import operator
import random
from itertools import chain
from typing import Any, Callable, List, Optional, Sequence, Tuple

from .checks import check_rng, describe, is_sequence, number, positive_int
from .errors import ShapeError, TinynetError
from .fast import define, ops

__all__ = [
    "Matrix", "Vector", "shape", "zeros", "identity", "transpose", "matmul",
    "add", "sub", "hadamard", "scale", "apply", "add_row", "column_sums",
    "argmax_rows", "class_indices", "random_uniform", "random_normal", "as_matrix",
    "vdot", "ops", "MAX_ENTRIES",
]

Matrix = List[List[float]]
Vector = List[float]

# zeros, identity and the random makers refuse more entries than this: each
# float in a list costs about 32 bytes, so 10**8 entries are about 3 GB.
MAX_ENTRIES = 10 ** 8

_mul = operator.mul
_sum = sum
_chain = chain.from_iterable
_add_op = operator.add
_sub_op = operator.sub


def vdot(u: Sequence[float], v: Sequence[float]) -> float:
    """Return the dot product sum_i u_i * v_i of two equal-length vectors.

    (The article's ``dot`` is NumPy's np.dot, a matrix product: that is
    tinynet.article.dot, or matmul here.)

    >>> vdot([1.0, 2.0], [3.0, 4.0])
    11.0

    Raises TinynetError unless u and v are vectors of numbers of one length.
    """
    n, m = _vector_length(u, "vdot"), _vector_length(v, "vdot")
    if n != m:
        raise ShapeError(f"vdot: lengths differ: {n} and {m}")
    return sum(x * y for x, y in zip(u, v))


# --- the plain forms, unchecked: callers guarantee the shapes -----------------
# Each is registered with the door below, under the name the rest of tinynet
# calls it by: ops.matmul(a, b), ops.affine(x, w, b), ...

def _matmul_plain(a: Matrix, b: Matrix) -> Matrix:
    # (n, k) @ (k, m) -> (n, m): entry (i, j) = sum_p a[i][p] * b[p][j]
    columns = list(zip(*b))  # b's m columns, each (k,)
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


def _matmul_bt_plain(a: Matrix, b: Matrix) -> Matrix:
    # (n, k) @ (m, k)^T -> (n, m): rows of a against rows of b, no transpose
    return [[sum(x * y for x, y in zip(row, b_row)) for b_row in b] for row in a]


def _matmul_at_plain(a: Matrix, b: Matrix) -> Matrix:
    # (n, k)^T @ (n, m) -> (k, m): columns of a against columns of b
    return _matmul_bt(list(zip(*a)), list(zip(*b)))


def _affine_plain(x: Matrix, w: Matrix, bias: Vector) -> Matrix:
    # x @ w + bias: (n, k) @ (k, m) + (m,) -> (n, m)
    return _add_row(_matmul(x, w), bias)


def _transpose_plain(a: Matrix) -> Matrix:
    # (n, m) -> (m, n)
    return [list(col) for col in zip(*a)]


def _add_row_plain(a: Matrix, row: Vector) -> Matrix:
    # (n, m) + (m,) -> (n, m)
    return [list(map(_add_op, a_row, row)) for a_row in a]


def _column_sums_plain(a: Matrix) -> Vector:
    # (n, m) -> (m,)
    return [sum(col) for col in zip(*a)]


def _add_plain(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_add_op, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _sub_plain(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_sub_op, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _hadamard_plain(a: Matrix, b: Matrix) -> Matrix:
    return [list(map(_mul, a_row, b_row)) for a_row, b_row in zip(a, b)]


def _scale_plain(c: float, a: Matrix) -> Matrix:
    return [[c * v for v in row] for row in a]


# The door (tinynet.fast.door): name, plain form, the shape the fast forms
# are chosen by (rows first; a product (n, k, m) is (n, k) @ (k, m)).
_matmul = define("matmul", _matmul_plain, "len(a), len(b), len(b[0])")
_matmul_bt = define("matmul_bt", _matmul_bt_plain, "len(a), len(b[0]), len(b)")
_matmul_at = define("matmul_at", _matmul_at_plain, "len(a), len(a[0]), len(b[0])")
_affine = define("affine", _affine_plain, "len(x), len(w), len(bias)")
_transpose = define("transpose", _transpose_plain, "len(a), len(a[0])")
_add_row = define("add_row", _add_row_plain, "len(a), len(row)")
_column_sums = define("column_sums", _column_sums_plain, "len(a), len(a[0])")
_add = define("add", _add_plain, "len(a), len(a[0])")
_sub = define("sub", _sub_plain, "len(a), len(a[0])")
_hadamard = define("hadamard", _hadamard_plain, "len(a), len(a[0])")
_scale = define("scale", _scale_plain, "len(a), len(a[0])")


# --- checks ------------------------------------------------------------------

def _shape(a: Matrix, op: str) -> Tuple[int, int]:
    """Shape of a, after checking it is a non-empty rectangular list of rows.

    The entries are checked by _checked, on the result of the work, or by
    _entries where no arithmetic touches them.
    """
    try:
        rows, cols = len(a), len(a[0])
        for row in a:  # a plain loop: the cheapest check on CPython and PyPy alike
            if len(row) != cols:
                break
        else:
            if cols and not isinstance(a, (str, bytes)):
                return rows, cols
    except (TypeError, IndexError, KeyError):
        pass
    raise _matrix_error(a, op)


def _entries(a: Matrix, op: str) -> Tuple[int, int]:
    """Shape of a, after checking also that every entry is a number."""
    shape = _shape(a, op)
    try:
        # a C loop: TypeError for a str, None or list entry or row, a complex
        # total for a complex entry, OverflowError for an int too large
        if isinstance(_sum(_chain(a), 0.0), float):
            return shape
    except (TypeError, OverflowError):
        pass
    raise _matrix_error(a, op)


def _first_problem(op: str, inputs: Sequence[Any]) -> TinynetError:
    for a in inputs:
        error = _matrix_error(a, op)
        if error is not None:
            return error
    return TinynetError(f"{op}: needs matrices of numbers")


def _checked(op: str, f: Callable[..., Any], *args: Any) -> Any:
    """Return f(*args), the work of a public op, if its entries are numbers.

    The check rides on the work: a str, None or list entry of an input
    either breaks the arithmetic (TypeError) or leaves a non-number in the
    result ("a" * 2 + "b" is "aab"), which one C-level sum over it finds.
    """
    try:
        out = f(*args)
        _sum(_chain(out) if isinstance(out[0], list) else out, 0.0)
        return out
    except (TypeError, OverflowError):  # OverflowError: an int too large for a float
        raise _first_problem(op, args) from None


def _matrix_error(a: Any, op: str) -> Optional[TinynetError]:
    """What is wrong with the matrix a, found the slow way (None: nothing)."""
    if not isinstance(a, (list, tuple)) or not a:
        return TinynetError(f"{op}: needs a non-empty list of rows, got {describe(a)}")
    for i, row in enumerate(a):
        if not isinstance(row, (list, tuple)):
            return TinynetError(f"{op}: row {i} must be a list of numbers, got {describe(row)}")
        for j, v in enumerate(row):
            if _not_a_number(v):
                return TinynetError(f"{op}: entry ({i}, {j}) must be a number that fits "
                                    f"a float, got {describe(v)}")
    lengths = sorted(set(map(len, a)))
    if lengths[0] == 0:
        return TinynetError(f"{op}: needs non-empty rows, got a row of length 0")
    if len(lengths) > 1:
        return ShapeError(f"{op}: needs rectangular rows, got row lengths {lengths}")
    return None


def _not_a_number(v: Any) -> bool:
    if v is None or isinstance(v, (str, bytes, bytearray)):
        return True
    try:
        float(v)  # TypeError for a complex or a list, OverflowError for an int too large
    except (TypeError, OverflowError):
        return True
    return False


def _same_shape(a: Matrix, b: Matrix, op: str, sign: str) -> None:
    sa, sb = _shape(a, op), _shape(b, op)
    if sa != sb:
        raise ShapeError(f"{op}: shapes differ: {sa} {sign} {sb}")


def _vector_length(row: Any, op: str) -> int:
    if isinstance(row, (list, tuple)) and _matrix_error([row], op) is None:
        return len(row)
    raise TinynetError(f"{op}: needs a vector of numbers, got {describe(row)}")


# --- public, checked ops -----------------------------------------------------


def shape(a: Matrix) -> Tuple[int, int]:
    """Return the shape (rows, cols) of a matrix.

    >>> shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (2, 3)

    Raises TinynetError for an empty or non-list input, ShapeError for
    ragged rows.
    """
    return _entries(a, "shape")


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
    return _checked("transpose", _transpose, a)


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
    try:  # _checked written out: matmul is the op users time
        out = _matmul(a, b)
        _sum(_chain(out), 0.0)
        return out
    except (TypeError, OverflowError):
        raise _first_problem("matmul", (a, b)) from None


def add(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise sum a + b of two matrices of the same shape.

    >>> add([[1.0, 2.0]], [[10.0, 20.0]])
    [[11.0, 22.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "add", "+")
    return _checked("add", _add, a, b)


def sub(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise difference a - b of two matrices of the same shape.

    >>> sub([[1.0, 2.0]], [[10.0, 20.0]])
    [[-9.0, -18.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "sub", "-")
    return _checked("sub", _sub, a, b)


def hadamard(a: Matrix, b: Matrix) -> Matrix:
    """Return the elementwise (Hadamard) product a * b, same shapes.

    >>> hadamard([[1.0, 2.0]], [[10.0, 20.0]])
    [[10.0, 40.0]]

    Raises ShapeError when the shapes differ.
    """
    _same_shape(a, b, "hadamard", "*")
    return _checked("hadamard", _hadamard, a, b)


def scale(a: Matrix, factor: float) -> Matrix:
    """Return factor * a, every entry multiplied by the number factor.

    >>> scale([[1.0, -2.0]], 0.5)
    [[0.5, -1.0]]

    Raises TinynetError when factor is not a real number.
    """
    _shape(a, "scale")
    factor = number("scale", "factor", factor)
    return _checked("scale", _scale, factor, a)


def apply(f: Callable[[float], float], a: Matrix) -> Matrix:
    """Return the matrix of f(a[i][j]): f applied to every entry.

    >>> apply(abs, [[-1.0, 2.0]])
    [[1.0, 2.0]]

    Raises TinynetError when f is not callable.
    """
    if not callable(f):
        raise TinynetError(f"apply: needs a callable f, got {describe(f)}")
    _entries(a, "apply")
    return [list(map(f, row)) for row in a]


def add_row(a: Matrix, row: Vector) -> Matrix:
    """Return a with the vector row added to each of its rows (a + 1 row^T).

    This is how biases are added: (n, m) + (m,) -> (n, m).

    >>> add_row([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])
    [[11.0, 22.0], [13.0, 24.0]]

    Raises ShapeError when len(row) differs from the number of columns.
    """
    rows, cols = _shape(a, "add_row")
    n = _vector_length(row, "add_row")
    if n != cols:
        raise ShapeError(f"add_row: row length differs: {(rows, cols)} + ({n},)")
    return _checked("add_row", _add_row, a, row)


def column_sums(a: Matrix) -> Vector:
    """Return the vector of column sums, s[j] = sum_i a[i][j]: (n, m) -> (m,).

    >>> column_sums([[1.0, 2.0], [3.0, 4.0]])
    [4.0, 6.0]

    Raises TinynetError / ShapeError for an empty or ragged matrix.
    """
    _shape(a, "column_sums")
    return _checked("column_sums", _column_sums, a)


def argmax_rows(a: Matrix) -> List[int]:
    """Return, for each row, the index of its largest entry (the first on ties).

    >>> argmax_rows([[0.1, 0.7, 0.2], [0.5, 0.5, 0.0]])
    [1, 0]

    Raises TinynetError / ShapeError for an empty or ragged matrix.
    """
    _entries(a, "argmax_rows")
    return _argmax_rows(a)


def class_indices(out: Matrix) -> List[int]:
    """Return the class index of each row of outputs (or one-hot targets).

    One column is a sigmoid probability p: class 1 if p >= 0.5, else 0.
    Several columns: argmax_rows, the first largest entry.

    >>> class_indices([[0.2], [0.5]]), class_indices([[0.1, 0.7, 0.2]])
    ([0, 1], [1])

    Raises TinynetError / ShapeError for an empty, ragged or non-numeric matrix.
    """
    _entries(out, "class_indices")
    return _class_indices(out)


def _argmax_rows(a: Matrix) -> List[int]:
    # the one argmax rule: the index of the first largest entry of each row
    return [row.index(max(row)) for row in a]


def _class_indices(out: Matrix) -> List[int]:
    # unchecked class_indices, for the training loop
    if len(out[0]) == 1:
        return [1 if row[0] >= 0.5 else 0 for row in out]
    return _argmax_rows(out)


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
    check_rng("random_uniform", rng)
    low = number("random_uniform", "low", low)
    high = number("random_uniform", "high", high)
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
    check_rng("random_normal", rng)
    mean = number("random_normal", "mean", mean)
    std = number("random_normal", "std", std)
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
    rows, non-numeric, non-finite or too large entries, and ShapeError for
    ragged rows.
    """
    fast = _list_of_float_rows(obj)
    return fast if fast is not None else _as_matrix_checked(obj, op)


def _list_of_float_rows(obj: Any) -> Any:
    # The common case, a list of equal-length lists of numbers, checked and
    # copied in C loops (sum, map, set): about 5x the entry-by-entry check.
    # None when anything is unusual; then the full check finds what.
    if type(obj) is not list or not obj or set(map(type, obj)) != {list}:
        return None
    cols = len(obj[0])
    if cols == 0 or set(map(len, obj)) != {cols}:
        return None
    try:
        total = sum(map(sum, obj))  # TypeError for a str, None or list entry
        if not math.isfinite(total):  # a NaN or inf entry (or a sum that overflows)
            return None
        return [list(map(float, row)) for row in obj]  # OverflowError: int too large
    except (TypeError, ValueError, OverflowError):
        return None


def _as_matrix_checked(obj: Any, op: str) -> Matrix:
    # entry by entry, so that the message can say which one is wrong
    if obj is None or not is_sequence(obj):
        raise TinynetError(f"{op}: needs a sequence of rows, got {describe(obj)}")
    rows = list(obj)
    if not rows:
        raise TinynetError(f"{op}: needs at least one row, got an empty sequence")
    out: Matrix = []
    for i, row in enumerate(rows):
        if row is None or not is_sequence(row):
            raise TinynetError(
                f"{op}: row {i} must be a sequence of numbers, got {describe(row)}"
                + (" (for one column, write [[v] for v in values])"
                   if isinstance(row, (int, float)) else ""))
        values = [_entry(op, i, j, v) for j, v in enumerate(row)]
        if not values:
            raise TinynetError(f"{op}: row {i} is empty")
        if len(values) != len(out[0] if out else values):
            raise ShapeError(f"{op}: needs rectangular rows, row {i} has {len(values)} "
                             f"columns, row 0 has {len(out[0])}")
        out.append(values)
    return out


def _entry(op: str, i: int, j: int, v: Any) -> float:
    # One entry as a finite float. A bool is a number here (0.0 or 1.0, as
    # the fast path's float() makes it); a string is not, though float("2")
    # would take it.
    return float(v) if isinstance(v, bool) else number(op, f"entry ({i}, {j})", v)


def _check_dims(op: str, rows: Any, cols: Any) -> None:
    positive_int(op, "rows", rows)
    positive_int(op, "cols", cols)
    if rows * cols > MAX_ENTRIES:  # refused before the memory runs out, not after
        raise TinynetError(f"{op}: needs at most {MAX_ENTRIES} entries (about 3 GB as lists), "
                           f"got {rows} x {cols}")

