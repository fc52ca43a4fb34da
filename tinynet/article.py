"""The article's network, line by line, in lists instead of NumPy arrays.

J. Loy, "How to build your own Neural Network from scratch in Python" (2018)
builds a 2-layer network: input x -> hidden layer of 4 sigmoid units ->
one sigmoid output, with no biases:

    layer1 = sigmoid(x @ W1)            (n, 3) @ (3, 4) -> (n, 4)
    y_hat  = sigmoid(layer1 @ W2)       (n, 4) @ (4, 1) -> (n, 1)

trained on the sum-of-squares loss  L = sum (y - y_hat)^2  by the chain
rule. The class below keeps the article's names (``input``, ``weights1``,
``weights2``, ``y``, ``output``, ``layer1``, ``feedforward``, ``backprop``)
and its lines; only ``np.dot`` becomes ``dot`` and ``.T`` becomes ``T()``.

Where the article simplifies, and what tinynet.Network does instead:

- no biases: every unit's line passes through the origin (Network has them);
- no learning rate: each update adds the whole gradient, so the step grows
  with the number of rows (Network takes ``learning_rate``);
- ``d_weights`` is really the *negative* gradient, 2 (y - y_hat) ..., which
  is why the update is ``+=`` (descent all the same);
- ``sigmoid_derivative`` takes the already-activated value a = sigmoid(z)
  and returns a (1 - a); pass it z and it is wrong.

>>> from tinynet.data import xor
>>> x, y = xor()
>>> nn = NeuralNetwork(x, y, seed=1)
>>> for i in range(1500):
...     nn.feedforward()
...     nn.backprop()
>>> [round(row[0], 2) for row in nn.output]
[0.01, 0.97, 0.97, 0.03]
"""

from __future__ import annotations

from typing import Any, Optional

from . import activations
from .checks import rng as seeded_rng
from .errors import ShapeError
from .fast import define
from .matrix import Matrix, as_matrix, ops, random_uniform, zeros

__all__ = ["NeuralNetwork", "sigmoid", "sigmoid_derivative", "dot", "T", "plus", "minus",
           "times", "sum_of_squares"]


# --- the array operations the article gets from NumPy ------------------------
#
# Each is tinynet's unchecked operation under the article's name (see
# tinynet.matrix and tinynet.activations), reached through the door
# (tinynet.fast.door): for the article's small shapes that is a kernel
# written out for the shape, so the 22 operations of one feedforward +
# backprop cost little more than their arithmetic and keep pace with the
# article's NumPy code, whose every operation pays NumPy's set-up cost.
# Inside ``with tinynet.reference():`` each runs its plain form.

dot = ops.matmul           # np.dot(a, b): (n, k) @ (k, m) -> (n, m)
T = ops.transpose          # a.T: (n, m) -> (m, n)
plus = ops.add             # a + b, entry by entry
minus = ops.sub            # a - b, entry by entry
sigmoid = activations.get("sigmoid").forward  # 1 / (1 + e^-z), entry by entry, stable
_scale, _hadamard = ops.scale, ops.hadamard


def _sigmoid_derivative_plain(a: Matrix) -> Matrix:
    # a (1 - a), entry by entry: the scalar activations.sigmoid_derivative
    slope = activations.sigmoid_derivative
    return [[slope(v) for v in row] for row in a]


_sigmoid_derivative = define("sigmoid_derivative", _sigmoid_derivative_plain,
                             "len(a), len(a[0])")


def sigmoid_derivative(a: Matrix) -> Matrix:
    """Return a (1 - a) entry by entry, the sigmoid's slope at the point whose
    sigmoid is a. Note: a is the *activated* value, as in the article.

    >>> sigmoid_derivative([[0.5]])
    [[0.25]]
    """
    return _sigmoid_derivative(a)


def times(a: Any, b: Matrix) -> Matrix:
    """Return a * b entry by entry; a may be a number (the article's 2 * ...).

    >>> times(2, [[1.5]]), times([[2.0]], [[3.0]])
    ([[3.0]], [[6.0]])
    """
    if isinstance(a, (int, float)):
        return _scale(a, b)
    return _hadamard(a, b)


def sum_of_squares(y: Matrix, output: Matrix) -> float:
    """Return the article's loss, the sum of squares sum (y - y_hat)^2.

    Target first, as the article writes it; tinynet.losses.sse(y_hat, y) is
    the same number with the prediction first, as every loss there takes it.

    >>> sum_of_squares([[1.0], [0.0]], [[0.5], [0.5]])
    0.5
    """
    return sum((t - p) ** 2 for tr, pr in zip(y, output) for t, p in zip(tr, pr))


# --- the article's class -----------------------------------------------------

class NeuralNetwork:
    """The article's 2-layer network: x -> 4 sigmoid units -> 1 sigmoid output.

    ``weights1`` (n_features x 4) and ``weights2`` (4 x 1) start from U[0, 1),
    the article's ``np.random.rand``, drawn from ``random.Random(seed)``.

    Raises TinynetError / ShapeError for bad x or y, or when x and y have
    different numbers of rows.
    """

    def __init__(self, x: Any, y: Any, *, seed: Optional[int] = None):
        self.input = as_matrix(x, op="NeuralNetwork: x")
        self.y = as_matrix(y, op="NeuralNetwork: y")
        if len(self.y) != len(self.input) or len(self.y[0]) != 1:
            raise ShapeError(f"NeuralNetwork: y must be ({len(self.input)}, 1) to match x, "
                             f"got ({len(self.y)}, {len(self.y[0])})")
        rng = seeded_rng("NeuralNetwork", seed)
        self.weights1 = random_uniform(len(self.input[0]), 4, 0.0, 1.0, rng)
        self.weights2 = random_uniform(4, 1, 0.0, 1.0, rng)
        self.layer1 = zeros(len(self.input), 4)
        self.output = zeros(len(self.y), 1)

    def feedforward(self) -> None:
        """layer1 = sigmoid(x @ W1); output = sigmoid(layer1 @ W2).

        On the Network path each line is one Dense.forward (tinynet/layers.py):
        ``z = ops.affine(x, W, b)`` then ``a = f(z)``, with biases.
        """
        self.layer1 = sigmoid(dot(self.input, self.weights1))   # (n, 3) @ (3, 4) -> (n, 4)
        self.output = sigmoid(dot(self.layer1, self.weights2))  # (n, 4) @ (4, 1) -> (n, 1)

    def backprop(self) -> None:
        """One update of W1 and W2 by the chain rule.

        With e = 2 (y - y_hat) * sigmoid'(y_hat)  (that is -dL/dz2):
            d_weights2 = layer1^T @ e                               = -dL/dW2
            d_weights1 = x^T @ ((e @ W2^T) * sigmoid'(layer1))      = -dL/dW1
        and W += d_W, a gradient-descent step with learning rate 1.

        The same equations on the Network path, in tinynet/layers.py:
        e is Dense.backward's first line (dL/dz = dL/da * f'(z), with dL/da
        from losses.sse_gradient), d_weights2 is Dense.backward_linear's
        ``dW = x^T delta`` line, and (e @ W2^T) * sigmoid'(layer1) is its
        ``dx = delta W^T`` line followed by the next layer down's first line.
        """
        # The chain rule, from the loss back to each weight matrix. The
        # result is minus the gradient, so the update below adds it.
        d_weights2 = dot(T(self.layer1),
                         times(times(2, minus(self.y, self.output)), sigmoid_derivative(self.output)))
        d_weights1 = dot(T(self.input),
                         times(dot(times(times(2, minus(self.y, self.output)),
                                         sigmoid_derivative(self.output)),
                                   T(self.weights2)),
                               sigmoid_derivative(self.layer1)))

        # One step downhill: W <- W - 1 * dL/dW, written as W + d_W.
        self.weights1 = plus(self.weights1, d_weights1)
        self.weights2 = plus(self.weights2, d_weights2)

    def loss(self) -> float:
        """Return the sum-of-squares loss of the current output."""
        return sum_of_squares(self.y, self.output)

    def __repr__(self) -> str:
        return f"NeuralNetwork({len(self.input[0])} -> 4 -> 1, {len(self.input)} rows)"
