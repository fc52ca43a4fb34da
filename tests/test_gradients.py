"""Every gradient against central differences, over random networks.

Hypothesis draws the architecture (1-4 Dense layers, widths 1-6), the
activations (softmax only at the output, with cross_entropy), the loss, a
batch of 1-5 rows with inputs in [-3, 3], and random biases. Backprop must
agree with central differences within rel 1e-4 / abs 1e-7 plus, per entry,
the two errors check_gradients measures rather than guesses: the curvature
error |n(h) - n(2h)| and the round-off 64 u |L| / h (see its docstring).
A fixed tolerance alone failed on correct gradients at steep spots (errors
of 6.3e-7 and 3e-5). A corrupted entry (off by 1e-3 or 1%) must be caught.
"""

import pytest
from hypothesis import assume, find, given, settings
from hypothesis import strategies as st

from tinynet.gradcheck import check_gradients, numerical_gradients
from tinynet.matrix import ops
from tinynet.network import Network

RTOL, ATOL = 1e-4, 1e-7
ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
KINKED = {"relu", "leaky_relu"}

inputs = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


@st.composite
def problems(draw):
    """A random network and batch: (net, x, y)."""
    n_layers = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 6)) for _ in range(n_layers + 1)]
    hidden = draw(st.sampled_from(ELEMENTWISE))
    loss = draw(st.sampled_from(["sse", "mse", "binary_cross_entropy", "cross_entropy"]))
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
        output = "softmax"
    elif loss == "binary_cross_entropy":
        output = "sigmoid"
    else:
        output = draw(st.sampled_from(ELEMENTWISE))
    net = Network(sizes, activation=hidden, output_activation=output, loss=loss,
                  seed=draw(st.integers(0, 2**31)))
    for layer in net.layers:  # non-zero biases, so their gradients are exercised
        layer.biases = [draw(st.floats(-1.0, 1.0)) for _ in layer.biases]
    n = draw(st.integers(1, 5))
    x = [[draw(inputs) for _ in range(sizes[0])] for _ in range(n)]
    y = [_target(draw, loss, sizes[-1]) for _ in range(n)]
    return net, x, y


def _target(draw, loss, m):
    if loss == "cross_entropy":  # one-hot or a soft distribution
        weights = [draw(st.floats(0.0, 1.0)) for _ in range(m)]
        if sum(weights) == 0.0 or draw(st.booleans()):
            hot = draw(st.integers(0, m - 1))
            return [1.0 if j == hot else 0.0 for j in range(m)]
        return [w / sum(weights) for w in weights]
    if loss == "binary_cross_entropy":
        return [draw(st.floats(0.0, 1.0)) for _ in range(m)]
    return [draw(st.floats(-2.0, 2.0)) for _ in range(m)]


def _away_from_kinks(net, x, margin=1e-3):
    """True when no ReLU pre-activation is within margin of 0 (its kink)."""
    a = x
    for layer in net.layers:
        z = ops.affine(a, layer.weights, layer.biases)
        if layer.activation.name in KINKED and any(abs(v) < margin for row in z for v in row):
            return False
        a = layer.activation.forward(z)
    return True


@settings(max_examples=400)
@given(problems())
def test_backprop_matches_central_differences(problem):
    net, x, y = problem
    assume(_away_from_kinks(net, x))
    result = check_gradients(net, x, y, rtol=RTOL, atol=ATOL)
    assert result.passed, result


@settings(max_examples=60)
@given(problems(), st.data())
def test_a_corrupted_gradient_is_caught(problem, data):
    net, x, y = problem
    assume(_away_from_kinks(net, x))
    grads = [tuple(_copy(p) for p in layer) for layer in net.gradients(x, y)]
    # Pick one entry of one parameter and push it off by a visible amount.
    layer = data.draw(st.integers(0, len(grads) - 1))
    which = data.draw(st.integers(0, 1))
    param = grads[layer][which]
    if which == 0:
        row = param[data.draw(st.integers(0, len(param) - 1))]
    else:
        row = param
    j = data.draw(st.integers(0, len(row) - 1))
    row[j] += max(1e-3, 0.01 * abs(row[j]))
    assert not check_gradients(net, x, y, rtol=RTOL, atol=ATOL, analytic=grads).passed


@given(problems())
def test_gradients_have_the_shapes_of_the_parameters(problem):
    net, x, y = problem
    for layer, (d_weights, d_biases) in zip(net.layers, net.gradients(x, y)):
        assert len(d_weights) == len(layer.weights)
        assert all(len(r) == len(layer.weights[0]) for r in d_weights)
        assert len(d_biases) == len(layer.biases)


def test_numerical_gradients_restore_the_parameters():
    net = Network([3, 4, 2], activation="tanh", seed=5)
    before = net.get_parameters()
    numerical_gradients(net, [[0.1, 0.2, 0.3]], [[1.0, 0.0]])
    assert net.get_parameters() == before


def test_a_coarse_step_fails_the_check():
    # The checker itself can fail: a huge eps ruins the central difference.
    net = Network([2, 3, 1], activation="sigmoid", seed=0)
    x, y = [[2.0, -1.0]], [[1.0]]
    assert check_gradients(net, x, y).passed
    assert not check_gradients(net, x, y, eps=1.0).passed


def _copy(value):
    return [_copy(v) for v in value] if isinstance(value, list) else value


@pytest.mark.parametrize("loss", ["sse", "mse", "binary_cross_entropy", "cross_entropy"])
def test_the_generator_makes_problems_with_large_gradients(loss):
    # The property test would pass vacuously if every drawn gradient were ~0
    # (dead ReLUs, saturated sigmoids). find() shows the generator reaches
    # problems, for each loss, whose gradients are far from zero.
    def large(problem):
        net, x, y = problem
        return (net.loss_function.name == loss and _away_from_kinks(net, x)
                and max(abs(g) for g in _flat(net.gradients(x, y))) > 0.1)
    find(problems(), large, settings=settings(max_examples=500, database=None, derandomize=True))


def _flat(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _flat(v)
    else:
        yield value


def test_the_checker_walks_parameters_of_any_depth():
    # A layer whose parameter is 3-D, (1, 1, n): out = x * k, entry by entry.
    from tinynet.layers import Layer

    class Gain(Layer):
        params = ("k",)

        def __init__(self, n=3):
            self.in_shape = self.out_shape = (n,)
            self.k = [[[0.5 + 0.25 * j for j in range(n)]]]
            self.grads = {}

        def forward(self, x):
            self.x = x
            return [[v * g for v, g in zip(row, self.k[0][0])] for row in x]

        def backward(self, delta, input_grad=True):
            self.grads["k"] = [[[sum(d[j] * r[j] for d, r in zip(delta, self.x))
                                 for j in range(self.n_in)]]]
            return [[d * g for d, g in zip(row, self.k[0][0])] for row in delta]

        def config(self):
            return {"n": self.n_in}

    net = Network([Network([2, 3], activation="tanh", seed=1).layers[0], Gain(3)])
    x, y = [[0.5, -1.0], [2.0, 0.25]], [[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]
    assert check_gradients(net, x, y).passed
    grads = [tuple(_copy(p) for p in layer) for layer in net.gradients(x, y)]
    grads[1][0][0][0][2] += 1e-3
    assert not check_gradients(net, x, y, analytic=grads).passed
