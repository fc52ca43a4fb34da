"""Layers: the protocol every layer follows, and the Dense layer.

A layer maps a batch of flat rows x, shape (n, n_in), to (n, n_out):

- ``forward(x)`` returns the outputs and remembers what backward needs;
- ``backward(delta, input_grad=True)`` takes delta = dLoss/d(outputs),
  (n, n_out), sets ``grads[name]`` for every name in ``params`` (the same
  nested shape as the parameter) and returns dLoss/d(inputs), (n, n_in):
  the delta for the layer below (None when input_grad is False);
- ``params`` names the parameter attributes, nested lists of floats of any
  depth (a vector, a matrix, a (filters, channels, kh, kw) kernel), which
  optimizers, save/load and the gradient checker walk; ``decay`` names the
  ones weight decay applies to (Dense: the weights, never the biases);
- ``in_shape`` and ``out_shape`` are tuples (Dense: (n_in,), (n_out,)),
  ``n_in`` and ``n_out`` their products; a layer built without its in_shape
  gets ``build(in_shape)`` from the Network, with the previous layer's
  out_shape;
- ``training`` is True while Network.fit runs (Dropout cares);
- ``config()`` returns the constructor's keyword arguments, JSON-ready.
  Every subclass registers itself by class name (``layer_types()``), so
  save writes ``{"type", "config", "params"}`` and load rebuilds
  ``layer_types()[type](**config)``. A new layer type touches one file.

>>> layer = Dense(2, 1, activation="identity", seed=0)
>>> layer.weights = [[1.0], [2.0]]
>>> layer.forward([[3.0, 4.0]])
[[11.0]]
>>> "Dense" in layer_types()
True
"""

from __future__ import annotations

import math
import random
from typing import Any, Dict, Optional, Tuple, Type

from . import activations
from .checks import check_rng, positive_int, rng as seeded_rng
from .errors import TinynetError
from .matrix import Matrix, Vector, ops, random_normal, random_uniform

__all__ = ["Layer", "Dense", "init_weights", "INITS", "MAX_WEIGHTS", "layer_types", "Shape"]

INITS = ("uniform", "xavier", "he")

# The most weights one Dense layer may have: 10^8 floats in lists take about
# 3 GB. Larger sizes are refused up front instead of failing after minutes.
MAX_WEIGHTS = 10 ** 8

Shape = Tuple[int, ...]
_TYPES: Dict[str, Type["Layer"]] = {}


def layer_types() -> Dict[str, Type["Layer"]]:
    """Return the layer classes by name, for load: every Layer subclass.

    >>> layer_types()["Dense"] is Dense
    True
    """
    return dict(_TYPES)


class Layer:
    """The layer protocol; subclasses implement forward, backward and config."""

    params: Tuple[str, ...] = ()
    decay: Tuple[str, ...] = ()
    grads: Dict[str, Any]
    training: bool = False
    in_shape: Optional[Shape] = None
    out_shape: Optional[Shape] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    @property
    def n_in(self) -> int:
        """The flat width of an input row: the product of in_shape."""
        return math.prod(self.in_shape)

    @property
    def n_out(self) -> int:
        """The flat width of an output row: the product of out_shape."""
        return math.prod(self.out_shape)

    def build(self, in_shape: Shape) -> None:
        """Make the parameters once the input shape is known (the Network calls it)."""
        raise TinynetError(f"{type(self).__name__}: needs its input shape; give it to the "
                           f"constructor")

    def forward(self, x: Matrix) -> Matrix:  # pragma: no cover - protocol
        """Return the layer's outputs for the batch x."""
        raise NotImplementedError

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:  # pragma: no cover
        """Set self.grads and return dLoss/d(inputs), given dLoss/d(outputs)."""
        raise NotImplementedError

    def config(self) -> Dict[str, Any]:  # pragma: no cover - protocol
        """Return the constructor's keyword arguments, JSON-ready (no parameters)."""
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
    n_in may be None: the Network then builds the layer for the width of the
    layer below.

    >>> Dense(3, 4, activation="relu", seed=1)
    Dense(3, 4, activation='relu')

    Raises TinynetError for non-positive sizes, an unknown activation or
    initialisation, or a seed that is not an integer, a string or None.
    """

    params = ("weights", "biases")
    decay = ("weights",)

    def __init__(self, n_in: Optional[int], n_out: int, activation: str = "sigmoid", *,
                 init: Optional[str] = None, seed: Optional[int] = None,
                 rng: Optional[random.Random] = None):
        self.out_shape = (positive_int("Dense", "n_out", n_out),)
        self.activation = activations.get(activation)
        self.init = init or default_init(self.activation.name)
        if self.init not in INITS:
            raise TinynetError(f"init: unknown scheme {self.init!r}; "
                               f"valid schemes: {', '.join(INITS)}")
        self.rng = seeded_rng("Dense", seed) if rng is None else check_rng("Dense", rng)
        self.grads: Dict[str, Any] = {}
        self.input: Optional[Matrix] = None
        self.output: Optional[Matrix] = None
        if n_in is not None:
            self.build((positive_int("Dense", "n_in", n_in),))

    def build(self, in_shape: Shape) -> None:
        """Draw the (n_in, n_out) weights; biases start at 0.

        Raises TinynetError for more than MAX_WEIGHTS weights.
        """
        n_in = math.prod(in_shape)
        if n_in * self.n_out > MAX_WEIGHTS:
            raise TinynetError(f"Dense: {n_in} x {self.n_out} weights is more than "
                               f"layers.MAX_WEIGHTS = {MAX_WEIGHTS}")
        self.in_shape = (n_in,)
        self.weights: Matrix = init_weights(self.n_in, self.n_out, self.init, self.rng)
        self.biases: Vector = [0.0] * self.n_out

    def config(self) -> Dict[str, Any]:
        """Return Dense's keyword arguments: n_in, n_out, activation, init.

        >>> Dense(2, 3, "tanh", seed=0).config()
        {'n_in': 2, 'n_out': 3, 'activation': 'tanh', 'init': 'xavier'}
        """
        return {"n_in": self.n_in, "n_out": self.n_out, "activation": self.activation.name,
                "init": self.init}

    def forward(self, x: Matrix) -> Matrix:
        """Return a = f(x @ weights + biases) and remember x and a."""
        self.input = x
        z = ops.affine(x, self.weights, self.biases)  # (n, n_in) @ (n_in, n_out) + (n_out,)
        self.output = self.activation.forward(z)       # (n, n_out)
        return self.output

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Set the gradients and return dLoss/dx, given delta = dLoss/da.

        First the chain rule through f: dLoss/dz = delta * f'(z), entry by
        entry; then backward_linear. This line and backward_linear's last
        make the article's delta for the layer below, (delta W^T) * f'(z).
        """
        delta = self.activation.backward(self.output, delta)  # dL/dz = dL/da * f'(z): (n, n_out)
        return self.backward_linear(delta, input_grad)

    def backward_linear(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Like backward, but delta is already dLoss/dz (z = x @ W + b).

        Each line is one equation of backpropagation (the article's
        d_weights2 and d_weights1 lines in tinynet/article.py):

            dW = x^T delta        db = column sums of delta        dx = delta W^T

        With input_grad=False, dx is not computed (the first layer's is never
        used) and None is returned.
        """
        self.grads["weights"] = ops.matmul_at(self.input, delta)  # dW = x^T delta: (n_in, n_out)
        self.grads["biases"] = ops.column_sums(delta)             # db = column sums: (n_out,)
        if not input_grad:
            return None
        return ops.matmul_bt(delta, self.weights)  # dx = delta W^T: (n, n_out) @ (n_out, n_in)

    def __repr__(self) -> str:
        n_in = self.n_in if self.in_shape is not None else None
        return f"Dense({n_in}, {self.n_out}, activation={self.activation.name!r})"
