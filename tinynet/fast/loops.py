"""Fast forms for any shape: the products by zip and math.sumprod, and the
elementwise loops with the per-entry call written inline.

These are what the door (tinynet.fast.door) hands out for shapes too large
for a written-out kernel (tinynet.fast.kernels). Each computes what the
core's plain form computes; the products sum in a different order
(math.sumprod keeps extended precision), so they agree to rounding, not to
the bit. Pure functions on lists; nothing here imports tinynet's core.

- matmul: zip(*b) gives b's columns once, then one dot product per output
  entry, math.sumprod (one C loop, Python 3.12+) or sum(map(mul, row, col))
  (two C iterators, 1.5-3x the plain loop, on older Pythons);
- matmul_bt, matmul_at: the same without transposing, or transposing once;
- sigmoid: 1 / (1 + e^-z) without the plain form's branch per entry, and
  the two-sided form only when some z < -709 makes e^-z overflow;
- relu and its backward: the comparison inline instead of a call per entry
  (a conv layer's outputs are thousands wide, far past the kernels' limit).

>>> matmul([[1.0, 2.0]], [[3.0], [4.0]])
[[11.0]]
>>> sigmoid([[0.0, -1000.0]])
[[0.5, 0.0]]
"""

from __future__ import annotations

import math
import operator
from itertools import repeat
from typing import Any, Callable, Dict, List

__all__ = ["matmul", "matmul_bt", "matmul_at", "sigmoid", "sigmoid_backward",
           "tanh_backward", "relu", "relu_backward", "GENERAL"]

Matrix = List[List[float]]

_mul = operator.mul
_exp = math.exp
_sumprod = getattr(math, "sumprod", None)  # Python 3.12+

if _sumprod is not None:
    def matmul(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (k, m) -> (n, m): one math.sumprod per output entry
        columns = list(zip(*b))
        return [[_sumprod(row, col) for col in columns] for row in a]

    def matmul_bt(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (m, k)^T -> (n, m): rows of a against rows of b
        return [list(map(_sumprod, repeat(row), b)) for row in a]
else:
    def matmul(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (k, m) -> (n, m): sum(map(mul)) per output entry
        columns = list(zip(*b))
        return [[sum(map(_mul, row, col)) for col in columns] for row in a]

    def matmul_bt(a: Matrix, b: Matrix) -> Matrix:
        # (n, k) @ (m, k)^T -> (n, m): rows of a against rows of b
        return [[sum(map(_mul, row, b_row)) for b_row in b] for row in a]


def matmul_at(a: Matrix, b: Matrix) -> Matrix:
    # (n, k)^T @ (n, m) -> (k, m): columns of a against columns of b
    return matmul_bt(list(zip(*a)), list(zip(*b)))


def _sigmoid_two_sided(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + _exp(-z))
    e = _exp(z)
    return e / (1.0 + e)


def sigmoid(z: Matrix) -> Matrix:
    # 1 / (1 + e^-z) entry by entry with no branch; the two-sided form, which
    # cannot overflow, only if some z < -709 made e^-z overflow
    try:
        return [[1.0 / (1.0 + _exp(-v)) for v in row] for row in z]
    except OverflowError:
        return [list(map(_sigmoid_two_sided, row)) for row in z]


def sigmoid_backward(a: Matrix, grad: Matrix) -> Matrix:
    # dL/dz = dL/da * a (1 - a), inline: no call per entry
    return [[g * (v * (1.0 - v)) for g, v in zip(g_row, a_row)]
            for g_row, a_row in zip(grad, a)]


def tanh_backward(a: Matrix, grad: Matrix) -> Matrix:
    # dL/dz = dL/da * (1 - a^2), inline: no call per entry
    return [[g * (1.0 - v * v) for g, v in zip(g_row, a_row)]
            for g_row, a_row in zip(grad, a)]


def relu(z: Matrix) -> Matrix:
    # max(0, z) entry by entry, inline: no call per entry
    return [[v if v > 0.0 else 0.0 for v in row] for row in z]


def relu_backward(a: Matrix, grad: Matrix) -> Matrix:
    # dL/dz = dL/da * relu'(z): g * 1.0 is g, and g * 0.0 keeps the plain
    # form's -0.0 and nan
    return [[g if v > 0.0 else g * 0.0 for g, v in zip(g_row, a_row)]
            for g_row, a_row in zip(grad, a)]


# op name -> the form for any shape, for the choosers in tinynet.fast.kernels
GENERAL: Dict[str, Callable[..., Any]] = {
    "matmul": matmul, "matmul_bt": matmul_bt, "matmul_at": matmul_at,
    "sigmoid": sigmoid, "sigmoid_backward": sigmoid_backward, "tanh_backward": tanh_backward,
    "relu": relu, "relu_backward": relu_backward,
}
