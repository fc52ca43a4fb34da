"""Layers: the small protocol every layer follows, and the Dense layer.

A layer maps a batch x, shape (n, n_in), to outputs, shape (n, n_out):

- ``forward(x)`` returns the outputs and remembers what backward needs;
- ``backward(delta)`` takes delta = dLoss/d(outputs), stores the gradients of
  the layer's parameters in ``grads`` (a dict keyed like ``params``) and
  returns dLoss/d(inputs), the delta for the layer below;
- ``params`` names the parameter attributes (for Dense: weights, biases),
  which optimizers update and save/load write out.

Any object with these members plugs into a Network (convolution and pooling
layers can follow the same shape).

>>> layer = Dense(2, 1, activation="identity", seed=0)
>>> layer.weights = [[1.0], [2.0]]
>>> layer.forward([[3.0, 4.0]])
[[11.0]]
"""

from __future__ import annotations

import math
import random
from typing import Dict, Optional, Tuple, Union

from . import activations
from .errors import TinynetError
from .matrix import (Matrix, Vector, _affine, _column_sums, _matmul_at, _matmul_bt,
                     random_normal, random_uniform)

__all__ = ["Layer", "Dense", "init_weights", "INITS"]

INITS = ("uniform", "xavier", "he")


class Layer:
    """The layer protocol; subclasses implement forward and backward."""

    params: Tuple[str, ...] = ()

    def forward(self, x: Matrix) -> Matrix:  # pragma: no cover - protocol
        """Return the layer's outputs for the batch x."""
        raise NotImplementedError

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:  # pragma: no cover
        """Store self.grads and return dLoss/d(inputs), given dLoss/d(outputs)."""
        raise NotImplementedError


def default_init(activation: str) -> str:
    """Return the initialisation that suits an activation: he for the ReLUs,
    xavier otherwise.

    >>> default_init("relu"), default_init("sigmoid")
    ('he', 'xavier')
    """
    return "he" if activation in ("relu", "leaky_relu") else "xavier"


def init_weights(n_in: int, n_out: int, init: str, rng: random.Random) -> Matrix:
    """Return an (n_in, n_out) weight matrix drawn by the named scheme.

    - "uniform": U[0, 1), the article's ``np.random.rand``;
    - "xavier" (Glorot uniform): U[-l, l] with l = sqrt(6 / (n_in + n_out)),
      which keeps the variance of signals about equal across sigmoid/tanh
      layers;
    - "he": N(0, 2 / n_in), the same idea for ReLUs, which zero half their
      inputs.

    >>> w = init_weights(3, 2, "xavier", random.Random(0))
    >>> len(w), len(w[0]), all(abs(v) <= 1.1 for row in w for v in row)
    (3, 2, True)

    Raises TinynetError for an unknown scheme.
    """
    if init == "uniform":
        return random_uniform(n_in, n_out, 0.0, 1.0, rng)
    if init == "xavier":
        limit = math.sqrt(6.0 / (n_in + n_out))
        return random_uniform(n_in, n_out, -limit, limit, rng)
    if init == "he":
        return random_normal(n_in, n_out, 0.0, math.sqrt(2.0 / n_in), rng)
    raise TinynetError(f"init: unknown scheme {init!r}; valid schemes: {', '.join(INITS)}")


class Dense(Layer):
    """A fully connected layer: a = f(x @ weights + biases).

    Shapes: x (n, n_in) @ weights (n_in, n_out) + biases (n_out,) -> (n, n_out).

    >>> Dense(3, 4, activation="relu", seed=1)
    Dense(3, 4, activation='relu')

    Raises TinynetError for non-positive sizes or an unknown activation or
    initialisation.
    """

    params = ("weights", "biases")

    def __init__(self, n_in: int, n_out: int, activation: str = "sigmoid", *,
                 init: Optional[str] = None, seed: Optional[int] = None,
                 rng: Optional[random.Random] = None):
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise TinynetError(f"Dense: {name} must be a positive integer, got {n!r}")
        self.activation = activations.get(activation)
        if rng is None:
            rng = random.Random(seed)
        self.init = init or default_init(self.activation.name)
        self.weights: Matrix = init_weights(n_in, n_out, self.init, rng)
        self.biases: Vector = [0.0] * n_out
        self.grads: Dict[str, Union[Matrix, Vector]] = {}
        self.input: Optional[Matrix] = None
        self.output: Optional[Matrix] = None

    @property
    def n_in(self) -> int:
        return len(self.weights)

    @property
    def n_out(self) -> int:
        return len(self.biases)

    def forward(self, x: Matrix) -> Matrix:
        """Return f(x @ weights + biases) and remember x and the output."""
        self.input = x
        z = _affine(x, self.weights, self.biases)  # (n, n_in) @ (n_in, n_out) + (n_out,)
        self.output = self.activation.forward(z)
        return self.output

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Store the gradients and return dLoss/dx, given delta = dLoss/da.

        dz = delta * f'(z), entry by entry (the chain rule through f), then
        see backward_linear. With input_grad=False, dLoss/dx is not computed
        (the first layer's is never used) and None is returned.
        """
        delta_z = self.activation.backward(self.output, delta)
        return self.backward_linear(delta_z, input_grad)

    def backward_linear(self, delta_z: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Like backward, but delta_z is already dLoss/dz (z = x @ W + b).

        dW = x^T @ delta_z, db = column sums of delta_z, dx = delta_z @ W^T.
        """
        self.grads = {
            "weights": _matmul_at(self.input, delta_z),  # (n, n_in)^T @ (n, n_out) -> (n_in, n_out)
            "biases": _column_sums(delta_z),             # (n, n_out) -> (n_out,)
        }
        if not input_grad:
            return None
        return _matmul_bt(delta_z, self.weights)  # (n, n_out) @ (n_out, n_in) -> (n, n_in)

    def __repr__(self) -> str:
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation.name!r})"

