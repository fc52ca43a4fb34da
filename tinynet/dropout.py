"""Dropout: while training, zero each input with probability rate.

Inverted dropout (Srivastava et al. 2014, as PyTorch does it): the inputs
that are kept are scaled by 1 / (1 - rate) while training, so their expected
value is unchanged and prediction needs no rescaling at all. Only
``training`` (which Network.fit sets on every layer, then clears) turns it
on; ``predict`` and ``forward`` outside fit pass x through untouched.

    a = x * mask,   mask_i = 1 / (1 - rate) with probability 1 - rate, else 0
    dL/dx = dL/da * mask

>>> drop = Dropout(0.5, seed=0, in_shape=(4,))
>>> drop.forward([[1.0, 2.0, 3.0, 4.0]])       # not training: unchanged
[[1.0, 2.0, 3.0, 4.0]]
>>> drop.training = True
>>> drop.forward([[1.0, 2.0, 3.0, 4.0]])       # kept inputs doubled
[[0.0, 0.0, 6.0, 8.0]]
>>> drop.backward([[1.0, 1.0, 1.0, 1.0]])      # the same mask
[[0.0, 0.0, 2.0, 2.0]]
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Sequence, Tuple

from .checks import describe, number, positive_int, rng as make_rng
from .errors import ShapeError, TinynetError
from .layers import Layer
from .matrix import Matrix

__all__ = ["Dropout"]


class Dropout(Layer):
    """Inverted dropout of rate in [0, 1), active only while ``training``.

    It has no parameters, and its output has the shape of its input:
    ``in_shape`` is taken from the layer before it in a Network (build), or
    given as a keyword.

    >>> Dropout(0.25)
    Dropout(0.25)

    Raises TinynetError for a rate outside [0, 1), a bad seed or in_shape.
    """

    def __init__(self, rate: float, seed: Optional[int] = None, *,
                 in_shape: Optional[Sequence[int]] = None):
        rate = number("Dropout", "rate", rate)
        if not 0.0 <= rate < 1.0:
            raise TinynetError(f"Dropout: rate must be in [0, 1), got {rate}")
        self.rate = rate
        self.rng = make_rng("Dropout", seed)
        self.grads: Dict[str, Any] = {}
        self.mask: Optional[Matrix] = None
        self.in_shape: Optional[Tuple[int, ...]] = None
        self.out_shape: Optional[Tuple[int, ...]] = None
        if in_shape is not None:
            self.build(in_shape)

    def build(self, in_shape: Sequence[int]) -> None:
        """Set in_shape and out_shape, which are the same."""
        if isinstance(in_shape, (str, bytes)) or not hasattr(in_shape, "__iter__"):
            raise TinynetError(f"Dropout: in_shape must be a tuple of sizes, "
                               f"got {describe(in_shape)}")
        shape = tuple(positive_int("Dropout", "in_shape", v) for v in in_shape)
        self.in_shape = self.out_shape = shape

    @property
    def n_in(self) -> Optional[int]:
        """The flat width (None until built)."""
        return None if self.in_shape is None else math.prod(self.in_shape)

    n_out = n_in

    def config(self) -> Dict[str, Any]:
        """Return the constructor's arguments, JSON-ready (the mask's seed is not kept)."""
        return {"rate": self.rate,
                "in_shape": None if self.in_shape is None else list(self.in_shape)}

    def forward(self, x: Matrix) -> Matrix:
        """Return x * mask while training (a fresh mask per call), else x itself."""
        if self.n_in is not None and x and len(x[0]) != self.n_in:
            raise ShapeError(f"Dropout: x rows must have {self.n_in} values, got {len(x[0])}")
        if not self.training or self.rate == 0.0:
            self.mask = None
            return x
        keep, scale, draw = 1.0 - self.rate, 1.0 / (1.0 - self.rate), self.rng.random
        self.mask = [[scale if draw() < keep else 0.0 for _ in row] for row in x]
        return [[v * m for v, m in zip(row, m_row)] for row, m_row in zip(x, self.mask)]

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Return dLoss/dx = dLoss/da * mask (delta itself when nothing was dropped)."""
        self.grads = {}
        if not input_grad:
            return None
        if self.mask is None:
            return delta
        return [[d * m for d, m in zip(row, m_row)] for row, m_row in zip(delta, self.mask)]

    def __repr__(self) -> str:
        return f"Dropout({self.rate})"
