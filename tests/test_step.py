"""The generated training step (tinynet.fast.step) against the reference path.

The reference is Network.fit through the layers, one full-batch step per
epoch, with no shuffling: the step the generated code writes out. Both must
give the same losses and parameters to 1e-12 (relative, or absolute near
zero) after a few steps, for random architectures, activations, losses,
optimizers and batch sizes. A corrupted step must be caught by the same
comparison, so the tolerance is shown to be tight enough to see a wrong
formula.
"""

import contextlib
import linecache
import math
import random
import traceback

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tinynet
from tinynet import activations, losses, optim
from tinynet.errors import TinynetError
from tinynet.fast import step as S
from tinynet.layers import Dense
from tinynet.network import Network

TOL = 1e-12
HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "identity")
# The cross-entropies need probabilities: a sigmoid or softmax output. Both
# pairs with a short form for dL/dz and both without are drawn.
OUTPUTS = {"sse": HIDDEN + ("softmax",), "mse": HIDDEN + ("softmax",),
           "binary_cross_entropy": ("sigmoid", "softmax"),
           "cross_entropy": ("sigmoid", "softmax")}


def reference():
    """The reference path, with the fast door shut where there is one."""
    return getattr(tinynet, "reference", contextlib.nullcontext)()


def close(a, b, tol=TOL):
    """True when nested lists (or numbers) a and b agree to tol, entry by entry."""
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(close(u, v, tol) for u, v in zip(a, b))
    return abs(a - b) <= tol * max(1.0, abs(b))


def finite(nested):
    if isinstance(nested, (list, tuple)):
        return all(finite(v) for v in nested)
    return math.isfinite(nested)


def make_optimizer(kind, lr, decay, momentum=0.9):
    if kind == "adam":
        return optim.Adam(lr, weight_decay=decay), S.hyperparameters(kind, lr, decay)
    if kind == "sgd":
        return optim.SGD(lr, weight_decay=decay), S.hyperparameters(kind, lr, decay)
    opt = optim.SGD(lr, momentum=momentum, nesterov=kind == "nesterov", weight_decay=decay)
    return opt, S.hyperparameters(kind, lr, decay, momentum=momentum)


def reference_run(layers, x, y, loss, opt, steps):
    """Losses and final (weights, biases) of each layer, trained by Network.fit."""
    dense = []
    for w, b, act in layers:
        layer = Dense(len(w), len(b), act, seed=0)
        layer.weights, layer.biases = [row[:] for row in w], b[:]
        dense.append(layer)
    net = Network(dense, loss=loss)
    with reference():
        history = net.fit(x, y, epochs=steps, optimizer=opt, shuffle=False)
    return history.loss, [[layer.weights, layer.biases] for layer in net.layers]


def generated_run(layers, x, y, loss, kind, hyper, steps, step=None):
    """Losses and final (weights, biases) of each layer, trained by the generated step."""
    spec = S.Spec(tuple([len(layers[0][0])] + [len(b) for _, b, _ in layers]),
                  tuple(act for _, _, act in layers), loss, kind, hyper[1] > 0.0)
    step = step or S.compile_step(spec)
    params = [p for w, b, _ in layers for p in (w, b)]
    state, values = S.initial_state(spec), []
    for _ in range(steps):
        value, _, params, state = step(x, y, params, state, hyper)
        values.append(value)
    return values, [params[i:i + 2] for i in range(0, len(params), 2)]


def epochs_run(layers, x, y, loss, kind, hyper, steps, rows=None):
    """The same as generated_run, by the epochs form: steps steps in one call
    (rows: None, a loop over the rows; or len(x), every row written out)."""
    spec = S.Spec(tuple([len(layers[0][0])] + [len(b) for _, b, _ in layers]),
                  tuple(act for _, _, act in layers), loss, kind, hyper[1] > 0.0, rows)
    params = [p for w, b, _ in layers for p in (w, b)]
    epochs = S.compile_step(spec, form="epochs")
    values, params, _ = epochs(x, y, params, S.initial_state(spec), hyper, steps)
    return values, [params[i:i + 2] for i in range(0, len(params), 2)]


@st.composite
def problems(draw):
    """A random small network, its data, loss and optimizer."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    loss = draw(st.sampled_from(S.LOSSES))
    acts = [draw(st.sampled_from(HIDDEN)) for _ in sizes[2:]]
    acts.append(draw(st.sampled_from(OUTPUTS[loss])))
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    layers = [([[rng.uniform(-1, 1) for _ in range(m)] for _ in range(k)],
               [rng.uniform(-0.5, 0.5) for _ in range(m)], act)
              for k, m, act in zip(sizes, sizes[1:], acts)]
    n = draw(st.integers(1, 9))
    x = [[rng.uniform(-3, 3) for _ in range(sizes[0])] for _ in range(n)]
    if loss in ("sse", "mse"):
        y = [[rng.uniform(-1, 1) for _ in range(sizes[-1])] for _ in range(n)]
    else:
        y = [[float(rng.random() < 0.5) for _ in range(sizes[-1])] for _ in range(n)]
    kind = draw(st.sampled_from(S.OPTIMIZERS))
    lr = draw(st.sampled_from([0.001, 0.01, 0.1]))
    decay = draw(st.sampled_from([0.0, 0.01]))
    return layers, x, y, loss, kind, lr, decay


@given(problems(), st.integers(1, 3))
def test_generated_step_matches_the_reference_path(problem, steps):
    layers, x, y, loss, kind, lr, decay = problem
    opt, hyper = make_optimizer(kind, lr, decay)
    try:
        expected = reference_run(layers, x, y, loss, opt, steps)
    except tinynet.TrainingDiverged:
        assume(False)
    got = generated_run(layers, x, y, loss, kind, hyper, steps)
    assume(finite(expected))
    assert close(got[0], expected[0]), (got[0], expected[0])
    assert close(got[1], expected[1])
    # the epochs form, with a loop over the rows or each written out: the same arithmetic
    assert epochs_run(layers, x, y, loss, kind, hyper, steps) == got
    assert epochs_run(layers, x, y, loss, kind, hyper, steps, rows=len(x)) == got


def _article_problem():
    x, y = tinynet.data.xor()
    rng = random.Random(1)
    layers = [([[rng.random() for _ in range(4)] for _ in range(3)], [0.0] * 4, "sigmoid"),
              ([[rng.random()] for _ in range(4)], [0.0], "sigmoid")]
    return layers, x, y


def test_a_corrupted_step_is_caught():
    # The article's network, but dL/dy_hat = 2.000001 (y_hat - y) instead of
    # 2 (y_hat - y): the comparison must see the difference.
    layers, x, y = _article_problem()
    spec = S.Spec((3, 4, 1), ("sigmoid", "sigmoid"), "sse")
    text = S.source(spec)
    assert "2.0 * e0" in text
    namespace = dict(S._GLOBALS, safe_step=None)
    exec(text.replace("2.0 * e0", "2.000001 * e0"), namespace)
    opt, hyper = make_optimizer("sgd", 1.0, 0.0)
    expected = reference_run(layers, x, y, "sse", opt, 2)
    good = generated_run(layers, x, y, "sse", "sgd", hyper, 2)
    bad = generated_run(layers, x, y, "sse", "sgd", hyper, 2, step=namespace["step"])
    assert close(good[1], expected[1])
    assert not close(bad[1], expected[1])


def test_the_article_trains_to_the_same_weights_over_many_steps():
    layers, x, y = _article_problem()
    opt, hyper = make_optimizer("sgd", 1.0, 0.0)
    expected = reference_run(layers, x, y, "sse", opt, 300)
    got = generated_run(layers, x, y, "sse", "sgd", hyper, 300)
    assert close(got[1], expected[1], 1e-12)
    assert got[0][-1] < got[0][0]


def test_a_sigmoid_overflow_falls_back_to_the_two_sided_form():
    # z = -800 for the first row: e^800 overflows in 1 / (1 + e^-z).
    layers = [([[1.0]], [0.0], "sigmoid")]
    x, y = [[-800.0], [0.5]], [[0.0], [1.0]]
    opt, hyper = make_optimizer("sgd", 0.1, 0.0)
    expected = reference_run(layers, x, y, "sse", opt, 2)
    got = generated_run(layers, x, y, "sse", "sgd", hyper, 2)
    assert close(got[0], expected[0]) and close(got[1], expected[1])


def test_the_epochs_form_falls_back_mid_run_and_stops_at_a_non_finite_loss():
    # Row 2 (x = 0, target 0) pulls the bias down by about lr = 5 an epoch
    # (Adam); row 1's z = -700 + b passes -709 in the third epoch, so the
    # run starts in the fast form and finishes in the two-sided one.
    layers = [([[-700.0]], [0.0], "sigmoid")]
    x, y = [[1.0], [0.0]], [[0.0], [0.0]]
    opt, hyper = make_optimizer("adam", 5.0, 0.0)
    expected = reference_run(layers, x, y, "sse", opt, 5)
    assert expected[1][0][1][0] < -9.0  # so z = -700 + b went past -709
    spec = S.Spec((1, 1), ("sigmoid",), "sse", "adam")
    epochs = S.compile_step(spec, form="epochs")
    losses, params, state = epochs(x, y, [[[-700.0]], [0.0]], S.initial_state(spec), hyper, 5)
    assert close(losses, expected[0]) and close([params], expected[1]) and state[0] == 5
    identity = S.compile_step(S.Spec((1, 1), ("identity",), "sse"), form="epochs")
    losses, _, _ = identity([[1e200]], [[0.0]], [[[1e200]], [0.0]], None, (1.0, 0.0), 5)
    assert len(losses) == 1 and losses[0] == math.inf


def test_the_step_changes_none_of_its_arguments():
    layers, x, y = _article_problem()
    before = repr((layers, x, y))
    state = None
    for _ in range(2):
        _, _, new_layers, state = S.train_step(layers, x, y, "mse", "adam", (0.1, 0.1, 0.9, 0.99, 1e-8),
                                               state)
    assert repr((layers, x, y)) == before
    assert new_layers != layers and state[0] == 2


def test_the_constants_are_the_core_ones():
    assert S.LEAKY_SLOPE == activations.LEAKY_SLOPE
    assert S.EPSILON == losses.EPSILON
    bce = losses.get("binary_cross_entropy").value
    assert bce([[1.0]], [[0.0]]) == -math.log(1.0 - S.BELOW_ONE)


def test_the_source_is_printable_and_shows_in_tracebacks():
    spec = S.Spec((3, 4, 1), ("sigmoid", "sigmoid"), "sse", "momentum")
    text = S.source(spec)
    assert text.startswith("def step(x, y, params, state, hyper):")
    assert "a1_0 = 1.0 / (1.0 + exp(-(x0 * w1_0_0 + x1 * w1_1_0 + x2 * w1_2_0 + b1_0)))" in text
    step = S.compile_step(spec)
    assert step is S.compile_step(spec)  # compiled once
    filename = step.__code__.co_filename
    assert filename == ("<tinynet step Dense 3-4-1 (sigmoid, sigmoid), loss sse, "
                        "optimizer momentum>")
    assert "".join(linecache.getlines(filename)) == text
    layers, x, y = _article_problem()
    params = [p for w, b, _ in layers for p in (w, b)]
    with pytest.raises(ValueError) as info:
        step([[1.0, 2.0]], [[1.0]], params, S.initial_state(spec), (0.1, 0.0, 0.9))
    assert "for [x0, x1, x2], [y0] in zip(x, y):" in "".join(traceback.format_tb(info.tb))


@pytest.mark.parametrize("spec, message", [
    (S.Spec((3,), (), "sse"), "sizes must be two or more positive integers"),
    (S.Spec((3, 0), ("sigmoid",), "sse"), "sizes must be two or more positive integers"),
    (S.Spec((3, 1), ("sigmoid", "tanh"), "sse"), "needs one activation per layer (1), got 2"),
    (S.Spec((3, 1), ("swish",), "sse"), "unknown activation 'swish'"),
    (S.Spec((3, 1), ("tanh",), "hinge"), "unknown loss 'hinge'"),
    (S.Spec((3, 1), ("tanh",), "sse", "rmsprop"), "unknown optimizer 'rmsprop'"),
])
def test_bad_specs_are_refused(spec, message):
    with pytest.raises(TinynetError, match="compile_step: " + message.replace("(", r"\(")
                       .replace(")", r"\)")):
        S.compile_step(spec)


def test_train_step_refuses_sizes_that_do_not_chain():
    layers = [([[1.0, 2.0]], [0.0, 0.0], "tanh"), ([[1.0]], [0.0], "tanh")]
    with pytest.raises(TinynetError, match="layer 2's weights are not \\(2, 1\\)"):
        S.train_step(layers, [[1.0]], [[1.0]], "sse")


def test_fits_counts_weights_and_biases():
    assert S.fits((3, 4, 1))
    limit = S.MAX_WEIGHTS
    assert S.fits((limit - 1, 1)) and not S.fits((limit, 1))


# --- Network.fit through the door ------------------------------------------------------------

def _count_compiles(monkeypatch):
    calls = []
    original = S.compile_step

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(S, "compile_step", counting)
    return calls


def _params(net):
    return [[layer.weights, layer.biases] for layer in net.layers]


def _fit_both(make, x, y, **options):
    """Fit two equal networks, one as fit chooses and one inside reference()."""
    fast, plain = make(), make()
    h_fast = fast.fit(x, y, **options)
    with tinynet.reference():
        h_plain = plain.fit(x, y, **options)
    return fast, plain, h_fast, h_plain


def test_fit_uses_the_compiled_step_and_reference_turns_it_off(monkeypatch):
    calls = _count_compiles(monkeypatch)
    x, y = tinynet.data.xor()
    Network([3, 4, 1], seed=1).fit(x, y, epochs=2)
    assert calls and calls[0][0].sizes == (3, 4, 1)
    calls.clear()
    with tinynet.reference():
        Network([3, 4, 1], seed=1).fit(x, y, epochs=2)
    Network([3, 40, 1], seed=1).fit(x, y, epochs=2)  # above the size limit
    Network([3, 4, 1], seed=1).fit(x, y, epochs=2, optimizer=_MySGD(0.1))
    assert calls == []


class _MySGD(optim.SGD):
    """A subclass: it may change the update, so fit must not compile it away."""


@pytest.mark.parametrize("options", [
    dict(epochs=300, learning_rate=1.0),                                  # the article
    dict(epochs=30, optimizer="adam", learning_rate=0.05, batch_size=3, seed=2),
    dict(epochs=20, optimizer="nesterov", batch_size=2, shuffle=False),
])
def test_fit_gives_the_reference_weights(options):
    x, y = tinynet.data.xor()
    if options.get("optimizer") == "nesterov":  # a fresh instance for each network
        options = dict(options, optimizer=lambda: optim.SGD(0.3, momentum=0.9, nesterov=True,
                                                            weight_decay=0.01))
    fast, plain = Network([3, 4, 1], seed=1), Network([3, 4, 1], seed=1)

    def fit(net):
        made = {k: v() if callable(v) else v for k, v in options.items()}
        return net.fit(x, y, **made)
    h_fast = fit(fast)
    with tinynet.reference():
        h_plain = fit(plain)
    assert close(_params(fast), _params(plain)) and close(h_fast.loss, h_plain.loss)
    assert h_fast.best_epoch == h_plain.best_epoch


def test_fit_of_a_classifier_with_validation_and_early_stopping():
    x, y = tinynet.data.xor()
    x, y = x * 3, y * 3  # the 4 rows three times: 9 to train on, 3 to validate
    make = lambda: Network([3, 5, 1], activation="tanh", output_activation="sigmoid",  # noqa
                           loss="binary_cross_entropy", seed=3)
    fast, plain, h_fast, h_plain = _fit_both(make, x, y, epochs=60, optimizer="adam",
                                             learning_rate=0.05, batch_size=4,
                                             validation_split=0.25, patience=5, seed=1)
    assert close(_params(fast), _params(plain))
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert close(getattr(h_fast, key), getattr(h_plain, key))
    assert (h_fast.best_epoch, h_fast.stopped_early) == (h_plain.best_epoch, h_plain.stopped_early)


def test_an_optimizer_carries_its_state_from_one_fit_to_the_next():
    x, y = tinynet.data.xor()
    fast, plain = Network([3, 4, 1], seed=1), Network([3, 4, 1], seed=1)
    adam_fast, adam_plain = optim.Adam(0.05), optim.Adam(0.05)
    fast.fit(x, y, epochs=10, optimizer=adam_fast)           # compiled
    with tinynet.reference():
        fast.fit(x, y, epochs=10, optimizer=adam_fast)       # then the layers
        plain.fit(x, y, epochs=20, optimizer=adam_plain)
    assert adam_fast.state["t"] == adam_plain.state["t"] == 20
    assert close(_params(fast), _params(plain))


def test_divergence_in_the_compiled_run_raises_as_the_reference_does():
    x, y = tinynet.data.xor()
    x = [[1e3 * v for v in row] for row in x]
    messages = []
    for context in (contextlib.nullcontext(), tinynet.reference()):
        with context, pytest.raises(tinynet.TrainingDiverged) as info:
            Network([3, 8, 1], activation="identity", seed=0).fit(x, y, epochs=50,
                                                                  learning_rate=10.0)
        messages.append(str(info.value))
    assert messages[0] == messages[1] and "epoch" in messages[0]
