"""The plain forms and the fast forms train the same networks.

``with tinynet.reference():`` runs every operation's plain form (the core's
readable code); outside it the door picks the fast forms (generated kernels,
math.sumprod loops). Both must give the same weights, and inside
reference() no generated kernel may run.
"""

import sys

import pytest

import tinynet
from tinynet import Network, data
from tinynet.fast import door, kernels
from tinynet.matrix import ops

ROWS, EPOCHS, BATCH = 240, 3, 16


def _train(x, y, **options):
    net = Network([64, 32, 10], activation="relu", output_activation="softmax",
                  loss="cross_entropy", seed=7)
    net.fit(x, y, epochs=EPOCHS, batch_size=BATCH, seed=3, **options)
    return net


def _digits():
    x, labels = data.load_digits()
    y, _ = data.one_hot(labels[:ROWS])
    return [[v / 16.0 for v in row] for row in x[:ROWS]], y


def _flat(value):
    if isinstance(value, (list, tuple, dict)):
        for v in (value.values() if isinstance(value, dict) else value):
            yield from _flat(v)
    else:
        yield value


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_reference_and_fast_training_give_the_same_weights(optimizer):
    x, y = _digits()
    fast = _train(x, y, optimizer=optimizer)
    with tinynet.reference():
        plain = _train(x, y, optimizer=optimizer)
    pairs = list(zip(_flat(fast.get_parameters()), _flat(plain.get_parameters())))
    assert len(pairs) == 64 * 32 + 32 + 32 * 10 + 10
    worst = max(abs(a - b) for a, b in pairs)
    assert worst <= 1e-9, worst


def test_the_article_class_is_the_same_both_ways():
    x, y = data.xor()

    def train():
        nn = tinynet.NeuralNetwork(x, y, seed=1)
        for _ in range(200):
            nn.feedforward()
            nn.backprop()
        return nn.weights1 + nn.weights2

    fast = train()
    with tinynet.reference():
        plain = train()
    assert max(abs(a - b) for a, b in zip(_flat(fast), _flat(plain))) <= 1e-9


def _kernel_calls(work):
    """Run work() and return the names of the generated kernels that ran."""
    seen = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith("<tinynet kernel"):
            seen.add(frame.f_code.co_filename)

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return seen


def test_no_generated_kernel_runs_inside_reference():
    x, y = data.xor()

    def work():
        net = Network([3, 4, 1], seed=0)
        net.fit(x, y, epochs=3, optimizer="adam")
        net.fit(x, y, epochs=3)
        nn = tinynet.NeuralNetwork(x, y, seed=0)
        nn.feedforward()
        nn.backprop()

    # The same work outside reference() does run kernels, so the probe can fail.
    assert _kernel_calls(work)
    caches = {name: repr(op.fast_cache) for name, op in door.OPS.items()}
    compiled = kernels.compile_kernel.cache_info().misses
    with tinynet.reference():
        assert _kernel_calls(work) == set()
    assert {name: repr(op.fast_cache) for name, op in door.OPS.items()} == caches
    assert kernels.compile_kernel.cache_info().misses == compiled


def test_reference_blocks_nest_and_restore_the_fast_forms():
    a = [[1.0, 2.0], [3.0, 4.0]]
    with tinynet.reference():
        with tinynet.reference():
            assert door.in_reference()
        assert door.in_reference()
        assert ops.matmul(a, a) == [[7.0, 10.0], [15.0, 22.0]]
    assert not door.in_reference()
    assert door.OPS["matmul"].namespace["table"] is door.OPS["matmul"].fast_cache


def test_reference_is_restored_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with tinynet.reference():
            1 / 0
    assert not door.in_reference()
