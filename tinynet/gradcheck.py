"""Gradient checking: backpropagation against finite differences.

For every parameter w, the central difference

    dL/dw ~ (L(w + eps) - L(w - eps)) / (2 eps)

has error O(eps^2), and needs nothing but the loss. If backpropagation is
right, the two agree to about 1e-7 with eps = 1e-6 (smaller eps loses
digits to round-off, larger ones to curvature).

>>> from tinynet.network import Network
>>> net = Network([2, 3, 1], activation="tanh", seed=0)
>>> result = check_gradients(net, [[0.5, -1.0]], [[1.0]])
>>> result.passed, result.max_error < 1e-7
(True, True)
"""

from __future__ import annotations

import math
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

from .errors import TinynetError

__all__ = ["numerical_gradients", "check_gradients", "GradCheck"]


class GradCheck(NamedTuple):
    """The result of check_gradients: the largest |analytic - numerical|,
    and whether every entry was within tolerance."""

    max_error: float
    passed: bool


def numerical_gradients(net: Any, x: Any, y: Any, eps: float = 1e-6) -> List[Tuple[Any, ...]]:
    """Return dLoss/dparameters by central differences, shaped like net.gradients.

    Each parameter is nudged by +eps and -eps in turn and put back exactly.

    >>> from tinynet.network import Network
    >>> net = Network([1, 1], activation="identity", seed=0)
    >>> net.layers[0].weights = [[2.0]]
    >>> [[round(g, 6) for g in row] for row in numerical_gradients(net, [[1.0]], [[3.0]])[0][0]]
    [[-2.0]]

    Raises TinynetError for bad data.
    """
    x, y = net._data(x, y, "numerical_gradients")

    def loss() -> float:
        return net.loss_function.value(net._forward(x), y)

    result = []
    for layer in net.layers:
        grads = []
        for name in layer.params:
            param = getattr(layer, name)
            if param and isinstance(param[0], list):
                grads.append([_row_gradient(row, loss, eps) for row in param])
            else:
                grads.append(_row_gradient(param, loss, eps))
        result.append(tuple(grads))
    return result


def _row_gradient(row: List[float], loss, eps: float) -> List[float]:
    out = []
    for j, w in enumerate(row):
        row[j] = w + eps
        plus = loss()
        row[j] = w - eps
        minus = loss()
        row[j] = w  # put back exactly
        out.append((plus - minus) / (2.0 * eps))
    return out


def check_gradients(net: Any, x: Any, y: Any, *, rtol: float = 1e-4, atol: float = 1e-7,
                    eps: float = 1e-6, analytic: Optional[Sequence[Tuple[Any, ...]]] = None
                    ) -> GradCheck:
    """Return (max_error, passed): backprop's gradients against central differences.

    An entry passes when |a - n| <= max(rtol |n|, atol) (math.isclose);
    relative tolerance alone would fail on the tiny gradients of saturated
    sigmoids. ``analytic`` defaults to net.gradients(x, y); pass your own to
    check them instead.

    >>> from tinynet.network import Network
    >>> net = Network([2, 2], activation="sigmoid", seed=3)
    >>> good = net.gradients([[1.0, 2.0]], [[0.0, 1.0]])
    >>> check_gradients(net, [[1.0, 2.0]], [[0.0, 1.0]], analytic=good).passed
    True
    >>> good[0][1][0] += 0.01   # corrupt one bias gradient
    >>> check_gradients(net, [[1.0, 2.0]], [[0.0, 1.0]], analytic=good).passed
    False

    Raises TinynetError for bad data, or analytic gradients of the wrong size.
    """
    if analytic is None:
        analytic = net.gradients(x, y)
    numeric = list(_flatten(numerical_gradients(net, x, y, eps)))
    analytic = list(_flatten(analytic))
    if len(analytic) != len(numeric):
        raise TinynetError(f"check_gradients: analytic has {len(analytic)} entries, "
                           f"the network has {len(numeric)} parameters")
    max_error, passed = 0.0, True
    for a, n in zip(analytic, numeric):
        max_error = max(max_error, abs(a - n))
        if not math.isclose(a, n, rel_tol=rtol, abs_tol=atol):
            passed = False
    return GradCheck(max_error, passed)


def _flatten(value: Any):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value
