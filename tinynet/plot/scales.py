"""Scales: the map from data to pixels, its "nice" ticks, and the check on a series.

Shared by the terminal chart and the SVG plots.

>>> axis = Axis(0.0, 1.0, 0.0, 100.0)
>>> axis(0.25), axis.ticks
(25.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
"""

from __future__ import annotations

import math
import sys
from typing import Any, List, Tuple

from ..checks import describe, number
from ..errors import TinynetError

__all__ = ["Axis", "padded", "series"]


class Axis:
    """Data interval [lo, hi] mapped linearly to pixels [p0, p1], with ticks.

    With log=True the map is linear in log10(v). A constant series (lo == hi)
    is widened by 10% of its value (1 if 0), and pad adds that fraction of the
    span on each side. flip=True is for the terminal, where the top row is the
    max: the map then sends hi to p0. op names the caller in errors.
    """

    def __init__(self, lo: float, hi: float, p0: float, p1: float, *,
                 log: bool = False, pad: float = 0.0, integer: bool = False,
                 flip: bool = False, op: str = "plot"):
        self.log, self.data_lo, self.data_hi = log, lo, hi
        self.constant = lo == hi
        a, b = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        if log and a == b:  # a constant series: half a decade either side
            a, b = a - 0.5, b + 0.5
        self.lo, self.hi = padded(a, b, pad, op)
        self.p0, self.p1 = (p1, p0) if flip else (p0, p1)
        if log:  # ticks that overflow or underflow (in the padding) are dropped
            self.ticks = [v for v in map(_pow10, _log_ticks(self.lo, self.hi))
                          if 0.0 < v < sys.float_info.max]
        else:
            self.ticks = _ticks(self.lo, self.hi, integer)

    def __call__(self, v: float) -> float:
        t = math.log10(v) if self.log else v
        # The fraction first: (t - lo) * pixels could overflow for huge values.
        return self.p0 + (t - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)

    def invert(self, p: float) -> float:
        """Return the data value at pixel p."""
        t = self.lo + (p - self.p0) / (self.p1 - self.p0) * (self.hi - self.lo)
        return _pow10(t) if self.log else t

    @staticmethod
    def label(v: float) -> str:
        return f"{v:.4g}"


def padded(lo: float, hi: float, pad: float, op: str) -> Tuple[float, float]:
    """[lo, hi] widened by pad * span on each side; a point becomes an interval."""
    a, b = lo, hi
    if a == b:
        half = abs(a) * 0.1 or 1.0
        a, b = a - half, b + half
    margin = (b - a) * pad
    a, b = a - margin, b + margin
    if not math.isfinite(b - a):
        raise TinynetError(f"{op}: cannot draw values from {lo} to {hi}: "
                           f"the padded range overflows floats")
    return a, b


def _ticks(lo: float, hi: float, integer: bool = False, count: int = 5) -> List[float]:
    """Return the multiples of a 1-2-5 step in [lo, hi], about count of them.

    The step is span / count rounded to the nearest of 1, 2, 5, 10 times a
    power of ten (Heckbert's "nice numbers"), giving 3 to 8 ticks.
    """
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 0.0
    if power == 0.0:  # a span so narrow that it underflows: just the ends
        return [lo, hi]
    step = power * next(m for limit, m in ((1.5, 1), (3, 2), (7, 5), (math.inf, 10))
                        if raw / power < limit)
    if integer:
        step = max(step, 1.0)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    # k * step, not repeated addition, so that 0.1 * 3 prints as 0.3.
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]


def _log_ticks(lo: float, hi: float) -> List[float]:
    """Ticks for log10 values: the decades over 3 decades, 1-2-5 times the
    decades over 1, and nice linear values under one decade."""
    if hi - lo >= 3.0:
        return _ticks(lo, hi, integer=True)
    if hi - lo >= 1.0:
        candidates = (k + math.log10(m) for k in range(math.floor(lo), math.ceil(hi) + 1)
                      for m in (1, 2, 5))
        return [t for t in candidates if lo <= t <= hi]
    return [math.log10(t) for t in _ticks(_pow10(lo), _pow10(hi)) if t > 0]


def _pow10(t: float) -> float:
    """10 ** t, or the largest float where that overflows (log-axis padding)."""
    try:
        return 10.0 ** t
    except OverflowError:
        return sys.float_info.max



# --- the check on a series ------------------------------------------------

def series(op: str, name: str, values: Any, *, positive: bool = False) -> List[float]:
    """Return values as a fresh list of finite floats (> 0 if positive)."""
    if values is None or isinstance(values, (str, bytes, dict)):
        raise TinynetError(f"{op}: {name} must be a sequence of numbers, got {describe(values)}")
    try:
        items = list(values)
    except TypeError:
        raise TinynetError(
            f"{op}: {name} must be a sequence of numbers, got {describe(values)}") from None
    if not items:
        raise TinynetError(f"{op}: {name} needs at least one value, got an empty sequence")
    ys = [number(op, f"{name}[{i}]", v) for i, v in enumerate(items)]
    if positive:
        bad = next((i for i, v in enumerate(ys) if v <= 0), None)
        if bad is not None:
            raise TinynetError(f"{op}: {name} must be > 0 on a log scale, "
                               f"got {name}[{bad}] = {ys[bad]}")
    return ys
