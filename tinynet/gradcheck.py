"""Gradient checking: backpropagation against finite differences.

For every parameter w, the central difference

    n(eps) = (L(w + eps) - L(w - eps)) / (2 eps)

has error c eps^2 + O(eps^4) from the curvature (c = L'''(w) / 6), plus the
round-off of the two loss values divided by 2 eps, and needs nothing but the
loss. check_gradients estimates both errors for each entry instead of
guessing one tolerance for all (see its docstring), so it passes every
correct gradient and still catches a wrong one.

Parameters may be nested lists of any depth: every name a layer lists in
``params`` is walked.

>>> from tinynet.network import Network
>>> net = Network([2, 3, 1], activation="tanh", seed=0)
>>> result = check_gradients(net, [[0.5, -1.0]], [[1.0]])
>>> result.passed, result.max_error < 1e-7
(True, True)
"""

from __future__ import annotations

from typing import Any, Callable, List, NamedTuple, Optional, Sequence, Tuple

from .checks import number
from .errors import TinynetError
from .matrix import as_matrix

__all__ = ["numerical_gradients", "check_gradients", "GradCheck"]

# The unit round-off of a float, and how many of them the loss may carry:
# a loss is a sum over many terms, each a few operations deep.
_U = 2.0 ** -53
_ROUNDING = 64.0


class GradCheck(NamedTuple):
    """The result of check_gradients: the largest |analytic - numerical|,
    and whether every entry was within its tolerance."""

    max_error: float
    passed: bool


def numerical_gradients(net: Any, x: Any, y: Any, eps: float = 1e-6) -> List[Tuple[Any, ...]]:
    """Return dLoss/dparameters by central differences, shaped like net.gradients.

    Each parameter entry w is nudged to w + eps and w - eps in turn and put
    back exactly: (L(w + eps) - L(w - eps)) / (2 eps).

    >>> from tinynet.network import Network
    >>> net = Network([1, 1], activation="identity", seed=0)
    >>> net.layers[0].weights = [[2.0]]
    >>> [[round(g, 6) for g in row] for row in numerical_gradients(net, [[1.0]], [[3.0]])[0][0]]
    [[-2.0]]

    Raises TinynetError for bad data or a step that is not a positive number.
    """
    if number("numerical_gradients", "eps", eps) <= 0.0:
        raise TinynetError(f"numerical_gradients: eps must be > 0, got {eps}")
    net.loss(x, y)  # checks x and y once, with the network's messages
    return [tuple(_differences(getattr(layer, name), lambda: net.loss(x, y), eps)
                  for name in layer.params) for layer in net.layers]


def _differences(param: list, loss: Callable[[], float], eps: float) -> list:
    # The central difference of every entry of a nested list, any depth.
    if param and isinstance(param[0], list):
        return [_differences(row, loss, eps) for row in param]
    out = []
    for j, w in enumerate(param):
        param[j] = w + eps
        plus = loss()
        param[j] = w - eps
        minus = loss()
        param[j] = w  # put back exactly
        out.append((plus - minus) / (2.0 * eps))
    return out


def check_gradients(net: Any, x: Any, y: Any, *, rtol: float = 1e-4, atol: float = 1e-7,
                    eps: float = 1e-6, analytic: Optional[Sequence[Tuple[Any, ...]]] = None
                    ) -> GradCheck:
    """Return (max_error, passed): backprop's gradients against central differences.

    An analytic entry a passes against the central difference n = n(eps) when

        |a - n| <= rtol |n| + atol + |n(eps) - n(2 eps)| + 64 u (|L| + C) / eps

    - rtol |n| + atol: the agreement asked for (relative alone would fail on
      the tiny gradients of saturated sigmoids);
    - |n(eps) - n(2 eps)| = 3 c eps^2: three times n's curvature error,
      measured at that entry, so a steep spot widens only its own tolerance;
    - 64 u (|L| + C) / eps (u = 2^-53): the round-off of L(w +- eps), which
      grows as eps shrinks. |L| is the loss's own arithmetic; C = sum_i
      |dL/dy_hat_i| |y_hat_i| is its condition: an output y_hat_i is off by
      about u |y_hat_i|, and the loss passes that on times its slope. Most
      losses are tame (softmax + cross-entropy: C = 1), but binary
      cross-entropy at p = 1 - 1e-6 with target 0 multiplies it by 1e6:
      log(1 - p) keeps only the few digits of p that differ from 1.

    A wrong entry stays caught: each added term is a property of the loss,
    not of a, and is far below 1e-3 except at a kink or a cliff.
    ``analytic`` defaults to net.gradients(x, y); pass your own to check
    them instead.

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
    near = list(_flatten(numerical_gradients(net, x, y, eps)))
    far = list(_flatten(numerical_gradients(net, x, y, 2.0 * eps)))
    analytic = list(_flatten(analytic))
    if len(analytic) != len(near):
        raise TinynetError(f"check_gradients: analytic has {len(analytic)} entries, "
                           f"the network has {len(near)} parameters")
    rounding = _ROUNDING * _U * (abs(net.loss(x, y)) + _condition(net, x, y)) / eps
    max_error, passed = 0.0, True
    for a, n, n2 in zip(analytic, near, far):
        error = abs(a - n)
        max_error = max(max_error, error)
        if not error <= rtol * abs(n) + atol + abs(n - n2) + rounding:
            passed = False
    return GradCheck(max_error, passed)


def _condition(net: Any, x: Any, y: Any) -> float:
    # sum_i |dL/dy_hat_i| |y_hat_i|: how much the loss magnifies its inputs' round-off
    y_hat = net.forward(x)
    slopes = net.loss_function.gradient(y_hat, as_matrix(y))
    return sum(abs(g * v) for g_row, v_row in zip(slopes, y_hat) for g, v in zip(g_row, v_row))


def _flatten(value: Any):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value
