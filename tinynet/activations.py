"""Activation functions, each beside its derivative.

An activation turns a layer's pre-activation z into its output a = f(z).
Every scalar activation here comes with its derivative da/dz written in terms
of the output a, as the article's ``sigmoid_derivative`` is: sigmoid'(z) =
a (1 - a) needs only a. Backpropagation then needs to keep only the outputs.

=============  ==========================  ===================================
name           a = f(z)                    da/dz, in terms of a
=============  ==========================  ===================================
sigmoid        1 / (1 + e^-z)              a (1 - a)
tanh           tanh(z)                     1 - a^2
relu           max(0, z)                   1 if a > 0 else 0
leaky_relu     z if z > 0 else 0.01 z      1 if a > 0 else 0.01
identity       z                           1
softmax        e^z_i / sum_j e^z_j (row)   Jacobian diag(a) - a a^T (row)
=============  ==========================  ===================================

>>> sigmoid(0.0)
0.5
>>> get("tanh").name
'tanh'

Each :class:`Activation` also has ``forward(z)`` and ``backward(a, grad)``
for whole matrices, built from the scalar pair above; those are what layers
call. (sigmoid_derivative is the one place a (1 - a) is written; the fast
kernels in tinynet.fast compute the same expression for a shape.)
"""

from __future__ import annotations

import math
import operator
from typing import Callable, Dict, Optional, Sequence, Union

from .errors import TinynetError
from .fast import define
from .matrix import Matrix, Vector

__all__ = [
    "Activation", "get", "names", "sigmoid", "sigmoid_derivative", "tanh",
    "tanh_derivative", "relu", "relu_derivative", "leaky_relu",
    "leaky_relu_derivative", "identity", "identity_derivative", "softmax",
    "LEAKY_SLOPE",
]

LEAKY_SLOPE = 0.01
_exp = math.exp
_mul = operator.mul


# --- scalar functions and their derivatives ---------------------------------

def sigmoid(z: float) -> float:
    """Return the logistic sigmoid 1 / (1 + e^-z), in (0, 1).

    Numerically stable: e^-z overflows for z < -709, so for negative z the
    equal form e^z / (1 + e^z) is used, whose exponential cannot overflow.

    >>> sigmoid(0.0), round(sigmoid(2.0), 6), sigmoid(-1000.0), sigmoid(1000.0)
    (0.5, 0.880797, 0.0, 1.0)
    """
    if z >= 0.0:
        return 1.0 / (1.0 + _exp(-z))
    e = _exp(z)
    return e / (1.0 + e)


def sigmoid_derivative(a: float) -> float:
    """Return sigmoid'(z) = a (1 - a), given the output a = sigmoid(z).

    >>> sigmoid_derivative(sigmoid(0.0))
    0.25
    """
    return a * (1.0 - a)


def tanh(z: float) -> float:
    """Return the hyperbolic tangent (e^z - e^-z) / (e^z + e^-z), in (-1, 1).

    >>> tanh(0.0), round(tanh(1.0), 6), tanh(1000.0)
    (0.0, 0.761594, 1.0)
    """
    return math.tanh(z)


def tanh_derivative(a: float) -> float:
    """Return tanh'(z) = 1 - a^2, given the output a = tanh(z).

    >>> tanh_derivative(tanh(0.0))
    1.0
    """
    return 1.0 - a * a


def relu(z: float) -> float:
    """Return the rectified linear unit max(0, z).

    >>> relu(-2.0), relu(3.0)
    (0.0, 3.0)
    """
    return z if z > 0.0 else 0.0


def relu_derivative(a: float) -> float:
    """Return relu'(z) = 1 if z > 0 else 0, given a = relu(z) (a > 0 iff z > 0).

    At the kink z = 0 the derivative is taken as 0.

    >>> relu_derivative(relu(-2.0)), relu_derivative(relu(3.0))
    (0.0, 1.0)
    """
    return 1.0 if a > 0.0 else 0.0


def leaky_relu(z: float) -> float:
    """Return z if z > 0 else 0.01 z: a ReLU whose negative side still learns.

    >>> leaky_relu(-2.0), leaky_relu(3.0)
    (-0.02, 3.0)
    """
    return z if z > 0.0 else LEAKY_SLOPE * z


def leaky_relu_derivative(a: float) -> float:
    """Return 1 if z > 0 else 0.01, given a = leaky_relu(z) (a > 0 iff z > 0).

    >>> leaky_relu_derivative(leaky_relu(-2.0)), leaky_relu_derivative(3.0)
    (0.01, 1.0)
    """
    return 1.0 if a > 0.0 else LEAKY_SLOPE


def identity(z: float) -> float:
    """Return z unchanged: the linear output of a regression network.

    >>> identity(-1.5)
    -1.5
    """
    return z


def identity_derivative(a: float) -> float:
    """Return 1.0, the derivative of the identity.

    >>> identity_derivative(42.0)
    1.0
    """
    return 1.0


def softmax(row: Sequence[float]) -> Vector:
    """Return the softmax of one row, a_i = e^(z_i - m) / sum_j e^(z_j - m).

    m = max_j z_j. Subtracting it changes nothing mathematically (it cancels
    in the ratio) but keeps every exponent <= 0, so e^x cannot overflow and
    at least one term is 1, so the sum cannot underflow to 0.

    >>> [round(p, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    >>> softmax([1000.0, 0.0])
    [1.0, 0.0]

    Raises TinynetError for an empty row.
    """
    if not row:
        raise TinynetError("softmax: needs a non-empty row, got an empty one")
    m = max(row)
    exps = [_exp(z - m) for z in row]
    total = sum(exps)
    return [e / total for e in exps]


# --- whole-matrix forms ------------------------------------------------------

class Activation:
    """An activation: its name, scalar f and derivative, and matrix forms.

    ``forward(z)`` maps a matrix of pre-activations to outputs a.
    ``backward(a, grad)`` takes the outputs a and grad = dLoss/da and returns
    dLoss/dz; for elementwise activations that is grad * f'(z), entry by
    entry, with f'(z) from ``derivative(a)``.

    Both are written here once, plainly, and go through the door
    (tinynet.fast.door) under the names ``<name>`` and ``<name>_backward``,
    which runs a fast form for the shape where tinynet.fast has one.
    """

    def __init__(self, name: str, f: Optional[Callable[[float], float]],
                 derivative: Optional[Callable[[float], float]],
                 forward: Optional[Callable[[Matrix], Matrix]] = None,
                 backward: Optional[Callable[[Matrix, Matrix], Matrix]] = None):
        self.name = name
        self.f = f
        self.derivative = derivative
        self.forward = define(name, forward or _elementwise_forward(f), "len(z), len(z[0])")
        self.backward = define(name + "_backward", backward or _elementwise_backward(derivative),
                               "len(a), len(a[0])")

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _elementwise_forward(f):
    def forward(z: Matrix) -> Matrix:
        # a = f(z), entry by entry: (n, m) -> (n, m)
        return [list(map(f, row)) for row in z]
    return forward


def _elementwise_backward(derivative):
    def backward(a: Matrix, grad: Matrix) -> Matrix:
        # dL/dz = dL/da * f'(z), entry by entry, f'(z) = derivative(a): (n, m)
        return [list(map(_mul, g_row, map(derivative, a_row)))
                for g_row, a_row in zip(grad, a)]
    return backward


def _identity_forward(z: Matrix) -> Matrix:
    return [row[:] for row in z]


def _identity_backward(a: Matrix, grad: Matrix) -> Matrix:
    return [row[:] for row in grad]


def _softmax_forward(z: Matrix) -> Matrix:
    return [softmax(row) for row in z]


def _softmax_backward(a: Matrix, grad: Matrix) -> Matrix:
    # Row by row, dL/dz = J^T g with J = diag(a) - a a^T:
    # dL/dz_i = a_i (g_i - sum_j a_j g_j)
    out = []
    for a_row, g_row in zip(a, grad):
        s = sum(map(_mul, a_row, g_row))
        out.append([v * (g - s) for v, g in zip(a_row, g_row)])
    return out


ACTIVATIONS: Dict[str, Activation] = {
    act.name: act for act in (
        Activation("sigmoid", sigmoid, sigmoid_derivative),
        Activation("tanh", tanh, tanh_derivative),
        Activation("relu", relu, relu_derivative),
        Activation("leaky_relu", leaky_relu, leaky_relu_derivative),
        Activation("identity", identity, identity_derivative,
                   _identity_forward, _identity_backward),
        Activation("softmax", None, None, _softmax_forward, _softmax_backward),
    )
}


def names() -> list:
    """Return the names get() knows, in a fixed order.

    >>> names()
    ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'softmax']
    """
    return list(ACTIVATIONS)


def get(name: Union[str, Activation]) -> Activation:
    """Return the Activation called name (an Activation is returned as is).

    >>> get("relu")
    Activation('relu')
    >>> get("swish")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: activation: unknown name 'swish'; valid names: sigmoid, tanh, relu, leaky_relu, identity, softmax

    Raises TinynetError for an unknown name.
    """
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise TinynetError(
            f"activation: unknown name {name!r}; valid names: {', '.join(ACTIVATIONS)}"
        ) from None
