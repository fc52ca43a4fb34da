"""Network: construction, forward, a step worked by hand, training, errors."""

import math

import pytest

from tinynet import ShapeError, TinynetError
from tinynet.data import xor
from tinynet.layers import Dense
from tinynet.network import Network


def test_sizes_build_dense_layers():
    net = Network([3, 4, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=0)
    assert [type(layer) for layer in net.layers] == [Dense, Dense]
    assert [len(layer.weights) for layer in net.layers] == [3, 4]
    assert [len(layer.weights[0]) for layer in net.layers] == [4, 2]
    assert [len(layer.biases) for layer in net.layers] == [4, 2]
    assert [layer.activation.name for layer in net.layers] == ["tanh", "softmax"]
    assert repr(net) == ("Network([3, 4, 2], activation='tanh', "
                         "output_activation='softmax', loss='cross_entropy')")


def test_output_activation_defaults_to_activation():
    net = Network([2, 3, 1], activation="relu", seed=0)
    assert [layer.activation.name for layer in net.layers] == ["relu", "relu"]
    assert net.layers[0].init == "he"
    assert Network([2, 1], seed=0).layers[0].init == "xavier"


def test_a_list_of_layers_is_accepted():
    net = Network([Dense(2, 3, "relu", seed=1), Dense(3, 1, "sigmoid", seed=2)])
    assert net.sizes == [2, 3, 1]
    assert len(net.predict([[1.0, 2.0]])[0]) == 1
    with pytest.raises(ShapeError, match="Network: layer 0 outputs 3 values but layer 1 takes 4"):
        Network([Dense(2, 3), Dense(4, 1)])


def test_same_seed_same_weights():
    a, b = Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=7)
    assert a.get_parameters() == b.get_parameters()
    assert Network([3, 5, 2], seed=8).get_parameters() != a.get_parameters()


def test_uniform_init_is_the_articles():
    net = Network([3, 4, 1], init="uniform", seed=0)
    assert all(0.0 <= w < 1.0 for layer in net.layers for row in layer.weights for w in row)


def test_one_step_worked_by_hand():
    # A 1-1-1 sigmoid network, sse loss, written out with the chain rule.
    net = Network([1, 1, 1], seed=0)
    w1, b1, w2, b2 = 0.5, 0.1, -0.3, 0.2
    net.layers[0].weights, net.layers[0].biases = [[w1]], [b1]
    net.layers[1].weights, net.layers[1].biases = [[w2]], [b2]
    x, y, lr = 2.0, 1.0, 0.5

    def s(z):
        return 1.0 / (1.0 + math.exp(-z))

    h = s(w1 * x + b1)                     # hidden output
    out = s(w2 * h + b2)                   # y_hat
    loss = (out - y) ** 2
    d_out = 2.0 * (out - y) * out * (1.0 - out)      # dL/dz2
    d_w2, d_b2 = d_out * h, d_out
    d_h = d_out * w2 * h * (1.0 - h)                  # dL/dz1
    d_w1, d_b1 = d_h * x, d_h

    got = net.step([[x]], [[y]], lr)
    assert math.isclose(got, loss, rel_tol=1e-12)
    for got_value, expected in [(net.layers[0].weights[0][0], w1 - lr * d_w1),
                                (net.layers[0].biases[0], b1 - lr * d_b1),
                                (net.layers[1].weights[0][0], w2 - lr * d_w2),
                                (net.layers[1].biases[0], b2 - lr * d_b2)]:
        assert math.isclose(got_value, expected, rel_tol=1e-12)


def test_network_trains_on_the_article_data():
    x, y = xor()
    net = Network([3, 4, 1], seed=1)
    history = net.fit(x, y, epochs=1500, learning_rate=0.5)
    assert history.loss[-1] < 0.05 * history.loss[0]
    assert all(abs(p[0] - t[0]) < 0.2 for p, t in zip(net.predict(x), y))


def test_forward_accepts_tuples_and_does_not_mutate():
    net = Network([2, 2], activation="identity", seed=0)
    x = ((1, 2), (3, 4))
    out = net.forward(x)
    assert out == net.forward([[1.0, 2.0], [3.0, 4.0]])
    assert x == ((1, 2), (3, 4))


def test_forward_accepts_numpy():
    np = pytest.importorskip("numpy")
    net = Network([2, 3, 1], seed=0)
    arr = np.array([[0.5, -1.0], [2.0, 0.0]])
    assert net.forward(arr) == net.forward(arr.tolist())


def test_fit_does_not_mutate_the_callers_data():
    x, y = xor()
    saved = [r[:] for r in x], [r[:] for r in y]
    Network([3, 4, 1], seed=0).fit(x, y, epochs=5, batch_size=2, validation_split=0.25, seed=1)
    assert (x, y) == saved


def test_predict_proba_and_classes():
    net = Network([2, 1], activation="identity", seed=0)
    net.layers[0].weights = [[1.0], [0.0]]
    assert net.predict_classes([[0.7, 0.0], [0.2, 0.0]]) == [1, 0]
    soft = Network([2, 3], activation="softmax", loss="cross_entropy", seed=0)
    proba = soft.predict_proba([[1.0, 2.0]])
    assert math.isclose(sum(proba[0]), 1.0)
    assert soft.predict_classes([[1.0, 2.0]]) == [proba[0].index(max(proba[0]))]


@pytest.mark.parametrize("call, message", [
    (lambda: Network([3]), "Network: needs at least two sizes"),
    (lambda: Network([3, 0, 1]), "Network: sizes must be positive integers"),
    (lambda: Network("3-4-1"), "Network: needs a list of layer sizes or layers"),
    (lambda: Network([3, 4, 1], activation="swish"), "activation: unknown name 'swish'"),
    (lambda: Network([3, 4, 1], loss="hinge"), "loss: unknown name 'hinge'"),
    (lambda: Network([3, 4, 1], init="zeros"), "init: unknown scheme 'zeros'"),
    (lambda: Network([3, 4, 1], activation="softmax"), "Network: softmax works only as the output"),
    (lambda: Network([3, 1]).forward([[1.0, 2.0]]),
     "Network.forward: x has 2 columns, the network takes 3"),
    (lambda: Network([2, 1]).loss([[1.0, 2.0]], [[1.0], [0.0]]),
     "Network.loss: x has 1 rows but y has 2"),
    (lambda: Network([2, 1]).gradients([[1.0, 2.0]], [[1.0, 0.0]]),
     "Network.gradients: y has 2 columns, the network outputs 1"),
    (lambda: Network([2, 1]).predict([[1.0, "a"]]),
     "Network.predict: x: entry (0, 1) must be a real number"),
    (lambda: Network([2, 1]).step([[1.0, 2.0]], [[1.0]], 0), "SGD: learning_rate must be a number > 0"),
    (lambda: Network([2, 1]).predict_labels([[1.0, 2.0]]), "Network.predict_labels: the network has no classes"),
])
def test_errors(call, message):
    with pytest.raises(TinynetError) as info:
        call()
    assert str(info.value).startswith(message)


def test_layers_without_an_input_shape_are_built_by_the_network():
    net = Network([Dense(3, 4, "tanh", seed=0), Dense(None, 2, seed=0)])
    assert net.sizes == [3, 4, 2] and net.layers[1].in_shape == (4,)
    assert len(net.layers[1].weights) == 4
    with pytest.raises(TinynetError, match="layer 0 \\(Dense\\) needs its input shape"):
        Network([Dense(None, 2)])


def test_weight_decay_applies_to_what_a_layer_marks_as_decayable():
    from tinynet.optim import SGD
    layer = Dense(2, 2, "identity", seed=0)
    layer.grads = {"weights": [[0.0, 0.0], [0.0, 0.0]], "biases": [0.0, 0.0]}
    layer.biases = [1.0, 1.0]
    before = [row[:] for row in layer.weights]
    SGD(0.5, weight_decay=0.1).step([layer])
    assert layer.biases == [1.0, 1.0]  # not in decay
    assert layer.weights == [[w - 0.5 * 0.1 * w for w in row] for row in before]
    layer.decay = ("biases",)
    SGD(0.5, weight_decay=0.1).step([layer])
    assert layer.biases == [0.95, 0.95]
