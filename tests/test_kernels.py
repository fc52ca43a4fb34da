"""The generated kernels (tinynet.fast.kernels) against the textbook oracles.

Every kernel exists in up to three written-out forms (whole: every entry
named; rows: a comprehension over the rows; loop: PyPy's loops) besides the
general one (tinynet.fast.loops) and the core's plain form. Each form is compiled here directly, on every
interpreter, for random shapes, and must agree with tests/oracle.py; the
dispatching functions must agree too, for shapes on both sides of the size
limits in RULES.
"""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import activations as A
from tinynet import optim
from tinynet.fast import door, loops
from tinynet.fast import kernels as K
from tinynet.matrix import ops
from tinynet.layers import Dense
from tests import oracle
from tests.strategies import finite, matrices

REL, ABS = 1e-9, 1e-6
small = st.integers(1, 6)


def _draw(data, rows, cols, elements=finite):
    return data.draw(matrices(rows, cols, elements))


def _forms(name, rows, *cols):
    """The compiled forms of kernel name for the shape: whole, rows, loop."""
    out = [K.compile_kernel(name, (rows,) + cols), K.compile_kernel(name, (None,) + cols)]
    if name + "_loop" in K.SOURCES:
        out.append(K.compile_kernel(name + "_loop", (None,) + cols))
    return out


# --- products ------------------------------------------------------------------

@given(st.data())
def test_matmul_forms_match_textbook(data):
    n, k, m = data.draw(small), data.draw(small), data.draw(small)
    a, b = _draw(data, n, k), _draw(data, k, m)
    expected = oracle.matmul(a, b)
    for kernel in _forms("matmul", n, k, m):
        assert oracle.all_close(kernel(a, b), expected, REL, ABS)


@given(st.data())
def test_matmul_bt_forms_match_textbook(data):
    n, k, m = data.draw(small), data.draw(small), data.draw(small)
    a, b = _draw(data, n, k), _draw(data, m, k)
    expected = oracle.matmul(a, oracle.transpose(b))
    for kernel in _forms("matmul_bt", n, k, m):
        assert oracle.all_close(kernel(a, b), expected, REL, ABS)


@given(st.data())
def test_matmul_at_forms_match_textbook(data):
    n, k, m = data.draw(small), data.draw(small), data.draw(small)
    a, b = _draw(data, n, k), _draw(data, n, m)
    expected = oracle.matmul(oracle.transpose(a), b)
    for kernel in _forms("matmul_at", n, k, m):
        assert oracle.all_close(kernel(a, b), expected, REL, ABS)


@given(st.data())
def test_affine_forms_match_textbook(data):
    n, k, m = data.draw(small), data.draw(small), data.draw(small)
    x, w, bias = _draw(data, n, k), _draw(data, k, m), _draw(data, 1, m)[0]
    expected = [[v + c for v, c in zip(row, bias)] for row in oracle.matmul(x, w)]
    for kernel in _forms("affine", n, k, m):
        assert oracle.all_close(kernel(x, w, bias), expected, REL, ABS)


@pytest.mark.parametrize("name", ["matmul_loop", "matmul_bt_loop", "matmul_at_loop"])
def test_loop_forms_past_64_columns(name):
    # Past 64 columns the loop forms keep a list of sums, not locals.
    rng = random.Random(0)
    n, k, m = 3, 5, 70
    a = [[rng.uniform(-1, 1) for _ in range(k)] for _ in range(n)]
    if name == "matmul_loop":
        b = [[rng.uniform(-1, 1) for _ in range(m)] for _ in range(k)]
        expected = oracle.matmul(a, b)
    elif name == "matmul_bt_loop":
        b = [[rng.uniform(-1, 1) for _ in range(k)] for _ in range(m)]
        expected = oracle.matmul(a, oracle.transpose(b))
    else:
        b = [[rng.uniform(-1, 1) for _ in range(m)] for _ in range(n)]
        expected = oracle.matmul(oracle.transpose(a), b)
    assert oracle.all_close(K.compile_kernel(name, (None, k, m))(a, b), expected, REL, ABS)


# --- the dispatchers, on both sides of the size limits -----------------------------------

sizes = st.sampled_from([1, 2, 3, 5, 13, 17, 70])


@settings(max_examples=30)
@given(st.data())
def test_dispatched_products_match_textbook_at_every_size(data):
    n, k, m = data.draw(sizes), data.draw(sizes), data.draw(sizes)
    a, b = _draw(data, n, k), _draw(data, k, m)
    expected = oracle.matmul(a, b)
    assert oracle.all_close(ops.matmul(a, b), expected, REL, ABS)
    assert oracle.all_close(ops.matmul_bt(a, oracle.transpose(b)), expected, REL, ABS)
    assert oracle.all_close(ops.matmul_at(oracle.transpose(a), b), expected, REL, ABS)
    bias = [0.5] * m
    assert oracle.all_close(ops.affine(a, b, bias),
                            [[v + 0.5 for v in row] for row in expected], REL, ABS)


@settings(max_examples=30)
@given(st.data())
def test_dispatched_elementwise_ops_match_textbook_at_every_size(data):
    n, m = data.draw(sizes), data.draw(sizes)
    a, b = _draw(data, n, m), _draw(data, n, m)
    assert ops.add(a, b) == oracle.elementwise(lambda x, y: x + y, a, b)
    assert ops.sub(a, b) == oracle.elementwise(lambda x, y: x - y, a, b)
    assert ops.hadamard(a, b) == oracle.elementwise(lambda x, y: x * y, a, b)
    assert ops.scale(2.5, a) == [[2.5 * v for v in row] for row in a]
    assert ops.transpose(a) == oracle.transpose(a)
    assert ops.add_row(a, b[0]) == [[x + y for x, y in zip(row, b[0])] for row in a]
    sums = [sum(a[i][j] for i in range(n)) for j in range(m)]
    assert oracle.all_close(ops.column_sums(a), sums, REL, ABS)


# --- elementwise forms: the same expressions as the scalar functions -------------------

@pytest.mark.parametrize("name, f", [
    ("add", lambda x, y: x + y), ("sub", lambda x, y: x - y), ("hadamard", lambda x, y: x * y),
    ("sigmoid_backward", lambda a, g: g * A.sigmoid_derivative(a)),
    ("tanh_backward", lambda a, g: g * A.tanh_derivative(a)),
    ("relu_backward", lambda a, g: g * A.relu_derivative(a)),
])
@given(data=st.data())
def test_binary_elementwise_forms_are_exact(name, f, data):
    n, m = data.draw(small), data.draw(small)
    a, b = _draw(data, n, m), _draw(data, n, m)
    expected = oracle.elementwise(f, a, b)
    for kernel in _forms(name, n, m):
        assert kernel(a, b) == expected


@pytest.mark.parametrize("name, f", [
    ("sigmoid_derivative", A.sigmoid_derivative), ("relu", A.relu),
])
@given(data=st.data())
def test_unary_elementwise_forms_are_exact(name, f, data):
    n, m = data.draw(small), data.draw(small)
    a = _draw(data, n, m)
    for kernel in _forms(name, n, m):
        assert kernel(a) == [[f(v) for v in row] for row in a]


@given(st.data())
def test_scale_add_row_and_sums_forms(data):
    n, m = data.draw(small), data.draw(small)
    a, row = _draw(data, n, m), _draw(data, 1, m)[0]
    for kernel in _forms("scale", n, m):
        assert kernel(-1.5, a) == [[-1.5 * v for v in r] for r in a]
    for kernel in _forms("add_row", n, m):
        assert kernel(a, row) == [[v + c for v, c in zip(r, row)] for r in a]
    sums = [sum(a[i][j] for i in range(n)) for j in range(m)]
    for kernel in _forms("column_sums", n, m):
        assert oracle.all_close(kernel(a), sums, REL, ABS)
    assert K.compile_kernel("transpose", (n, m))(a) == oracle.transpose(a)


wide_z = st.floats(min_value=-800.0, max_value=800.0, allow_nan=False)


@given(st.data())
def test_sigmoid_forms_match_the_scalar_function(data):
    # The kernels compute 1 / (1 + e^-z) without a branch; for z < 0 that can
    # differ from the scalar function's e^z / (1 + e^z) in the last bits.
    # Below -709 e^-z overflows and they fall back on the two-sided form.
    n, m = data.draw(small), data.draw(small)
    z = _draw(data, n, m, wide_z)
    expected = [[A.sigmoid(v) for v in row] for row in z]
    for kernel in _forms("sigmoid", n, m) + [loops.sigmoid]:
        got = kernel(z)
        assert all(math.isclose(g, e, rel_tol=1e-12, abs_tol=1e-300)
                   for gr, er in zip(got, expected) for g, e in zip(gr, er))


def test_sigmoid_forms_survive_overflow():
    z = [[-1000.0, 0.0, 1000.0], [-745.0, -709.0, 3.0]]
    for kernel in _forms("sigmoid", 2, 3) + [loops.sigmoid]:
        out = kernel(z)
        assert out[0] == [0.0, 0.5, 1.0]
        assert all(0.0 <= v <= 1.0 and math.isfinite(v) for row in out for v in row)


@given(st.data())
def test_descend_forms_match_sgd_update_vector(data):
    n, m = data.draw(small), data.draw(small)
    p, g = _draw(data, n, m), _draw(data, n, m)
    expected = [optim.SGD(0.1).update_vector("w", pr, gr) for pr, gr in zip(p, g)]
    for kernel in _forms("descend", n, m):
        assert kernel(0.1, p, g) == expected
    assert K.compile_kernel("descend_vector", (1, m))(0.1, p[0], g[0]) == expected[0]


# --- the door's caches ---------------------------------------------------------------

def test_the_door_caches_the_form_it_picks():
    op = door.OPS["matmul"]
    op.forget()
    a, b = [[1.0, 2.0, 3.0]] * 2, [[1.0] * 4] * 3
    ops.matmul(a, b)
    kernel = op.fast_cache[2][3][4]
    assert kernel is K.compile_kernel("matmul", (2, 3, 4))
    assert "[[b0_0" in K.source("matmul", (2, 3, 4))
    big = [[1.0] * 70] * 70
    ops.matmul(big, big)
    # CPython: the general sumprod form; PyPy: a plain loop compiled for the shape
    expected = (K.compile_kernel("matmul_loop", (None, 70, 70)) if K.PYPY
                else loops.GENERAL["matmul"])
    assert op.fast_cache[70][70][70] is expected


def test_the_door_caches_are_bounded(monkeypatch):
    monkeypatch.setattr(door, "MAX_SHAPES", 3)
    op = door.OPS["sub"]
    op.forget()
    for m in range(1, 6):
        ops.sub([[1.0] * m], [[2.0] * m])
    assert sum(len(v) for v in op.fast_cache.values()) <= 3


def test_generated_code_shows_in_tracebacks():
    import linecache
    kernel = K.compile_kernel("matmul", (2, 2, 2))
    name = kernel.__code__.co_filename
    assert name == "<tinynet kernel matmul 2x2x2>"
    assert "def matmul(a, b):" in "".join(linecache.getlines(name))
    door_file = ops.matmul.__code__.co_filename
    assert "form = table" in "".join(linecache.getlines(door_file))


def test_show_prints_the_code_for_a_shape(capsys):
    door.show("matmul", 4, 3, 4)
    assert "def matmul(a, b):" in capsys.readouterr().out
    with door.reference():
        door.show("matmul", 4, 3, 4)
    assert "plain form" in capsys.readouterr().out


def test_every_source_compiles_for_a_small_shape():
    for name in K.SOURCES:
        if name == "transpose":
            shapes = [(2, 3)]
        elif name == "descend_vector":
            shapes = [(1, 3)]
        elif name.endswith("_loop"):
            shapes = [(None, 2, 3)]
        elif name in ("matmul", "matmul_bt", "matmul_at", "affine"):
            shapes = [(2, 2, 3), (None, 2, 3)]
        else:
            shapes = [(2, 3), (None, 3)]
        for s in shapes:
            assert callable(K.compile_kernel(name, s))


# --- users of the kernels ------------------------------------------------------------

def _layers(seed):
    rng = random.Random(seed)
    layers = [Dense(3, 4, "tanh", rng=rng), Dense(4, 2, "sigmoid", rng=rng)]
    for layer in layers:
        layer.grads = {"weights": [[rng.uniform(-1, 1) for _ in row] for row in layer.weights],
                       "biases": [rng.uniform(-1, 1) for _ in layer.biases]}
    return layers


@pytest.mark.parametrize("seed", [0, 1])
def test_sgd_fast_path_equals_the_general_update(seed):
    fast, slow = _layers(seed), _layers(seed)
    optim.SGD(0.3).step(fast)
    optim.Optimizer.step(optim.SGD(0.3), slow)  # the per-row update_vector path
    for a, b in zip(fast, slow):
        assert a.weights == b.weights and a.biases == b.biases


def test_sgd_subclass_overriding_update_vector_is_honoured():
    class Halved(optim.SGD):
        def update_vector(self, key, p, g, decay=0.0):
            return [pi - 0.5 * self.learning_rate * gi for pi, gi in zip(p, g)]

    layers = _layers(2)
    before = layers[0].biases[:]
    Halved(1.0).step(layers)
    grads = layers[0].grads["biases"]
    assert layers[0].biases == [p - 0.5 * g for p, g in zip(before, grads)]


@given(st.data())
def test_activation_matrix_forms_match_scalar_functions(data):
    n, m = data.draw(st.sampled_from([1, 4, 9, 70])), data.draw(st.sampled_from([1, 3, 65]))
    z = _draw(data, n, m, st.floats(-30.0, 30.0))
    g = _draw(data, n, m, st.floats(-2.0, 2.0))
    for name in ("tanh", "relu", "leaky_relu", "identity"):
        act = A.get(name)
        a = act.forward(z)
        assert a == [[act.f(v) for v in row] for row in z]
        assert act.backward(a, g) == oracle.elementwise(
            lambda av, gv: gv * act.derivative(av), a, g)
    sig = A.get("sigmoid")
    a = sig.forward(z)
    assert oracle.all_close(a, [[A.sigmoid(v) for v in row] for row in z], 1e-12, 1e-300)
    assert sig.backward(a, g) == oracle.elementwise(
        lambda av, gv: gv * A.sigmoid_derivative(av), a, g)
