"""The matrix core against textbook oracles, algebraic laws, and bad input."""

import operator
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinynet import ShapeError, TinynetError
from tinynet import matrix as M
from tests import oracle
from tests.strategies import any_matrix, dims, finite, matrices

REL, ABS = 1e-9, 1e-6


@st.composite
def matmul_pair(draw):
    n, k, m = draw(dims), draw(dims), draw(dims)
    return draw(matrices(n, k)), draw(matrices(k, m))


@st.composite
def same_shape_pair(draw):
    n, m = draw(dims), draw(dims)
    return draw(matrices(n, m)), draw(matrices(n, m))


# --- every op against its oracle ---------------------------------------------

@given(matmul_pair())
def test_matmul_matches_textbook(pair):
    a, b = pair
    assert oracle.all_close(M.matmul(a, b), oracle.matmul(a, b), REL, ABS)


@given(matmul_pair())
def test_matmul_bt_kernel_matches_textbook(pair):
    a, b = pair
    assert oracle.all_close(M._matmul_bt(a, M.transpose(b)), oracle.matmul(a, b), REL, ABS)


@given(any_matrix())
def test_transpose_matches_textbook(a):
    assert M.transpose(a) == oracle.transpose(a)


@pytest.mark.parametrize("op, f", [(M.add, operator.add), (M.sub, operator.sub),
                                   (M.hadamard, operator.mul)])
@given(pair=same_shape_pair())
def test_elementwise_matches_textbook(op, f, pair):
    a, b = pair
    assert op(a, b) == oracle.elementwise(f, a, b)


@given(any_matrix(), finite)
def test_scale_matches_textbook(a, factor):
    assert M.scale(a, factor) == [[factor * v for v in row] for row in a]


@given(any_matrix())
def test_apply_matches_textbook(a):
    assert M.apply(abs, a) == [[abs(v) for v in row] for row in a]


@given(st.data())
def test_add_row_matches_textbook(data):
    n, m = data.draw(dims), data.draw(dims)
    a, row = data.draw(matrices(n, m)), data.draw(matrices(1, m))[0]
    expected = [[a[i][j] + row[j] for j in range(m)] for i in range(n)]
    assert M.add_row(a, row) == expected


@given(any_matrix())
def test_column_sums_matches_textbook(a):
    expected = [0.0] * len(a[0])
    for row in a:
        for j, v in enumerate(row):
            expected[j] += v
    assert oracle.all_close(M.column_sums(a), expected, REL, ABS)


@given(any_matrix())
def test_argmax_rows_matches_textbook(a):
    expected = []
    for row in a:
        best = 0
        for j in range(len(row)):
            if row[j] > row[best]:
                best = j
        expected.append(best)
    assert M.argmax_rows(a) == expected


@given(dims, dims)
def test_zeros_and_identity(n, m):
    assert M.zeros(n, m) == [[0.0] * m for _ in range(n)]
    eye = M.identity(n)
    assert all(eye[i][j] == (1.0 if i == j else 0.0) for i in range(n) for j in range(n))


@given(dims, dims, st.integers(0, 2**32))
def test_random_is_seeded_and_in_range(n, m, seed):
    a = M.random_uniform(n, m, -0.5, 2.0, random.Random(seed))
    assert a == M.random_uniform(n, m, -0.5, 2.0, random.Random(seed))
    assert M.shape(a) == (n, m) and all(-0.5 <= v <= 2.0 for row in a for v in row)
    g = M.random_normal(n, m, 1.0, 0.1, random.Random(seed))
    assert g == M.random_normal(n, m, 1.0, 0.1, random.Random(seed))
    assert M.shape(g) == (n, m)


def test_random_normal_statistics():
    g = M.random_normal(200, 50, 3.0, 2.0, random.Random(1))
    values = [v for row in g for v in row]
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / len(values)
    assert abs(mean - 3.0) < 0.05 and abs(var ** 0.5 - 2.0) < 0.05


# --- algebraic laws ----------------------------------------------------------

@given(matmul_pair())
def test_transpose_of_product(pair):
    a, b = pair
    left = M.transpose(M.matmul(a, b))
    right = M.matmul(M.transpose(b), M.transpose(a))
    assert oracle.all_close(left, right, 1e-9, 1e-6)


@given(any_matrix())
def test_transpose_twice_is_identity(a):
    assert M.transpose(M.transpose(a)) == a


@given(st.data())
def test_distributive(data):
    n, k, m = data.draw(dims), data.draw(dims), data.draw(dims)
    a, b, c = data.draw(matrices(n, k)), data.draw(matrices(k, m)), data.draw(matrices(k, m))
    left = M.matmul(a, M.add(b, c))
    right = M.add(M.matmul(a, b), M.matmul(a, c))
    # Cancellation: compare against the size of the terms, not of the result.
    assert oracle.all_close(left, right, 1e-9, 1e-9 * 8 * 1e6)


@given(any_matrix())
def test_identity_is_neutral(a):
    assert M.matmul(M.identity(len(a)), a) == a
    assert M.matmul(a, M.identity(len(a[0]))) == a


# --- no mutation, fresh lists ------------------------------------------------

def test_ops_do_not_mutate_and_return_fresh_lists():
    a = [[1.0, 2.0], [3.0, 4.0]]
    b = [[5.0, 6.0], [7.0, 8.0]]
    saved = [row[:] for row in a], [row[:] for row in b]
    results = [M.matmul(a, b), M.add(a, b), M.sub(a, b), M.hadamard(a, b),
               M.scale(a, 2.0), M.apply(float, a), M.add_row(a, [1.0, 1.0]),
               M.transpose(a)]
    assert (a, b) == saved
    for out in results:
        assert out is not a and all(r is not s for r in out for s in a + b)
    out = M.as_matrix(a)
    assert out == a and out is not a and out[0] is not a[0]


# --- shape errors: each names the op ----------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: M.matmul([[1.0] * 3] * 2, [[1.0]] * 4),
     "matmul: inner dimensions differ: (2, 3) @ (4, 1)"),
    (lambda: M.add([[1.0]], [[1.0, 2.0]]), "add: shapes differ: (1, 1) + (1, 2)"),
    (lambda: M.sub([[1.0]], [[1.0], [2.0]]), "sub: shapes differ: (1, 1) - (2, 1)"),
    (lambda: M.hadamard([[1.0]], [[1.0, 2.0]]), "hadamard: shapes differ: (1, 1) * (1, 2)"),
    (lambda: M.add_row([[1.0, 2.0]], [1.0]), "add_row: row length differs: (1, 2) + (1,)"),
    (lambda: M.transpose([[1.0, 2.0], [3.0]]), "transpose: needs rectangular rows"),
    (lambda: M.column_sums([]), "column_sums: needs a non-empty list of rows"),
    (lambda: M.argmax_rows([[]]), "argmax_rows: needs non-empty rows"),
    (lambda: M.shape(None), "shape: needs a non-empty list of rows, got NoneType"),
    (lambda: M.scale([[1.0]], "2"), "scale: factor must be a real number"),
    (lambda: M.apply(3, [[1.0]]), "apply: needs a callable f"),
    (lambda: M.zeros(0, 2), "zeros: rows must be a positive integer, got 0"),
    (lambda: M.identity(2.5), "identity: rows must be a positive integer, got float 2.5"),
    (lambda: M.random_uniform(2, 2, 1.0, 0.0, random.Random(0)),
     "random_uniform: needs low <= high, got 1.0 > 0.0"),
    (lambda: M.random_uniform(2, 2, 0.0, 1.0, 42), "random_uniform: rng must be a random.Random"),
    (lambda: M.random_normal(2, 2, 0.0, -1.0, random.Random(0)),
     "random_normal: needs std >= 0, got -1.0"),
])
def test_errors_name_the_op(call, message):
    with pytest.raises(TinynetError) as info:
        call()
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ValueError)


def test_shape_errors_are_shape_errors():
    with pytest.raises(ShapeError):
        M.matmul([[1.0, 2.0]], [[1.0, 2.0]])


# --- as_matrix turns bad input away -----------------------------------------

@pytest.mark.parametrize("bad, message", [
    (None, "needs a sequence of rows, got NoneType"),
    ("abc", "needs a sequence of rows, got str"),
    (3.0, "needs a sequence of rows, got float"),
    ([], "needs at least one row"),
    ([[]], "row 0 is empty"),
    ([[1.0], []], "row 1 is empty"),
    ([[1.0, 2.0], [3.0]], "needs rectangular rows, row 1 has 1 columns, row 0 has 2"),
    ([1.0, 2.0], "row 0 must be a sequence of numbers, got float 1.0 (for one column"),
    (["ab", "cd"], "row 0 must be a sequence of numbers, got str"),
    ([None], "row 0 must be a sequence of numbers, got NoneType"),
    ([[1.0, "2"]], "entry (0, 1) must be a real number, got str '2'"),
    ([[1.0, None]], "entry (0, 1) must be a real number, got NoneType"),
    ([[1.0, [2.0]]], "entry (0, 1) must be a real number, got list"),
    ([[1.0, 1j]], "entry (0, 1) must be a real number, got complex"),
    ([[float("nan")]], "entry (0, 0) must be finite, got nan"),
    ([[1.0, float("-inf")]], "entry (0, 1) must be finite, got -inf"),
    ({1: [1.0]}, "needs a sequence of rows, got dict"),
    ([{1.0, 2.0}], "row 0 must be a sequence of numbers, got set"),
])
def test_as_matrix_rejects(bad, message):
    with pytest.raises(TinynetError) as info:
        M.as_matrix(bad)
    assert str(info.value).startswith("as_matrix: " + message)


def test_as_matrix_names_its_caller():
    with pytest.raises(TinynetError, match=r"^Network.fit: x: row 0 is empty"):
        M.as_matrix([[]], op="Network.fit: x")


def test_as_matrix_accepts_tuples_ranges_and_ints():
    assert M.as_matrix((range(2), (True, 3))) == [[0.0, 1.0], [1.0, 3.0]]


# --- NumPy cross-check (optional) -------------------------------------------

@given(matmul_pair())
def test_matmul_matches_numpy(pair):
    np = pytest.importorskip("numpy")
    a, b = pair
    expected = (np.array(a) @ np.array(b)).tolist()
    assert oracle.all_close(M.matmul(a, b), expected, REL, ABS)


def test_as_matrix_takes_numpy_arrays():
    np = pytest.importorskip("numpy")
    arr = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = M.as_matrix(arr)
    assert out == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert type(out[0][0]) is float
