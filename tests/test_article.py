"""The article's class: its loss falls every iteration, and it matches NumPy."""

import pytest

from tinynet import ShapeError, TinynetError
from tinynet.article import NeuralNetwork, sigmoid_derivative
from tinynet.data import xor


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loss_falls_at_every_iteration_and_predictions_reach_targets(seed):
    x, y = xor()
    nn = NeuralNetwork(x, y, seed=seed)
    losses = []
    for _ in range(1500):
        nn.feedforward()
        losses.append(nn.loss())
        nn.backprop()
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    nn.feedforward()
    assert all(abs(p[0] - t[0]) < 0.1 for p, t in zip(nn.output, y))


def test_attributes_and_shapes():
    x, y = xor()
    nn = NeuralNetwork(x, y, seed=0)
    assert (len(nn.weights1), len(nn.weights1[0])) == (3, 4)
    assert (len(nn.weights2), len(nn.weights2[0])) == (4, 1)
    assert all(0.0 <= w < 1.0 for row in nn.weights1 + nn.weights2 for w in row)
    assert nn.input == x and nn.y == y and nn.input is not x
    assert nn.output == [[0.0]] * 4
    nn.feedforward()
    assert len(nn.layer1) == 4 and len(nn.layer1[0]) == 4


def test_sigmoid_derivative_takes_the_activated_value():
    assert sigmoid_derivative([[0.5]]) == [[0.25]]
    assert sigmoid_derivative([[0.0]]) == [[0.0]]  # not sigmoid'(0) = 0.25: a, not z


def test_bad_input():
    with pytest.raises(ShapeError, match=r"NeuralNetwork: y must be \(4, 1\) to match x"):
        NeuralNetwork(xor()[0], [[0.0], [1.0]])
    with pytest.raises(TinynetError, match="NeuralNetwork: x: row 0 must be a sequence"):
        NeuralNetwork([1, 2, 3], [[1.0]])


def test_matches_the_articles_numpy_code():
    np = pytest.importorskip("numpy")

    def np_sigmoid(z):
        return 1.0 / (1 + np.exp(-z))

    def np_sigmoid_derivative(a):
        return a * (1.0 - a)

    x, y = xor()
    nn = NeuralNetwork(x, y, seed=3)
    # The article's code, verbatim but for the starting weights, which are ours.
    X, Y = np.array(x), np.array(y)
    weights1, weights2 = np.array(nn.weights1), np.array(nn.weights2)
    for _ in range(1500):
        layer1 = np_sigmoid(np.dot(X, weights1))
        output = np_sigmoid(np.dot(layer1, weights2))
        d_weights2 = np.dot(layer1.T, (2 * (Y - output) * np_sigmoid_derivative(output)))
        d_weights1 = np.dot(X.T, (np.dot(2 * (Y - output) * np_sigmoid_derivative(output),
                                         weights2.T) * np_sigmoid_derivative(layer1)))
        weights1 += d_weights1
        weights2 += d_weights2
        nn.feedforward()
        nn.backprop()
    assert np.allclose(nn.weights1, weights1, rtol=0, atol=1e-9)
    assert np.allclose(nn.weights2, weights2, rtol=0, atol=1e-9)
    assert np.allclose(nn.output, output, rtol=0, atol=1e-9)
