"""Conv2D, MaxPool2D, AvgPool2D and Dropout: gradients, forms, shapes, errors.

Gradients: each layer is checked alone through the loss L = sum_i r_i a_i,
for a fixed random r, so dL/da = r is the delta handed to backward. Every
input and every parameter entry is nudged by +-H (central differences) and
the slope compared with backward's, within a tolerance derived below. Each
check also shows that the tolerance catches one corrupted entry.

Hypothesis draws channels, image sizes, filters, kernels, strides, paddings
and batch sizes (small, so the ci profile's 200 examples stay quick), and a
seed for the values; both the fast forms and, inside tinynet.reference(), the
reference forms are checked.
"""

import contextlib
import importlib.util
import linecache
import math
import pathlib
import random
import sys
import xml.etree.ElementTree as ET
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinynet
from tinynet import conv, fast
from tinynet.conv import AvgPool2D, Conv2D, MaxPool2D, output_size
from tinynet.dropout import Dropout
from tinynet.errors import ShapeError, TinynetError
from tinynet.fast import conv as fast_conv
from tinynet.layers import Dense
from tinynet.network import Network
from tinynet.plot import PALETTE, FeatureMapPlot, FilterPlot

H = 1e-6                 # the central-difference step
REL = 1e-6               # relative tolerance, for the large slopes
EPS = sys.float_info.epsilon
SMOOTH = ["identity", "tanh", "sigmoid"]   # |f'''| <= 2 for each; relu's kink is tested elsewhere


def form(fast):
    """Run the layers' fast forms (True) or reference forms (False) inside."""
    return contextlib.nullcontext() if fast else tinynet.reference()


# --- nested lists of any depth -------------------------------------------------------

def leaves(nested):
    """Yield (list, index) for every number in a nested list."""
    for i, v in enumerate(nested):
        if isinstance(v, list):
            yield from leaves(v)
        else:
            yield nested, i


def flat(nested):
    return [box[i] for box, i in leaves(nested)]


def shape_of(nested):
    return [shape_of(v) for v in nested] if isinstance(nested, list) else None


def central_differences(loss, nested):
    """Return dL/dv for every v in nested, by (L(v + H) - L(v - H)) / 2H."""
    slopes = []
    for box, i in leaves(nested):
        v = box[i]
        box[i] = v + H
        plus = loss()
        box[i] = v - H
        minus = loss()
        box[i] = v  # put back exactly
        slopes.append((plus - minus) / (2 * H))
    return slopes


def tolerance(r, terms):
    """Return the absolute tolerance for central differences of L = sum r_i a_i.

    The truncation error is H^2 / 6 |L'''|. Every value here is in [-1, 1],
    so each output moves at most 1x per unit of the nudged value, and
    |f'''| <= 2 for the smooth activations: |L'''| <= 2 sum |r_i|. Round-off:
    each output a_i is a sum of ``terms`` products of size <= 1, so it is off
    by at most ~terms * EPS, and L by ~EPS sum |r_i| (terms + 1); the
    difference quotient divides that by 2H. A factor 8 covers the sums'
    growth. With these sizes that is about 1e-8, far below a real bug's error.
    """
    total = sum(abs(v) for v in r)
    return H * H / 3 * total + 8 * EPS * total * (terms + 1) / (2 * H)


def gradient_check(layer, x, r, terms, corrupt_at):
    """Check every dL/dx and dL/dparameter of layer; return the failures.

    Also corrupts entry corrupt_at (taken modulo the number of entries) of
    the analytic gradients and asserts that the same comparison catches it.
    """
    def loss():
        out = layer.forward(x)
        return sum(v * w for row, r_row in zip(out, r) for v, w in zip(row, r_row))

    layer.forward(x)
    dx = layer.backward(r)
    analytic, numeric = flat(dx), central_differences(loss, x)
    for name in layer.params:
        assert shape_of(layer.grads[name]) == shape_of(getattr(layer, name)), name
        analytic += flat(layer.grads[name])
        numeric += central_differences(loss, getattr(layer, name))
    atol = tolerance(flat(r), terms)
    failures = [(k, a, n) for k, (a, n) in enumerate(zip(analytic, numeric))
                if not math.isclose(a, n, rel_tol=REL, abs_tol=atol)]
    k = corrupt_at % len(analytic)
    bad = analytic[k] + 1e-3 * (1.0 + abs(analytic[k]))   # a small bug: 0.1% off
    assert not math.isclose(bad, numeric[k], rel_tol=REL, abs_tol=atol), "corruption missed"
    return failures


def uniform(rng, n, m):
    return [[rng.uniform(-1.0, 1.0) for _ in range(m)] for _ in range(n)]


def distinct(rng, n, m):
    """(n, m) values in [-1, 1], all different by >= 2 / (n m) >> H: no ties in a max."""
    values = [-1.0 + 2.0 * (k + 0.5) / (n * m) for k in range(n * m)]
    rng.shuffle(values)
    return [values[i * m:(i + 1) * m] for i in range(n)]


# --- geometries ----------------------------------------------------------------------

@st.composite
def conv_setups(draw):
    """A Conv2D (random weights, biases, activation), a batch x and r."""
    channels, filters = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    kh, kw = draw(st.integers(1, min(3, height + 2 * ph))), draw(st.integers(1, min(3, width + 2 * pw)))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    layer = Conv2D((channels, height, width), filters, (kh, kw), stride=(sh, sw),
                   padding=(ph, pw), activation=draw(st.sampled_from(SMOOTH)))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for box, i in leaves(layer.weights):
        box[i] = rng.uniform(-1.0, 1.0)
    layer.biases = [rng.uniform(-1.0, 1.0) for _ in range(filters)]
    n = draw(st.integers(1, 3))
    return layer, uniform(rng, n, layer.n_in), uniform(rng, n, layer.n_out), rng


@st.composite
def pool_setups(draw, kind):
    channels, height, width = draw(st.integers(1, 3)), draw(st.integers(1, 7)), draw(st.integers(1, 7))
    size = draw(st.integers(1, min(height, width, 3)))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    layer = kind((channels, height, width), size, stride)
    rng = random.Random(draw(st.integers(0, 2**32)))
    n = draw(st.integers(1, 3))
    return layer, distinct(rng, n, layer.n_in), uniform(rng, n, layer.n_out), rng


# --- gradients against central differences ---------------------------------------------

@given(conv_setups(), st.booleans(), st.integers(0, 10**6))
def test_conv2d_gradients_match_central_differences(setup, fast, corrupt_at):
    layer, x, r, _ = setup
    terms = layer.in_shape[0] * layer.kernel_size[0] * layer.kernel_size[1] + 1
    with form(fast):
        assert gradient_check(layer, x, r, terms, corrupt_at) == []


@given(pool_setups(MaxPool2D), st.booleans(), st.integers(0, 10**6))
def test_maxpool2d_gradients_match_central_differences(setup, fast, corrupt_at):
    layer, x, r, _ = setup   # distinct inputs: no window is near a tie
    with form(fast):
        assert gradient_check(layer, x, r, 1, corrupt_at) == []


@given(pool_setups(AvgPool2D), st.booleans(), st.integers(0, 10**6))
def test_avgpool2d_gradients_match_central_differences(setup, fast, corrupt_at):
    layer, x, r, _ = setup
    with form(fast):
        assert gradient_check(layer, x, r, layer.size ** 2, corrupt_at) == []


@given(st.integers(1, 3), st.integers(1, 12), st.integers(0, 2**32), st.integers(0, 10**6))
def test_dropout_rate_0_gradients_match_central_differences(n, m, seed, corrupt_at):
    rng = random.Random(seed)
    layer = Dropout(0.0, in_shape=(m,))
    layer.training = True
    assert gradient_check(layer, uniform(rng, n, m), uniform(rng, n, m), 1, corrupt_at) == []


class FixedMaskDropout(Dropout):
    """Dropout whose mask is the same on every forward: its generator is
    re-seeded each time, so central differences see one fixed function."""

    def forward(self, x):
        self.rng = random.Random(self.mask_seed)
        return super().forward(x)


@given(st.integers(1, 3), st.integers(1, 12), st.sampled_from([0.2, 0.5, 0.9]),
       st.integers(0, 2**32), st.integers(0, 10**6))
def test_dropout_fixed_mask_gradients_match_central_differences(n, m, rate, seed, corrupt_at):
    rng = random.Random(seed)
    layer = FixedMaskDropout(rate, in_shape=(m,))
    layer.mask_seed, layer.training = seed, True
    r = uniform(rng, n, m)
    # The kept inputs are scaled by up to 1 / (1 - 0.9) = 10: r's scale grows alike.
    assert gradient_check(layer, uniform(rng, n, m), [[10 * v for v in row] for row in r], 1,
                          corrupt_at) == []


def test_gradient_check_catches_a_flipped_kernel_gradient():
    # The classic slip: dW for a convolution (flipped kernel) where the
    # forward is a correlation. The check must fail.
    def flipped(*args):
        dx, d_weights, d_biases = fast_conv.conv2d_backward(*args)
        return dx, [[rows[::-1] for rows in f] for f in d_weights], d_biases

    rng = random.Random(0)
    layer = Conv2D((1, 4, 4), 2, 3, padding=1, activation="identity", seed=0)
    x, r = uniform(rng, 2, layer.n_in), uniform(rng, 2, layer.n_out)
    fast.register("conv2d_backward", lambda *shape: flipped)
    try:
        assert gradient_check(layer, x, r, 10, 0) != []
    finally:
        fast.register("conv2d_backward", fast_conv.FORMS["conv2d_backward"])
    assert gradient_check(layer, x, r, 10, 0) == []


# --- the fast forms are the reference forms ------------------------------------------

def close_all(a, b):
    return len(a) == len(b) and all(math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12)
                                    for u, v in zip(a, b))


@given(conv_setups(), st.booleans())
def test_conv2d_fast_form_equals_reference(setup, input_grad):
    layer, x, r, _ = setup
    args = (layer.weights, layer.biases, layer.in_shape, layer.stride, layer.padding)
    assert close_all(flat(fast_conv.conv2d(x, *args)), flat(conv.conv2d(x, *args)))
    args = (x, layer.weights, r, layer.in_shape, layer.stride, layer.padding, input_grad)
    fast, reference = fast_conv.conv2d_backward(*args), conv.conv2d_backward(*args)
    assert (fast[0] is None) == (reference[0] is None) == (not input_grad)
    assert close_all(flat([g for g in fast if g is not None]),
                     flat([g for g in reference if g is not None]))


@given(pool_setups(MaxPool2D), st.booleans())
def test_pool_fast_forms_equal_reference(setup, with_ties):
    layer, x, r, rng = setup
    if with_ties:  # few values: many ties, which both forms must break alike
        x = [[float(rng.randint(0, 2)) for _ in row] for row in x]
    args = (layer.in_shape, layer.size, layer.stride)
    out, switches = fast_conv.maxpool2d(x, *args)
    assert (out, switches) == conv.maxpool2d(x, *args)
    assert (fast_conv.maxpool2d_backward(switches, r, layer.n_in)
            == conv.maxpool2d_backward(switches, r, layer.n_in))
    assert close_all(flat(fast_conv.avgpool2d(x, *args)), flat(conv.avgpool2d(x, *args)))
    assert close_all(flat(fast_conv.avgpool2d_backward(r, *args)),
                     flat(conv.avgpool2d_backward(r, *args)))


def test_layers_give_the_same_values_in_both_forms():
    rng = random.Random(1)
    layer = Conv2D((2, 7, 6), 3, (3, 2), stride=(2, 1), padding=(1, 0), activation="tanh", seed=2)
    x, r = uniform(rng, 4, layer.n_in), uniform(rng, 4, layer.n_out)
    results = []
    for fast in (True, False):
        with form(fast):
            out = layer.forward(x)
            dx = layer.backward(r)
            results.append(flat(out) + flat(dx) + flat(layer.grads["weights"])
                           + flat(layer.grads["biases"]))
    assert close_all(*results)


def test_reference_turns_the_fast_forms_off():
    for name in fast_conv.FORMS:
        assert "the fast form" in fast.source(name, 2)
        with tinynet.reference():
            assert "the plain form" in fast.source(name, 2)
    calls = []
    fast.register("conv2d", lambda *shape: lambda *args: calls.append(1) or fast_conv.conv2d(*args))
    try:
        layer = Conv2D((1, 3, 3), 1, 2, seed=0)
        with tinynet.reference():
            layer.forward([[0.0] * 9])
        assert calls == []
        layer.forward([[0.0] * 9])
        assert calls == [1]
    finally:
        fast.register("conv2d", fast_conv.FORMS["conv2d"])


def test_relu_on_a_conv_layers_wide_rows_runs_inline_and_equals_the_plain_form():
    # A conv layer's output rows are thousands wide, past the written-out kernels:
    # the door hands out tinynet.fast.loops' relu there, bit for bit the plain one.
    rng = random.Random(4)
    z = uniform(rng, 3, 700) + [[0.0, -0.0, math.nan, math.inf, -math.inf] + [1.0] * 695]
    g = uniform(rng, 4, 700)
    g[3][1], g[3][2] = -0.0, math.nan
    relu = conv.activations.get("relu")
    with tinynet.reference():
        plain = relu.forward(z), relu.backward(relu.forward(z), g)
    assert repr((relu.forward(z), relu.backward(relu.forward(z), g))) == repr(plain)
    assert "the fast form" in fast.source("relu", 4, 700)


def test_long_sums_use_sumprod_and_agree():
    # 3 channels x 4 x 4 + 1 = 49 terms: past WRITTEN_TERMS, one sumprod per patch.
    assert 3 * 4 * 4 + 1 > fast_conv.WRITTEN_TERMS
    rng = random.Random(3)
    layer = Conv2D((3, 6, 6), 2, 4, activation="identity", seed=0)
    x = uniform(rng, 2, layer.n_in)
    args = (layer.weights, layer.biases, layer.in_shape, layer.stride, layer.padding)
    assert close_all(flat(fast_conv.conv2d(x, *args)), flat(conv.conv2d(x, *args)))


def test_generated_kernel_source_is_shown_in_tracebacks():
    fast_conv.conv2d([[1.0, 2.0]], [[[[1.0, 1.0]]]], [0.0], (1, 1, 2), (1, 1), (0, 0))
    assert linecache.getline("<tinynet kernel conv dots 3>", 1) == "def dots(w, patches):\n"
    assert "p0 * w0 + p1 * w1 + p2 * w2" in fast_conv.dots_source(3)


# --- outputs, shapes and the floor rule ---------------------------------------------------

def windows_counted(size, kernel, stride, padding):
    """The number of window starts -pad, -pad + stride, ... that fit, counted."""
    return len(range(-padding, size + padding - kernel + 1, stride))


@given(st.integers(1, 30), st.integers(1, 5), st.integers(1, 4), st.integers(0, 3))
def test_output_size_counts_the_windows(size, kernel, stride, padding):
    expected = windows_counted(size, kernel, stride, padding)
    if expected < 1:
        with pytest.raises(ShapeError, match="Conv2D: the kernel"):
            Conv2D((1, size, size), 1, kernel, stride=stride, padding=padding)
    else:
        assert output_size(size, kernel, stride, padding) == expected
        layer = Conv2D((2, size, size + 1), 3, kernel, stride=stride, padding=padding, seed=0)
        assert layer.out_shape == (3, expected, windows_counted(size + 1, kernel, stride, padding))
        out = layer.forward([[0.5] * layer.n_in] * 2)
        assert [len(row) for row in out] == [layer.n_out] * 2


def test_pool_output_drops_what_does_not_fill_a_window():
    # PyTorch: MaxPool2d(2) on 5x5 gives 2x2; MaxPool2d(3, stride=2) on 7x7 gives 3x3.
    assert MaxPool2D((1, 5, 5)).out_shape == (1, 2, 2)
    assert AvgPool2D((4, 7, 7), 3, 2).out_shape == (4, 3, 3)
    pool = MaxPool2D((1, 3, 3), 2)
    x = [[1.0, 2.0, 99.0,
          3.0, 4.0, 99.0,
          99.0, 99.0, 99.0]]   # the last row and column fill no window
    assert pool.forward(x) == [[4.0]]
    assert pool.backward([[1.0]]) == [[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]]


def test_conv2d_computes_a_known_convolution():
    # A vertical-edge filter on a 1x4x4 image with a step from 0 to 1, padding 1.
    layer = Conv2D((1, 4, 4), 1, 3, padding=1, activation="identity")
    layer.weights = [[[[-1.0, 0.0, 1.0]] * 3]]
    image = [[0.0, 0.0, 1.0, 1.0] * 4]
    # Each output row sums three kernel rows, two at the top and bottom (padding).
    inner, border = [0.0, 3.0, 3.0, -3.0], [0.0, 2.0, 2.0, -2.0]
    for fast in (True, False):
        with form(fast):
            out = layer.forward(image)[0]
        assert [out[i * 4:(i + 1) * 4] for i in range(4)] == [border, inner, inner, border]


def test_maxpool_tie_goes_to_the_first_max_row_major():
    pool = MaxPool2D((1, 2, 2))
    for fast in (True, False):
        with form(fast):
            assert pool.forward([[3.0, 7.0, 7.0, 1.0]]) == [[7.0]]
            assert pool.backward([[1.0]]) == [[0.0, 1.0, 0.0, 0.0]]
            pool.forward([[5.0, 5.0, 5.0, 5.0]])
            assert pool.backward([[2.0]]) == [[2.0, 0.0, 0.0, 0.0]]


def test_overlapping_windows_add_their_gradients():
    pool = MaxPool2D((1, 1, 3), size=1, stride=1)
    assert pool.out_shape == (1, 1, 3)
    pool = MaxPool2D((1, 2, 3), size=2, stride=1)   # both windows share the middle column
    for fast in (True, False):
        with form(fast):
            pool.forward([[0.0, 9.0, 0.0, 0.0, 0.0, 0.0]])
            assert pool.backward([[1.0, 2.0]]) == [[0.0, 3.0, 0.0, 0.0, 0.0, 0.0]]


def test_backward_without_input_grad_returns_none_and_keeps_the_parameter_grads():
    rng = random.Random(5)
    layer = Conv2D((1, 5, 5), 2, 3, seed=1)
    x, r = uniform(rng, 2, layer.n_in), uniform(rng, 2, layer.n_out)
    layer.forward(x)
    assert layer.backward(r) is not None
    grads = layer.grads
    layer.forward(x)
    assert layer.backward(r, input_grad=False) is None
    assert layer.grads == grads
    for other in (MaxPool2D((1, 5, 5)), AvgPool2D((1, 5, 5)), Dropout(0.5, in_shape=(25,))):
        other.forward(x)
        assert other.backward([[1.0] * other.n_out] * 2, input_grad=False) is None


# --- the layer protocol -----------------------------------------------------------------

def test_layer_protocol_members():
    layer = Conv2D((3, 8, 8), 4, 3, seed=0)
    assert layer.params == ("weights", "biases") and layer.decay == ("weights",)
    assert shape_of(layer.weights) == shape_of([[[[0.0] * 3] * 3] * 3] * 4)
    assert (layer.in_shape, layer.out_shape, layer.n_in, layer.n_out) == (
        (3, 8, 8), (4, 6, 6), 192, 144)
    assert layer.training is False
    for other in (MaxPool2D((3, 8, 8)), AvgPool2D((3, 8, 8), 2, 1), Dropout(0.5, in_shape=(3, 8, 8))):
        assert other.params == other.decay == () and other.training is False
    assert Dropout(0.5, in_shape=(3, 8, 8)).out_shape == (3, 8, 8)


def test_build_sets_the_shapes_later():
    for layer in (Conv2D(None, 4, 3, seed=0), MaxPool2D(), AvgPool2D(None, 2), Dropout(0.1)):
        assert layer.in_shape is None and layer.n_in is None
        with pytest.raises(TinynetError, match="in_shape"):
            layer.build("abc")
        layer.build((2, 6, 6))
        assert layer.in_shape == (2, 6, 6) and layer.n_out == math.prod(layer.out_shape)
    with pytest.raises(TinynetError, match="Conv2D: in_shape is not set"):
        Conv2D(None, 4, 3).forward([[0.0] * 9])


def test_config_rebuilds_the_same_layer():
    for layer in (Conv2D((2, 9, 7), 3, (3, 2), stride=(2, 1), padding=1, activation="tanh",
                         init="xavier", seed=0),
                  MaxPool2D((3, 6, 6), 3, 2), AvgPool2D((1, 4, 4)), Dropout(0.3, in_shape=(5,))):
        config = layer.config()
        rebuilt = type(layer)(**config)
        assert rebuilt.config() == config and rebuilt.out_shape == layer.out_shape
        assert repr(rebuilt) == repr(layer)


def test_weights_are_drawn_from_the_seed_with_the_right_scale():
    a = Conv2D((4, 9, 9), 64, 3, seed=7)
    assert flat(a.weights) == flat(Conv2D((4, 9, 9), 64, 3, seed=7).weights)
    assert flat(a.weights) != flat(Conv2D((4, 9, 9), 64, 3, seed=8).weights)
    # he: std sqrt(2 / fan_in), fan_in = 4 * 3 * 3 = 36. With 2304 draws the
    # sample std is within 5% of it for this fixed seed (its own error is ~1.5%).
    values = flat(a.weights)
    std = math.sqrt(sum(v * v for v in values) / len(values))
    assert math.isclose(std, math.sqrt(2 / 36), rel_tol=0.05)
    limit = math.sqrt(6 / (36 + 64 * 9))
    assert max(abs(v) for v in flat(Conv2D((4, 9, 9), 64, 3, init="xavier", seed=7).weights)) <= limit


# --- dropout -----------------------------------------------------------------------------

def test_dropout_only_drops_while_training():
    x = [[float(i) for i in range(1, 201)] for _ in range(5)]
    layer = Dropout(0.5, seed=0)
    assert layer.forward(x) is x and layer.backward(x) is x
    layer.training = True
    out = layer.forward(x)
    ratios = {v / u for row_v, row_u in zip(out, x) for v, u in zip(row_v, row_u)}
    assert ratios == {0.0, 2.0}   # dropped, or kept and scaled by 1 / (1 - rate)
    assert layer.backward([[1.0] * 200] * 5) == layer.mask
    layer.training = False
    assert layer.forward(x) is x


def test_dropout_keeps_about_1_minus_rate():
    layer = Dropout(0.3, seed=0)
    layer.training = True
    out = layer.forward([[1.0] * 1000] * 10)
    kept = sum(v != 0.0 for row in out for v in row) / 10000
    # 10000 Bernoulli(0.7) draws: std 0.0046. 0.05 is 10 std away; the seed is fixed.
    assert abs(kept - 0.7) < 0.05
    again = Dropout(0.3, seed=0)
    again.training = True
    assert again.forward([[1.0] * 1000] * 10) == out   # the seed fixes the mask


# --- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D((1, 8, 8), 0, 3), "Conv2D: filters must be a positive integer, got 0"),
    (lambda: Conv2D((1, 8, 8), 2, "3"), "Conv2D: kernel_size must be an integer >= 1"),
    (lambda: Conv2D((1, 8, 8), 2, (3, 3, 3)), "Conv2D: kernel_size must be"),
    (lambda: Conv2D((1, 8, 8), 2, 3, stride=0), "Conv2D: stride must be an integer >= 1 or a pair of them, got int 0"),
    (lambda: Conv2D((1, 8, 8), 2, 3, padding=-1), "Conv2D: padding must be an integer >= 0"),
    (lambda: Conv2D((1, 8, 8), 2, 3, padding=True), "Conv2D: padding must be"),
    (lambda: Conv2D((8, 8), 2, 3), r"Conv2D: in_shape must be \(channels, height, width\)"),
    (lambda: Conv2D((1, 0, 8), 2, 3), "Conv2D: in_shape must be a positive integer, got 0"),
    (lambda: Conv2D((1, 2, 8), 2, 3), "Conv2D: the kernel 3x3 does not fit the 2x8 input"),
    (lambda: Conv2D((1, 8, 8), 2, 3, activation="swish"), "activation: unknown name 'swish'"),
    (lambda: Conv2D((1, 8, 8), 2, 3, init="zeros"), "Conv2D: unknown init 'zeros'"),
    (lambda: Conv2D((1, 8, 8), 2, 3, seed=1.5), "Conv2D: seed must be an integer"),
    (lambda: MaxPool2D((1, 8, 8), 0), "MaxPool2D: size must be a positive integer, got 0"),
    (lambda: AvgPool2D((1, 8, 8), 2, -1), "AvgPool2D: stride must be a positive integer"),
    (lambda: MaxPool2D((1, 2, 8), 3), "MaxPool2D: the window 3x3 does not fit the 2x8 input"),
    (lambda: Dropout(1.0), r"Dropout: rate must be in \[0, 1\), got 1.0"),
    (lambda: Dropout(-0.1), r"Dropout: rate must be in \[0, 1\)"),
    (lambda: Dropout("0.5"), "Dropout: rate must be a real number"),
    (lambda: Dropout(0.5, in_shape=(0,)), "Dropout: in_shape must be a positive integer"),
])
def test_bad_arguments_name_the_layer(make, message):
    with pytest.raises(TinynetError, match=message):
        make()


@pytest.mark.parametrize("layer", [Conv2D((1, 4, 4), 1, 3), MaxPool2D((1, 4, 4)),
                                   AvgPool2D((1, 4, 4)), Dropout(0.5, in_shape=(16,))])
def test_forward_refuses_rows_of_the_wrong_width(layer):
    with pytest.raises(ShapeError, match=f"{type(layer).__name__}: x rows must have 16 values"):
        layer.forward([[0.0] * 15])


# --- an outside reference: NumPy ------------------------------------------------------

def numpy_conv(np, x, w, b, stride, padding):
    """z, and the gradients for delta, by shift-and-add over kernel offsets."""
    (sh, sw), (ph, pw) = stride, padding
    n, c, hgt, wid = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh, ow = (hgt + 2 * ph - kh) // sh + 1, (wid + 2 * pw - kw) // sw + 1
    views = {(i, j): xp[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
             for i, j in product(range(kh), range(kw))}
    z = b[None, :, None, None] + sum(np.einsum("fc,nchw->nfhw", w[:, :, i, j], v)
                                     for (i, j), v in views.items())

    def backward(delta):
        dw = np.zeros_like(w)
        dxp = np.zeros_like(xp)
        for (i, j), v in views.items():
            dw[:, :, i, j] = np.einsum("nfhw,nchw->fc", delta, v)
            dxp[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw] += np.einsum(
                "nfhw,fc->nchw", delta, w[:, :, i, j])
        return dxp[:, :, ph:ph + hgt, pw:pw + wid], dw, delta.sum(axis=(0, 2, 3))
    return z, backward


@given(conv_setups())
def test_conv2d_agrees_with_numpy(setup):
    np = pytest.importorskip("numpy")
    layer, x, r, _ = setup
    layer.activation = conv.activations.get("identity")
    z, backward = numpy_conv(np, np.array(x).reshape((len(x),) + layer.in_shape),
                             np.array(layer.weights), np.array(layer.biases),
                             layer.stride, layer.padding)
    delta = np.array(r).reshape((len(r),) + layer.out_shape)
    dx, dw, db = backward(delta)
    with form(True):
        out = layer.forward(x)
        mine_dx = layer.backward(r)
    assert np.allclose(np.array(out).ravel(), z.ravel(), rtol=1e-12, atol=1e-12)
    assert np.allclose(np.array(mine_dx).ravel(), dx.ravel(), rtol=1e-12, atol=1e-12)
    assert np.allclose(np.array(layer.grads["weights"]), dw, rtol=1e-12, atol=1e-12)
    assert np.allclose(np.array(layer.grads["biases"]), db, rtol=1e-12, atol=1e-12)


# --- the benchmark runs, and its candidates agree ------------------------------------------

BENCH = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "conv_bench.py"


def test_conv_bench_runs_and_its_candidates_agree(capsys):
    spec = importlib.util.spec_from_file_location("conv_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    runs = bench.candidates(textbook=True, batch=1)   # raises if any two disagree
    assert {"tinynet", "tinynet reference", "im2col + sumprod", "textbook loops"} <= set(runs)
    assert bench.main(["--quick", "--batch", "2"]) == 0
    out = capsys.readouterr().out
    assert "target: tinynet <= plain im2col + sumprod: " in out
    assert "an epoch of 4000 images: about " in out
    # The section compare_numpy.py prints from run()'s figures:
    lines = bench.report({"batch": 2, "seconds": {"tinynet": 0.5, "numpy im2col": None,
                                                  "im2col + sumprod": 1.0},
                          "epoch_seconds": 1000.0, "met": True})
    assert "| im2col + sumprod | 1.0000 | 2.00 |" in lines and "| numpy im2col | n/a | n/a |" in lines


# --- pictures ----------------------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"


def rects(svg, cls):
    root = ET.fromstring(svg)
    return [r for r in root.iter(SVG_NS + "rect") if r.get("class") == cls]


def test_filter_plot_draws_every_weight_on_one_scale(tmp_path):
    layer = Conv2D((2, 6, 6), 3, (3, 2), seed=0)
    layer.weights[0][0][0][0], layer.weights[1][1][2][1] = -5.0, 5.0   # the extremes
    layer.weights[2][0][1][1] = 0.0
    plot = FilterPlot(layer)
    cells = rects(plot.svg, "weight")
    assert len(cells) == 3 * 2 * 3 * 2
    fills = [c.get("fill") for c in cells]
    # Drawn channel by channel, then filter by filter: (c, f, row, column) order.
    assert fills[0] == PALETTE[0] and fills[(1 * 3 + 1) * 6 + 2 * 2 + 1] == PALETTE[3]
    assert fills[(0 * 3 + 2) * 6 + 1 * 2 + 1] == "#FFFFFF"
    assert plot._repr_svg_() == plot.svg
    plot.save(tmp_path / "filters.svg")
    assert ET.parse(tmp_path / "filters.svg").getroot().tag == SVG_NS + "svg"


def test_feature_map_plot_shows_the_image_then_each_image_layer():
    conv_layer = Conv2D((1, 6, 6), 2, 3, activation="identity", seed=0)
    pool = MaxPool2D(conv_layer.out_shape)
    net = Network([conv_layer, pool, Dense(pool.n_out, 2, "softmax", seed=0)], loss="cross_entropy")
    image = [float(i) for i in range(36)]
    plot = FeatureMapPlot(net, image)
    assert [name for name, _, _ in plot.rows] == ["input 1x6x6", "Conv2D 2x4x4", "MaxPool2D 2x2x2"]
    assert plot.rows[1][2] == conv_layer.forward([image])[0]
    assert len(rects(plot.svg, "pixel")) == 36 + 2 * 16 + 2 * 4
    assert plot._repr_svg_() == plot.svg
    with pytest.raises(ShapeError, match="FeatureMapPlot: the image must have 36 values"):
        FeatureMapPlot(net, [0.0] * 35)
    with pytest.raises(TinynetError, match="FeatureMapPlot: the first layer must take images"):
        FeatureMapPlot([Dense(4, 2)], [0.0] * 4)
    with pytest.raises(TinynetError, match="FilterPlot: needs a convolution layer"):
        FilterPlot(Dense(4, 2))
