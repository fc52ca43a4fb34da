"""Activations and losses: values, derivatives, stability, look-up by name."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinynet import TinynetError
from tinynet import activations as A
from tinynet import losses as L

H = 1e-6


def _agrees(analytic, numeric, rel=1e-5, abs_=1e-7):
    return math.isclose(analytic, numeric, rel_tol=rel, abs_tol=abs_)


def _off(value):
    """value pushed off by a visible amount: a corrupted gradient entry."""
    return value + max(1e-3, 0.01 * abs(value))


z_values = st.floats(min_value=-20.0, max_value=20.0, allow_nan=False)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
@given(z=z_values)
def test_derivative_in_terms_of_output_matches_central_difference(name, z):
    act = A.get(name)
    if name in ("relu", "leaky_relu"):
        z = z if abs(z) > 1e-3 else 1.0  # away from the kink
    numeric = (act.f(z + H) - act.f(z - H)) / (2 * H)
    analytic = act.derivative(act.f(z))
    assert _agrees(analytic, numeric)
    assert not _agrees(_off(analytic), numeric)  # the check catches a wrong derivative


@pytest.mark.parametrize("z", [-1000.0, -745.0, -710.0, 0.0, 710.0, 1000.0, 1e308, -1e308])
def test_sigmoid_is_stable_everywhere(z):
    s = A.sigmoid(z)
    assert 0.0 <= s <= 1.0 and math.isfinite(s)


def test_sigmoid_exact_values():
    assert A.sigmoid(0.0) == 0.5
    assert A.sigmoid(1000.0) == 1.0 and A.sigmoid(-1000.0) == 0.0
    # Symmetry s(-z) = 1 - s(z) holds to rounding.
    for z in (0.1, 1.0, 5.0, 30.0):
        assert math.isclose(A.sigmoid(-z), 1.0 - A.sigmoid(z), rel_tol=1e-12, abs_tol=1e-15)


@given(st.lists(st.floats(-1000.0, 1000.0), min_size=1, max_size=8))
def test_softmax_is_a_stable_distribution(row):
    p = A.softmax(row)
    assert all(0.0 <= v <= 1.0 for v in p)
    assert math.isclose(sum(p), 1.0, rel_tol=1e-12)
    # the largest probability sits on a largest logit (ties: any of them)
    assert row[p.index(max(p))] >= max(row) - 1e-12


def test_softmax_extremes():
    assert A.softmax([1000.0, -1000.0]) == [1.0, 0.0]
    assert A.softmax([5.0, 5.0]) == [0.5, 0.5]
    with pytest.raises(TinynetError, match="softmax: needs a non-empty row"):
        A.softmax([])


@given(st.lists(st.floats(-5.0, 5.0), min_size=2, max_size=5),
       st.lists(st.floats(-1.0, 1.0), min_size=2, max_size=5))
def test_softmax_backward_is_the_jacobian_product(z, g):
    m = min(len(z), len(g))
    z, g = z[:m], g[:m]
    a = A.softmax(z)
    got = A.get("softmax").backward([a], [g])[0]
    for i in range(m):  # sum_j g_j da_j/dz_i, by central differences
        zp, zm = z[:], z[:]
        zp[i] += H
        zm[i] -= H
        numeric = sum(gj * (p - q) / (2 * H) for gj, p, q in zip(g, A.softmax(zp), A.softmax(zm)))
        assert _agrees(got[i], numeric, abs_=1e-8)
        assert not _agrees(_off(got[i]), numeric, abs_=1e-8)


def test_activation_lookup():
    assert A.get("leaky_relu").f(-1.0) == -0.01
    with pytest.raises(TinynetError) as info:
        A.get("swish")
    assert "sigmoid, tanh, relu, leaky_relu, identity, softmax" in str(info.value)
    with pytest.raises(TinynetError):
        A.get(None)


# --- losses --------------------------------------------------------------------

def test_loss_values_by_hand():
    y_hat, y = [[0.5, 1.0], [0.0, 2.0]], [[1.0, 1.0], [1.0, 0.0]]
    assert L.sse(y_hat, y) == 0.25 + 0.0 + 1.0 + 4.0
    assert L.mse(y_hat, y) == (0.25 + 1.0 + 4.0) / 4
    p, t = [[0.8, 0.3]], [[1.0, 0.0]]
    expected = -(math.log(0.8) + math.log(0.7)) / 2
    assert math.isclose(L.binary_cross_entropy(p, t), expected, rel_tol=1e-12)
    q = [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]
    onehot = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert math.isclose(L.cross_entropy(q, onehot), -(math.log(0.5) + math.log(0.8)) / 2,
                        rel_tol=1e-12)


prob = st.floats(min_value=0.01, max_value=0.99)


@pytest.mark.parametrize("name", ["sse", "mse", "binary_cross_entropy", "cross_entropy"])
@given(data=st.data())
def test_loss_gradient_matches_central_difference(name, data):
    n, m = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    y_hat = [[data.draw(prob) for _ in range(m)] for _ in range(n)]
    y = [[data.draw(st.floats(0.0, 1.0)) for _ in range(m)] for _ in range(n)]
    loss = L.get(name)
    grad = loss.gradient(y_hat, y)
    for i in range(n):
        for j in range(m):
            plus = [r[:] for r in y_hat]
            minus = [r[:] for r in y_hat]
            plus[i][j] += H
            minus[i][j] -= H
            numeric = (loss.value(plus, y) - loss.value(minus, y)) / (2 * H)
            assert _agrees(grad[i][j], numeric, rel=1e-4)
            assert not _agrees(_off(grad[i][j]), numeric, rel=1e-4)


def test_cross_entropies_are_finite_at_the_extremes():
    assert math.isfinite(L.binary_cross_entropy([[0.0, 1.0]], [[1.0, 0.0]]))
    assert math.isfinite(L.cross_entropy([[0.0, 1.0]], [[1.0, 0.0]]))
    assert all(math.isfinite(g) for g in L.binary_cross_entropy_gradient([[0.0, 1.0]], [[1.0, 0.0]])[0])
    assert all(math.isfinite(g) for g in L.cross_entropy_gradient([[0.0, 1.0]], [[1.0, 0.0]])[0])
    # softmax of +-1000 logits, fed to cross-entropy: finite, -log(1e-300)
    p = A.get("softmax").forward([[1000.0, -1000.0]])
    assert math.isclose(L.cross_entropy(p, [[0.0, 1.0]]), -math.log(1e-300), rel_tol=1e-9)
    # a tiny but representable probability is not clamped: value and
    # gradient stay consistent
    assert math.isclose(L.cross_entropy([[1e-20, 1.0]], [[1.0, 0.0]]), 20 * math.log(10))


def test_short_forms():
    y_hat, y = [[0.2, 0.8], [0.6, 0.4]], [[0.0, 1.0], [1.0, 0.0]]
    got = L.get("cross_entropy").short_forms["softmax"](y_hat, y)
    expected = [[0.1, -0.1], [-0.2, 0.2]]  # (y_hat - y) / n with n = 2
    assert all(math.isclose(g, e, rel_tol=1e-12) for gr, er in zip(got, expected)
               for g, e in zip(gr, er))
    out = L.get("binary_cross_entropy").short_forms["sigmoid"]([[0.2]], [[1.0]])
    assert math.isclose(out[0][0], -0.8)


def test_loss_lookup():
    with pytest.raises(TinynetError, match="loss: unknown name 'hinge'; valid names: sse, mse"):
        L.get("hinge")
