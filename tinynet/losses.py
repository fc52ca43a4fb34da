"""Loss functions, each beside its gradient with respect to the prediction.

y_hat is the network's output and y the target, both (n, m) matrices.

====================  ===============================================  ================================
name                  loss L                                           dL/dy_hat
====================  ===============================================  ================================
sse                   sum_ij (y_hat - y)^2       (the article's loss)  2 (y_hat - y)
mse                   sum_ij (y_hat - y)^2 / (n m)                     2 (y_hat - y) / (n m)
binary_cross_entropy  -sum_ij [y log y_hat + (1-y) log(1-y_hat)]/(n m)  (y_hat - y) / (y_hat (1-y_hat) n m)
cross_entropy         -sum_ij y log y_hat / n                          -y / (y_hat n)
====================  ===============================================  ================================

Two pairs have a short, stable form for dL/dz, the gradient with respect to
the output layer's pre-activation z (the division by y_hat cancels):

- sigmoid + binary_cross_entropy: (y_hat - y) / (n m)
- softmax + cross_entropy: (y_hat - y) / n

>>> round(get("sse").value([[0.5]], [[1.0]]), 6)
0.25
"""

from __future__ import annotations

import math
import operator
from typing import Callable, Dict, Optional, Union

from .errors import TinynetError
from .matrix import Matrix

__all__ = ["Loss", "get", "names", "sse", "mse", "binary_cross_entropy",
           "cross_entropy", "EPSILON"]

# Inside the logarithms, predictions are clamped to [EPSILON, 1 - 2^-53]: a
# probability that underflowed to 0 (or rounded up to 1) costs at most
# -log(1e-300) = 690.8, never inf or NaN. The floor is tiny on purpose: a
# larger one (1e-7 or 1e-12, as some libraries use) flattens the loss where
# the gradient is not flat, so value and gradient would disagree.
EPSILON = 1e-300
_BELOW_ONE = 1.0 - 2.0 ** -53
_log = math.log
_sub = operator.sub


def _size(y: Matrix) -> int:
    return len(y) * len(y[0])


def _clamp(p: float) -> float:
    return EPSILON if p < EPSILON else (_BELOW_ONE if p > _BELOW_ONE else p)


def sse(y_hat: Matrix, y: Matrix) -> float:
    """Return the sum of squared errors, sum_ij (y_hat_ij - y_ij)^2.

    >>> sse([[1.0, 2.0]], [[0.0, 0.0]])
    5.0
    """
    return math.fsum(d * d for r, t in zip(y_hat, y) for d in map(_sub, r, t))


def sse_gradient(y_hat: Matrix, y: Matrix) -> Matrix:
    """Return dSSE/dy_hat = 2 (y_hat - y).

    >>> sse_gradient([[1.0, 2.0]], [[0.0, 0.0]])
    [[2.0, 4.0]]
    """
    return [[2.0 * d for d in map(_sub, r, t)] for r, t in zip(y_hat, y)]


def mse(y_hat: Matrix, y: Matrix) -> float:
    """Return the mean squared error, sum_ij (y_hat_ij - y_ij)^2 / (n m).

    >>> mse([[1.0, 2.0]], [[0.0, 0.0]])
    2.5
    """
    return sse(y_hat, y) / _size(y)


def mse_gradient(y_hat: Matrix, y: Matrix) -> Matrix:
    """Return dMSE/dy_hat = 2 (y_hat - y) / (n m).

    >>> mse_gradient([[1.0, 2.0]], [[0.0, 0.0]])
    [[1.0, 2.0]]
    """
    k = 2.0 / _size(y)
    return [[k * d for d in map(_sub, r, t)] for r, t in zip(y_hat, y)]


def binary_cross_entropy(y_hat: Matrix, y: Matrix) -> float:
    """Return -sum_ij [y log y_hat + (1 - y) log(1 - y_hat)] / (n m).

    y_hat is clamped to [1e-300, 1 - 2^-53] first, so the result is finite.

    >>> round(binary_cross_entropy([[0.9, 0.2]], [[1.0, 0.0]]), 6)
    0.164252
    >>> round(binary_cross_entropy([[0.0]], [[1.0]]), 3)
    690.776
    """
    total = math.fsum(
        t * _log(_clamp(p)) + (1.0 - t) * _log(1.0 - _clamp(p))
        for r, tr in zip(y_hat, y) for p, t in zip(r, tr))
    return -total / _size(y)


def binary_cross_entropy_gradient(y_hat: Matrix, y: Matrix) -> Matrix:
    """Return dBCE/dy_hat = (y_hat - y) / (y_hat (1 - y_hat) n m), y_hat clamped.

    >>> [[round(g, 4) for g in row] for row in binary_cross_entropy_gradient([[0.5]], [[1.0]])]
    [[-2.0]]
    """
    k = 1.0 / _size(y)
    out = []
    for r, tr in zip(y_hat, y):
        row = []
        for p, t in zip(r, tr):
            p = _clamp(p)
            row.append(k * (p - t) / (p * (1.0 - p)))
        out.append(row)
    return out


def cross_entropy(y_hat: Matrix, y: Matrix) -> float:
    """Return the categorical cross-entropy -sum_ij y_ij log y_hat_ij / n.

    Each row of y_hat is a probability distribution (a softmax output); y is
    one-hot or a distribution. y_hat is clamped to >= 1e-300 first.

    >>> round(cross_entropy([[0.7, 0.2, 0.1]], [[1.0, 0.0, 0.0]]), 6)
    0.356675
    """
    total = math.fsum(t * _log(_clamp(p))
                      for r, tr in zip(y_hat, y) for p, t in zip(r, tr) if t)
    return -total / len(y)


def cross_entropy_gradient(y_hat: Matrix, y: Matrix) -> Matrix:
    """Return dCE/dy_hat = -y / (y_hat n), y_hat clamped.

    >>> cross_entropy_gradient([[0.5, 0.5]], [[1.0, 0.0]])
    [[-2.0, -0.0]]
    """
    k = -1.0 / len(y)
    return [[k * t / _clamp(p) for p, t in zip(r, tr)] for r, tr in zip(y_hat, y)]


def _short_bce(y_hat: Matrix, y: Matrix) -> Matrix:
    # sigmoid + BCE: dL/dz = (y_hat - y) / (n m)
    k = 1.0 / _size(y)
    return [[k * d for d in map(_sub, r, t)] for r, t in zip(y_hat, y)]


def _short_ce(y_hat: Matrix, y: Matrix) -> Matrix:
    # softmax + CE: dL/dz = (y_hat - y) / n
    k = 1.0 / len(y)
    return [[k * d for d in map(_sub, r, t)] for r, t in zip(y_hat, y)]


class Loss:
    """A loss: its name, value(y_hat, y), gradient(y_hat, y) with respect to
    y_hat, and the short forms of dL/dz keyed by output activation name."""

    def __init__(self, name: str, value: Callable[[Matrix, Matrix], float],
                 gradient: Callable[[Matrix, Matrix], Matrix],
                 short_forms: Optional[Dict[str, Callable[[Matrix, Matrix], Matrix]]] = None):
        self.name = name
        self.value = value
        self.gradient = gradient
        self.short_forms = short_forms or {}

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


LOSSES: Dict[str, Loss] = {
    loss.name: loss for loss in (
        Loss("sse", sse, sse_gradient),
        Loss("mse", mse, mse_gradient),
        Loss("binary_cross_entropy", binary_cross_entropy,
             binary_cross_entropy_gradient, {"sigmoid": _short_bce}),
        Loss("cross_entropy", cross_entropy, cross_entropy_gradient,
             {"softmax": _short_ce}),
    )
}


def names() -> list:
    """Return the names get() knows.

    >>> names()
    ['sse', 'mse', 'binary_cross_entropy', 'cross_entropy']
    """
    return list(LOSSES)


def get(name: Union[str, Loss]) -> Loss:
    """Return the Loss called name (a Loss is returned as is).

    >>> get("mse")
    Loss('mse')

    Raises TinynetError for an unknown name, listing the valid ones.
    """
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise TinynetError(
            f"loss: unknown name {name!r}; valid names: {', '.join(LOSSES)}") from None
