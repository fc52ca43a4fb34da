"""Bad input to the core gets a TinynetError naming the operation, never a
TypeError, OverflowError or IndexError from deep inside (issue 11, class C),
and strings never pass as matrices (issue 10)."""

import random

import pytest

from tinynet import NeuralNetwork, TinynetError, data, matrix, optim
from tinynet.layers import Dense
from tinynet.network import Network
from tinynet.serialize import from_dict, to_dict

BIG = 10 ** 400  # an int no float can hold


@pytest.mark.parametrize("call", [
    lambda: matrix.add("ab", "cd"),
    lambda: matrix.add([["a"]], [["b"]]),
    lambda: matrix.sub([["a", "b"]], [["c", "d"]]),
    lambda: matrix.hadamard(["ab", "cd"], ["ef", "gh"]),
    lambda: matrix.matmul([["a"]], [[2]]),
    lambda: matrix.matmul(["ab"], [[1.0], [2.0]]),
    lambda: matrix.transpose(["abc"]),
    lambda: matrix.scale([["a"]], 2.0),
    lambda: matrix.add_row([["a"]], [1.0]),
    lambda: matrix.add_row([[1.0]], "a"),
    lambda: matrix.column_sums([[None]]),
    lambda: matrix.argmax_rows("abc"),
    lambda: matrix.argmax_rows([[1.0, "x"]]),
    lambda: matrix.argmax_rows([[]]),
    lambda: matrix.argmax_rows(5),
    lambda: matrix.class_indices([{"a": 1}]),
    lambda: matrix.shape([[1.0], "a"]),
    lambda: matrix.apply(abs, [["a"]]),
])
def test_strings_and_garbage_never_pass_as_matrices(call):
    with pytest.raises(TinynetError):
        call()


@pytest.mark.parametrize("call, words", [
    (lambda: matrix.as_matrix([[BIG]]), "too large for a float"),
    (lambda: matrix.scale([[1.0]], BIG), "factor"),
    (lambda: optim.SGD(BIG), "learning_rate"),
    (lambda: Network([2, 1]).fit([[0.0, 1.0]], [[1.0]], epochs=1, learning_rate=BIG),
     "learning_rate"),
    (lambda: Network([2, BIG, 1]), "MAX_WEIGHTS"),
    (lambda: Dense(BIG, 2), "MAX_WEIGHTS"),
])
def test_ints_too_large_for_a_float(call, words):
    with pytest.raises(TinynetError, match=words):
        call()


def test_a_model_file_with_a_huge_number_is_refused():
    doc = to_dict(Network([2, 1], seed=0))
    doc["layers"][0]["params"]["biases"][0] = BIG
    with pytest.raises(TinynetError, match=r"biases\[0\] must be a finite number"):
        from_dict(doc)


@pytest.mark.parametrize("seed", [[], object(), float("nan"), 1.5, True, b"x"])
def test_seeds_are_integers_strings_or_none(seed):
    x, y = data.xor()
    for call in (lambda: Network([3, 1], seed=seed), lambda: Dense(3, 1, seed=seed),
                 lambda: NeuralNetwork(x, y, seed=seed),
                 lambda: Network([3, 1]).fit(x, y, epochs=1, seed=seed)):
        with pytest.raises(TinynetError, match="seed must be an integer, a string or None"):
            call()


@pytest.mark.parametrize("option, words", [
    ({"min_delta": "a"}, "min_delta must be a real number"),
    ({"min_delta": -1.0}, "min_delta must be >= 0"),
    ({"callback": 5}, "callback must be callable"),
    ({"shuffle": "yes"}, "shuffle must be True or False"),
    ({"verbose": 1}, "verbose must be True or False"),
    ({"batch_size": 0}, "batch_size must be a positive integer"),
    ({"patience": 2.5}, "patience must be a positive integer"),
    ({"validation_split": True}, "validation_split must be a fraction"),
    ({"validation_data": 5}, "validation_data must be a pair"),
    ({"optimizer": "rmsprop"}, "unknown name 'rmsprop'"),
    ({"seed": []}, "seed must be"),
])
def test_every_fit_option_is_checked_before_the_first_epoch(option, words):
    x, y = data.xor()
    net = Network([3, 4, 1], seed=0)
    before = net.get_parameters()
    with pytest.raises(TinynetError, match=words):
        net.fit(x, y, epochs=2, **option)
    assert net.get_parameters() == before  # refused before any step


def test_classes_shorter_than_the_outputs():
    net = Network([2, 3], output_activation="softmax", loss="cross_entropy", seed=0)
    net.classes = ["a", "b"]
    with pytest.raises(TinynetError, match="has 3 classes but net.classes names only 2"):
        net.predict_labels([[0.0, 1.0]])
    net.classes = ["a", "b", "c"]
    assert net.predict_labels([[0.0, 1.0]])[0] in net.classes


def test_each_optimizer_carries_its_default_learning_rate(monkeypatch):
    class Slow(optim.SGD):
        default_learning_rate = 0.0123

    monkeypatch.setitem(optim.OPTIMIZERS, "slow", Slow)
    assert optim.default_learning_rate("slow") == 0.0123
    assert optim.get("slow").learning_rate == 0.0123
    x, y = data.xor()
    net = Network([3, 1], seed=0)
    net.fit(x, y, epochs=1, optimizer="slow")  # fit asks the optimizer, not a table
    with pytest.raises(TinynetError, match="unknown name 'nope'"):
        optim.default_learning_rate("nope")


def test_one_argmax_rule():
    out = [[0.2, 0.7, 0.7], [0.5, 0.5, 0.0]]
    assert matrix.argmax_rows(out) == matrix.class_indices(out) == [1, 0]
    assert matrix.class_indices([[0.5], [0.49]]) == [1, 0]
    net = Network([2, 3], output_activation="softmax", seed=0)
    x = [[0.3, -0.2], [1.0, 2.0]]
    assert net.predict_classes(x) == matrix.argmax_rows(net.predict(x))


@pytest.mark.parametrize("make", [
    lambda: matrix.identity(10 ** 9),
    lambda: matrix.zeros(10 ** 5, 10 ** 5),
    lambda: matrix.random_uniform(10 ** 400, 2, 0.0, 1.0, random.Random(0)),
])
def test_matrix_makers_refuse_sizes_that_would_exhaust_memory(make):
    with pytest.raises(TinynetError, match="needs at most 100000000 entries"):
        make()


@pytest.mark.parametrize("op, args", [
    (matrix.matmul, ([[10 ** 400]], [[1.0]])),
    (matrix.transpose, ([[1.0, 10 ** 400]],)),
    (matrix.add, ([[10 ** 400]], [[1.0]])),
])
def test_an_int_too_large_for_a_float_is_named_not_an_overflow(op, args):
    with pytest.raises(TinynetError, match="entry .* must be a number that fits a float"):
        op(*args)
