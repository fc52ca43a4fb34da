"""Pictures of a training run: a line chart for the terminal, and SVG figures.

=============================  ==============================================
name                           draws
=============================  ==============================================
terminal_chart(values)         a line chart as text (Unicode braille or ASCII)
LossPlot(loss, val_loss)       loss per epoch, SVG
DecisionBoundaryPlot(f, x, y)  class regions of a 2-feature classifier, SVG
ConfusionMatrixPlot(m, names)  a confusion matrix as a heatmap, SVG
save_svg(plot, path)           plot.save(path)
=============================  ==============================================

>>> print(terminal_chart([5.0, 4.0, 3.0, 2.0, 1.0], width=14, height=7, ascii=True))
5 +**
  | ****
3 +    ***
  |      ****
1 +         **
  +-----------
   0         4

The SVG plots are small classes. ``plot.svg`` (or ``plot.to_svg()``) is the
document as a string, ``plot.save(path)`` writes it, and Jupyter shows the
plot inline through ``_repr_svg_``. All three are drawn with the same helpers:
``_Axis`` maps data to pixels and picks "nice" 1-2-5 ticks, ``_axes`` draws
the axis lines, ticks and labels, and ``_el`` writes one escaped element.
Colours come from the Okabe-Ito palette, which stays distinguishable with
the common kinds of colour blindness.

Standard library only; nothing here prints.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import operator
import os
import re
import sys
from typing import (Any, Callable, Dict, List, NamedTuple, Optional, Sequence, TextIO,
                    Tuple)
from xml.sax.saxutils import escape

from .errors import ShapeError, TinynetError
from .matrix import _describe, _number, as_matrix

__all__ = [
    "terminal_chart", "LossPlot", "DecisionBoundaryPlot", "ConfusionMatrixPlot",
    "save_svg", "PALETTE",
]

# Okabe & Ito (2008), reordered so that the first colours contrast most, then
# grey and wine from Paul Tol's muted scheme: ten classes in all. More classes
# reuse the colours in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9",
           "#CC79A7", "#F0E442", "#000000", "#999999", "#882255")

_SVG_NS = "http://www.w3.org/2000/svg"
_CHAR_W = 7.0  # rough width in pixels of one character at font-size 12


# --- the terminal chart ------------------------------------------------------

_BOX = {"tick": "\u2524", "axis": "\u2502", "corner": "\u2514", "rule": "\u2500"}
_ASCII = {"tick": "+", "axis": "|", "corner": "+", "rule": "-"}
# Braille cells are 2 dots wide and 4 high; bit of the dot at (column, row).
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def terminal_chart(values: Sequence[float], *, width: int = 60, height: int = 15,
                   title: Optional[str] = None, ascii: Optional[bool] = None,
                   log: bool = False) -> str:
    """Return a line chart of values as text: height lines of width characters.

    The size counts everything: the title line (if any), the y-axis labels
    (max at the top, min at the bottom, the value of the middle row between),
    the plot, the x axis and its labels (the first and last index). The line
    through the points is drawn exactly, so a long series (1500 losses) is
    squeezed into the columns with every point's value still covered, and a
    short one is joined by straight segments.

    ascii=True draws with ``*``, ``|``, ``-``, ``+``; ascii=False with braille
    dots (2 x 4 per character) and box-drawing lines; ascii=None picks Unicode
    when sys.stdout's encoding can encode those characters. log=True puts the
    y axis on a log10 scale, for loss curves (values must be > 0).

    >>> chart = terminal_chart([3.0, 1.0, 2.0], width=20, height=5, ascii=False)
    >>> [len(line) for line in chart.splitlines()]
    [20, 20, 20, 20, 20]

    Raises TinynetError for an empty or non-numeric series, non-finite values,
    values <= 0 with log=True, or a size too small for the labels.
    """
    op = "terminal_chart"
    ys = _series(op, "values", values, positive=log)
    width, height = _positive_int(op, "width", width), _positive_int(op, "height", height)
    marks = _ASCII if _ascii_wanted(ascii) else _BOX
    title_lines = [] if title is None else [_one_line(title)[:width].center(width)]
    rows = height - len(title_lines) - 2  # less the x axis and its labels
    if rows < 2:
        raise TinynetError(f"{op}: height {height} leaves {rows} rows for the plot; "
                           f"needs height >= {height - rows + 2}")

    # Rows of the plot, top to bottom, in "dots": 1 per character in ASCII,
    # 4 in braille; columns likewise, 1 or 2.
    dots_x, dots_y = (1, 1) if marks is _ASCII else (2, 4)
    axis = _Axis(min(ys), max(ys), 0.0, rows * dots_y - 1.0, log=log, flip=True, op=op)
    labels = _row_labels(axis, rows, dots_y)
    label_w = max(map(len, labels))
    cols = width - label_w - 2  # less the labels, a space, the axis
    if cols < 2:
        raise TinynetError(f"{op}: width {width} leaves {cols} columns for the plot; "
                           f"needs width >= {width - cols + 2}")

    if axis.constant:  # a flat line through the middle row
        middle = (rows - 1) // 2 * dots_y + (dots_y - 1) / 2
        dot_rows = [middle] * len(ys)
    else:
        dot_rows = [axis(v) for v in ys]
    spans = _rasterize(dot_rows, cols * dots_x)
    plot = _draw_ascii(spans, rows) if marks is _ASCII else _draw_braille(spans, rows, cols)

    lines = [f"{label:>{label_w}} {marks['tick'] if label.strip() else marks['axis']}{row}"
             for label, row in zip(labels, plot)]
    lines.append(" " * (label_w + 1) + marks["corner"] + marks["rule"] * cols)
    first, last = "0", str(len(ys) - 1)
    fits = len(ys) > 1 and len(first) + 1 + len(last) <= cols
    ends = first + last.rjust(cols - len(first)) if fits else first
    lines.append(" " * (label_w + 2) + ends)
    return "\n".join(title_lines + [line[:width].ljust(width) for line in lines])


def _one_line(title: Any) -> str:
    # A newline or an escape sequence in the title would break the layout.
    return "".join(ch if ch.isprintable() else " " for ch in str(title))


def _ascii_wanted(ascii: Optional[bool]) -> bool:
    if ascii is not None:
        return bool(ascii)
    encoding = getattr(sys.stdout, "encoding", None)
    try:
        ("".join(_BOX.values()) + "\u2800\u28ff").encode(encoding or "ascii")
    except (LookupError, UnicodeError):
        return True
    return False


def _row_labels(axis: "_Axis", rows: int, dots_y: int) -> List[str]:
    """Labels for the max (top row), the middle row and the min (bottom row)."""
    labels = [""] * rows
    if axis.constant:
        labels[(rows - 1) // 2] = axis.label(axis.data_lo)
        return labels
    middle = (rows - 1) // 2
    # Enough significant digits that min and max read differently.
    for digits in range(4, 18):  # 17 digits tell any two floats apart
        top, bottom = f"{axis.data_hi:.{digits}g}", f"{axis.data_lo:.{digits}g}"
        if top != bottom:
            break
    labels[0], labels[-1] = top, bottom
    if 0 < middle < rows - 1:  # the value at the centre of the middle row
        labels[middle] = f"{axis.invert(middle * dots_y + (dots_y - 1) / 2):.{digits}g}"
    return labels


def _rasterize(dot_rows: List[float], cols: int) -> List[Tuple[int, int]]:
    """Return, per pixel column, the (top, bottom) pixel rows the line covers.

    Point i sits at x = i * (cols - 1) / (n - 1). Column c covers
    x in [c - 0.5, c + 0.5]; the line is straight between points, so over a
    segment's part inside c its rows are bounded by the values at the ends.
    """
    n = len(dot_rows)
    if n == 1:
        row = _round(dot_rows[0])
        return [(row, row)] + [(-1, -1)] * (cols - 1)  # (-1, -1): empty column
    spans = [(-1, -1)] * cols
    dx = (cols - 1) / (n - 1)
    for i in range(n - 1):
        xa, xb, ya, yb = i * dx, (i + 1) * dx, dot_rows[i], dot_rows[i + 1]
        slope = (yb - ya) / (xb - xa)
        for c in range(_round(xa), _round(xb) + 1):
            left, right = max(xa, c - 0.5), min(xb, c + 0.5)
            if left > right:
                continue
            y1, y2 = ya + slope * (left - xa), ya + slope * (right - xa)
            top, bottom = _round(min(y1, y2)), _round(max(y1, y2))
            old_top, old_bottom = spans[c]
            if old_top >= 0:
                top, bottom = min(top, old_top), max(bottom, old_bottom)
            spans[c] = (top, bottom)
    return spans


def _draw_ascii(spans: List[Tuple[int, int]], rows: int) -> List[str]:
    grid = [[" "] * len(spans) for _ in range(rows)]
    for c, (top, bottom) in enumerate(spans):
        for r in range(max(top, 0), bottom + 1):
            grid[r][c] = "*"
    return ["".join(line) for line in grid]


def _draw_braille(spans: List[Tuple[int, int]], rows: int, cols: int) -> List[str]:
    bits = [[0] * cols for _ in range(rows)]
    for c, (top, bottom) in enumerate(spans):
        for r in range(max(top, 0), bottom + 1):
            bits[r // 4][c // 2] |= _BRAILLE_BITS[c % 2][r % 4]
    return ["".join(chr(0x2800 + b) if b else " " for b in line) for line in bits]


def _round(v: float) -> int:
    # Half up: round() goes half to even, which would make ties alternate rows.
    return int(math.floor(v + 0.5))


# --- scales and ticks, shared by everything ----------------------------------

class _Axis:
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
        self.lo, self.hi = _padded(a, b, pad, op)
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


def _padded(lo: float, hi: float, pad: float, op: str) -> Tuple[float, float]:
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


# --- SVG writing -------------------------------------------------------------

class _Frame(NamedTuple):
    """The plot area in pixels; y grows downwards as in SVG."""
    left: float
    top: float
    right: float
    bottom: float


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    # Control characters and lone surrogates cannot appear in XML at all,
    # escaped or not.
    return _NOT_XML.sub("\ufffd", text)


def _n(v: float) -> str:
    """Compact number for SVG: 2 decimals, no trailing zeros."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _el(tag: str, attrs: Dict[str, Any], text: Optional[str] = None) -> str:
    """Return one SVG element; attribute values and text are escaped."""
    parts = [tag]
    for key, value in attrs.items():
        value = _n(value) if isinstance(value, float) else _clean(str(value))
        parts.append(f'{key}="{escape(value, {chr(34): "&quot;"})}"')
    head = " ".join(parts)
    if text is None:
        return f"<{head}/>"
    return f"<{head}>{escape(_clean(text))}</{tag}>"


def _text(x: float, y: float, text: str, cls: str, anchor: str = "middle",
          **attrs: Any) -> str:
    return _el("text", {"x": float(x), "y": float(y), "class": cls,
                        "text-anchor": anchor, **attrs}, text)


def _line(x1: float, y1: float, x2: float, y2: float, cls: str,
          stroke: str = "#333333") -> str:
    return _el("line", {"class": cls, "x1": float(x1), "y1": float(y1),
                        "x2": float(x2), "y2": float(y2), "stroke": stroke})


def _axes(frame: _Frame, x: _Axis, y: _Axis, xlabel: str, ylabel: str, *,
          grid: bool = False) -> List[str]:
    """Axis lines on the left and bottom of frame, ticks, tick labels, titles."""
    out = []
    for t in x.ticks:
        px = x(t)
        if grid:
            out.append(_line(px, frame.top, px, frame.bottom, "grid", "#E5E5E5"))
        out.append(_line(px, frame.bottom, px, frame.bottom + 5, "tick"))
        out.append(_text(px, frame.bottom + 18, x.label(t), "tick-label x"))
    for t in y.ticks:
        py = y(t)
        if grid:
            out.append(_line(frame.left, py, frame.right, py, "grid", "#E5E5E5"))
        out.append(_line(frame.left - 5, py, frame.left, py, "tick"))
        out.append(_text(frame.left - 8, py + 4, y.label(t), "tick-label y", "end"))
    out.append(_line(frame.left, frame.bottom, frame.right, frame.bottom, "axis x"))
    out.append(_line(frame.left, frame.top, frame.left, frame.bottom, "axis y"))
    return out + _axis_titles(frame, xlabel, ylabel, x_title_y=frame.bottom + 40,
                               y_title_x=18.0)


def _axis_titles(frame: _Frame, xlabel: str, ylabel: str, *, x_title_y: float,
                 y_title_x: float) -> List[str]:
    """The x title centred below the frame, the y title turned up at its left."""
    cx, cy = (frame.left + frame.right) / 2, (frame.top + frame.bottom) / 2
    return [_text(cx, x_title_y, xlabel, "axis-label x"),
            _text(y_title_x, cy, ylabel, "axis-label y",
                  transform=f"rotate(-90 {_n(y_title_x)} {_n(cy)})")]


def _legend(frame: _Frame, entries: List[Tuple[str, str]], kind: str) -> List[str]:
    """A boxed legend in the top right of frame: a line or dot, then the name."""
    width = 34 + _CHAR_W * max(len(name) for name, _ in entries)
    left, top = frame.right - width - 8, frame.top + 8
    out = [_el("rect", {"class": "legend", "x": float(left), "y": float(top),
                        "width": float(width), "height": float(8 + 18 * len(entries)),
                        "fill": "white", "fill-opacity": "0.85", "stroke": "#BBBBBB"})]
    for i, (name, colour) in enumerate(entries):
        y = top + 16 + 18 * i
        if kind == "line":
            out.append(_el("line", {"x1": float(left + 6), "y1": float(y),
                                    "x2": float(left + 24), "y2": float(y),
                                    "stroke": colour, "stroke-width": 2}))
        else:
            out.append(_el("circle", {"cx": float(left + 15), "cy": float(y), "r": 4,
                                      "fill": colour, "stroke": "#222222"}))
        out.append(_text(left + 30, y + 4, name, "legend-label", "start"))
    return out


def _mix(a: str, b: str, t: float) -> str:
    """Return the colour (1 - t) * a + t * b, both '#rrggbb'."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round((1 - t) * u + t * v):02X}" for u, v in zip(ca, cb))


def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def _write_atomic(path: Any, text: str, op: str) -> None:
    """Write text to path through a temporary file in the same folder.

    os.replace is atomic on POSIX and Windows, so readers see the old file or
    the new one, never half of one; on failure the temporary file is removed.
    """
    try:
        target = os.fsdecode(path)
    except TypeError:
        raise TinynetError(f"{op}: needs a path, got {_describe(path)}") from None
    folder, base = os.path.split(os.path.abspath(target))
    tmp = None
    try:
        tmp, stream = _new_file(folder, f".{base}.{os.getpid()}")
        with stream:
            stream.write(text)
        os.replace(tmp, target)
    except BaseException as error:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)
        if isinstance(error, OSError):
            reason = error.strerror or type(error).__name__
            raise TinynetError(f"{op}: cannot write {target!r}: {reason}") from None
        raise


def _new_file(folder: str, prefix: str) -> Tuple[str, TextIO]:
    """Create and open folder/prefix.K.tmp for the first K not taken."""
    for k in itertools.count():
        name = os.path.join(folder, f"{prefix}.{k}.tmp")
        try:  # mode "x" fails rather than open a file that exists
            return name, open(name, "x", encoding="utf-8")
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - count() never ends


class _Plot:
    """Shared by the SVG plots: the document around _elements, and saving."""

    width = 640
    height = 420
    title = ""

    def _elements(self) -> List[str]:
        raise NotImplementedError

    @property
    def svg(self) -> str:
        """The SVG document, as a string."""
        w, h = self.width, self.height
        head = (f'<svg xmlns="{_SVG_NS}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                f'font-family="sans-serif" font-size="12">')
        body = [_el("title", {}, self.title),
                _el("rect", {"class": "background", "width": w, "height": h,
                             "fill": "white"}),
                _text(w / 2, 24, self.title, "title", **{"font-size": 15})]
        return "\n".join([head] + body + self._elements() + ["</svg>"]) + "\n"

    def to_svg(self) -> str:
        """Return the SVG document as a string (the same as ``.svg``)."""
        return self.svg

    def _repr_svg_(self) -> str:
        """Jupyter calls this to show the plot inline."""
        return self.svg

    def save(self, path: Any) -> None:
        """Write the SVG document to path (UTF-8), atomically.

        Raises TinynetError naming the path when it cannot be written; the
        file at path is then untouched and no temporary file is left.
        """
        _write_atomic(path, self.svg, f"{type(self).__name__}.save")


def save_svg(plot: _Plot, path: Any) -> None:
    """Write plot (a LossPlot, DecisionBoundaryPlot, ...) to path as SVG.

    The same as ``plot.save(path)``. Raises TinynetError for a plot that is
    not one of tinynet's, or a path that cannot be written.
    """
    if not isinstance(plot, _Plot):
        raise TinynetError(f"save_svg: needs a tinynet plot, got {_describe(plot)}")
    plot.save(path)


# --- the three plots ---------------------------------------------------------

class LossPlot(_Plot):
    """The loss curve: loss per epoch, and the validation loss if given.

    Epoch i (1-based) is at x = i. Each curve is one ``<path>`` with
    ``class="series train"`` or ``class="series validation"``; a legend
    appears when there are two. log=True draws the y axis on a log10 scale.

    >>> import xml.etree.ElementTree as ET
    >>> plot = LossPlot([1.0, 0.5, 0.3], val_loss=[1.1, 0.7, 0.6])
    >>> root = ET.fromstring(plot.svg)
    >>> [p.get("class") for p in root.iter("{http://www.w3.org/2000/svg}path")]
    ['series train', 'series validation']
    >>> plot
    LossPlot(epochs=3, val_loss=True, log=False)

    Raises TinynetError for an empty, non-numeric or non-finite series, or
    values <= 0 with log=True; ShapeError when val_loss has another length.
    """

    def __init__(self, loss: Sequence[float], val_loss: Optional[Sequence[float]] = None,
                 *, title: str = "Loss", xlabel: str = "epoch", ylabel: str = "loss",
                 log: bool = False):
        op = "LossPlot"
        self.loss = _series(op, "loss", loss, positive=log)
        self.val_loss = None if val_loss is None else _series(
            op, "val_loss", val_loss, positive=log)
        if self.val_loss is not None and len(self.val_loss) != len(self.loss):
            raise ShapeError(f"{op}: loss and val_loss lengths differ: "
                             f"{len(self.loss)} and {len(self.val_loss)}")
        self.title, self.xlabel, self.ylabel = str(title), str(xlabel), str(ylabel)
        self.log = bool(log)
        self._y_axis(1.0, 0.0)  # a range too wide for floats fails here, not on .svg

    def _y_axis(self, bottom: float, top: float) -> _Axis:
        values = self.loss + (self.val_loss or [])
        return _Axis(min(values), max(values), bottom, top, log=self.log, pad=0.05,
                     op="LossPlot")

    def _elements(self) -> List[str]:
        frame = _Frame(72.0, 44.0, self.width - 24.0, self.height - 56.0)
        series = [("train", self.loss)]
        if self.val_loss is not None:
            series.append(("validation", self.val_loss))
        x = _Axis(1.0, float(len(self.loss)), frame.left, frame.right, integer=True)
        y = self._y_axis(frame.bottom, frame.top)
        out = _axes(frame, x, y, self.xlabel, self.ylabel, grid=True)
        for k, (name, ys) in enumerate(series):
            points = [f"{_n(x(i + 1.0))},{_n(y(v))}" for i, v in enumerate(ys)]
            if len(ys) == 1:  # one epoch: a short dash, as a point has no length
                px, py = x(1.0), y(ys[0])
                points = [f"{_n(px - 4)},{_n(py)}", f"{_n(px + 4)},{_n(py)}"]
            out.append(_el("path", {"class": f"series {name}", "d": "M" + "L".join(points),
                                    "fill": "none", "stroke": _colour(k), "stroke-width": 2,
                                    "stroke-linejoin": "round", "stroke-linecap": "round"}))
        if len(series) > 1:
            out += _legend(frame, [(name, _colour(k)) for k, (name, _) in enumerate(series)],
                           "line")
        return out

    def __repr__(self) -> str:
        return (f"LossPlot(epochs={len(self.loss)}, val_loss={self.val_loss is not None}, "
                f"log={self.log})")


class DecisionBoundaryPlot(_Plot):
    """The class regions of a 2-feature classifier, with the data on top.

    predict_classes takes a list of [x1, x2] rows and returns one class index
    (0..k-1) per row; it is called once, on the centres of a resolution x
    resolution grid over the data's range plus a 10% margin. Each grid row's
    runs of one class become one ``<rect class="region">`` in a light shade
    of the class colour; every sample is a ``<circle class="point">`` in the
    full colour of its label. classes names the classes for a legend.

    >>> x = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
    >>> plot = DecisionBoundaryPlot(
    ...     lambda rows: [int(a > 0.5) for a, b in rows], x, [0, 1, 0, 1],
    ...     resolution=10, classes=["left", "right"])
    >>> plot.svg.count('class="point'), plot.svg.count('class="region"')
    (4, 20)

    Raises TinynetError for a predict_classes that is not callable or whose
    output is not one class index per grid point, labels that are not class
    indices, a resolution outside 2..500, or fewer class names than classes;
    ShapeError when x is not n x 2 or labels does not have n entries.
    """

    width = 560
    height = 480

    def __init__(self, predict_classes: Callable[[List[List[float]]], Sequence[int]],
                 x: Sequence[Sequence[float]], labels: Sequence[int], *,
                 resolution: int = 60, classes: Optional[Sequence[str]] = None,
                 title: str = "Decision boundary", xlabel: str = "x1", ylabel: str = "x2"):
        op = "DecisionBoundaryPlot"
        if not callable(predict_classes):
            raise TinynetError(f"{op}: predict_classes must be callable, "
                               f"got {_describe(predict_classes)}")
        self.x = as_matrix(x, op=op)
        if len(self.x[0]) != 2:
            raise ShapeError(f"{op}: x must be n x 2 (two features), "
                             f"got {len(self.x)} x {len(self.x[0])}")
        self.labels = _class_indices(op, "labels", labels, len(self.x))
        if (isinstance(resolution, bool) or not isinstance(resolution, int)
                or not 2 <= resolution <= 500):
            raise TinynetError(f"{op}: resolution must be an int in 2..500, got {resolution!r}")
        self.resolution = resolution
        self.title, self.xlabel, self.ylabel = str(title), str(xlabel), str(ylabel)
        self.bounds = [_padded(min(col), max(col), 0.1, op) for col in zip(*self.x)]
        self.grid = self._predict_grid(op, predict_classes)
        n_classes = 1 + max(max(self.labels), max(map(max, self.grid)))
        self.classes = None if classes is None else _names(op, classes)
        if self.classes is not None and len(self.classes) < n_classes:
            raise TinynetError(f"{op}: classes must name all {n_classes} classes, "
                               f"got {len(self.classes)} names")

    def _predict_grid(self, op: str, predict: Callable) -> List[List[int]]:
        """Classes at the cell centres, one row per grid row, top row first."""
        r = self.resolution
        (x_lo, x_hi), (y_lo, y_hi) = self.bounds
        xs = [x_lo + (i + 0.5) * (x_hi - x_lo) / r for i in range(r)]
        ys = [y_hi - (j + 0.5) * (y_hi - y_lo) / r for j in range(r)]  # top down
        flat = _class_indices(op, "predict_classes output",
                              predict([[a, b] for b in ys for a in xs]), r * r)
        return [flat[j * r:(j + 1) * r] for j in range(r)]

    def _elements(self) -> List[str]:
        frame = _Frame(64.0, 44.0, self.width - 24.0, self.height - 56.0)
        (x_lo, x_hi), (y_lo, y_hi) = self.bounds
        x = _Axis(x_lo, x_hi, frame.left, frame.right)
        y = _Axis(y_lo, y_hi, frame.bottom, frame.top)
        cell_w = (frame.right - frame.left) / self.resolution
        cell_h = (frame.bottom - frame.top) / self.resolution
        out = ['<g class="regions" shape-rendering="crispEdges">']
        for j, row in enumerate(self.grid):
            for start, run in _runs(row):
                out.append(_el("rect", {"class": "region",
                                        "x": frame.left + start * cell_w,
                                        "y": frame.top + j * cell_h,
                                        "width": len(run) * cell_w, "height": cell_h,
                                        "fill": _mix("#FFFFFF", _colour(run[0]), 0.3)}))
        out.append("</g>")
        out += _axes(frame, x, y, self.xlabel, self.ylabel)
        for (a, b), k in zip(self.x, self.labels):
            out.append(_el("circle", {"class": f"point c{k}", "cx": x(a), "cy": y(b),
                                      "r": 4, "fill": _colour(k), "stroke": "#222222",
                                      "stroke-width": "0.8"}))
        if self.classes is not None:
            out += _legend(frame, [(name, _colour(k)) for k, name in enumerate(self.classes)],
                           "dot")
        return out

    def __repr__(self) -> str:
        return (f"DecisionBoundaryPlot(samples={len(self.x)}, "
                f"resolution={self.resolution}, classes={self.classes!r})")


class ConfusionMatrixPlot(_Plot):
    """A confusion matrix as a heatmap, with each cell's value written in it.

    matrix[i][j] counts the samples of true class i predicted as class j:
    true classes run down the y axis, predicted classes along the x axis.
    Cells shade from white (0) to blue (the largest value); a colour bar at
    the right gives the scale. normalize=True divides each row by its sum, so
    a cell is the fraction of class i predicted as j (the recall on the
    diagonal); a row of zeros stays zeros.

    >>> plot = ConfusionMatrixPlot([[5, 1], [2, 7]], ["cat", "dog"])
    >>> plot.svg.count('class="count"')
    4
    >>> plot
    ConfusionMatrixPlot(classes=['cat', 'dog'], normalize=False)

    Raises TinynetError for negative or non-finite entries; ShapeError for a
    matrix that is not square or a list of classes of another length.
    """

    def __init__(self, matrix: Sequence[Sequence[float]], classes: Sequence[str], *,
                 title: str = "Confusion matrix", normalize: bool = False):
        op = "ConfusionMatrixPlot"
        m = as_matrix(matrix, op=op)
        if len(m) != len(m[0]):
            raise ShapeError(f"{op}: matrix must be square, got {len(m)} x {len(m[0])}")
        self.classes = _names(op, classes)
        if len(self.classes) != len(m):
            raise ShapeError(f"{op}: needs {len(m)} class names for a {len(m)} x {len(m)} "
                             f"matrix, got {len(self.classes)}")
        negative = [v for row in m for v in row if v < 0]
        if negative:
            raise TinynetError(f"{op}: entries must be >= 0, got {negative[0]}")
        self.normalize = bool(normalize)
        if self.normalize:
            m = [[v / sum(row) if sum(row) else 0.0 for v in row] for row in m]
        self.values = m
        self.title = str(title)
        self._layout()

    def _layout(self) -> None:
        """Cell size and margins from the number and length of the names."""
        k = len(self.classes)
        longest = _CHAR_W * max(len(name) for name in self.classes)
        self.cell = max(18.0, min(56.0, 448.0 / k))
        self.rotate = longest > self.cell - 4  # x labels turned up when too long
        left = 44.0 + longest + 12
        top = 48.0
        bottom = 16.0 + (longest if self.rotate else 14.0) + 34
        self.frame = _Frame(left, top, left + k * self.cell, top + k * self.cell)
        self.width = int(math.ceil(self.frame.right + 100))
        self.height = int(math.ceil(self.frame.bottom + bottom))

    def _elements(self) -> List[str]:
        frame, cell = self.frame, self.cell
        top_value = 1.0 if self.normalize else max(max(row) for row in self.values)
        out = []
        for i, row in enumerate(self.values):
            for j, v in enumerate(row):
                t = v / top_value if top_value else 0.0
                cx, cy = frame.left + j * cell, frame.top + i * cell
                out.append(_el("rect", {"class": "cell", "x": cx, "y": cy, "width": cell,
                                        "height": cell, "fill": _mix("#FFFFFF", PALETTE[0], t),
                                        "stroke": "white"}))
                out.append(_text(cx + cell / 2, cy + cell / 2 + 4, self._format(v), "count",
                                 fill="white" if t > 0.55 else "black"))
        for k, name in enumerate(self.classes):
            mid = k * cell + cell / 2
            out.append(_text(frame.left - 8, frame.top + mid + 4, name, "tick-label y", "end"))
            x, y = frame.left + mid, frame.bottom + 16
            if self.rotate:
                out.append(_text(x + 4, y - 8, name, "tick-label x", "end",
                                 transform=f"rotate(-90 {_n(x + 4)} {_n(y - 8)})"))
            else:
                out.append(_text(x, y, name, "tick-label x"))
        out += _axis_titles(frame, "predicted", "true", x_title_y=self.height - 12.0,
                            y_title_x=16.0)
        return out + self._colour_bar(top_value)

    def _colour_bar(self, top_value: float) -> List[str]:
        """A white-to-blue gradient beside the matrix, with ticks of its scale."""
        f = self.frame
        bar = _Frame(f.right + 20, f.top, f.right + 34, f.bottom)
        scale = _Axis(0.0, top_value, bar.bottom, bar.top)
        out = ['<defs><linearGradient id="tinynet-cm-scale" x1="0" y1="1" x2="0" y2="0">'
               f'<stop offset="0" stop-color="#FFFFFF"/><stop offset="1" '
               f'stop-color="{PALETTE[0]}"/></linearGradient></defs>',
               _el("rect", {"class": "colour-bar", "x": bar.left, "y": bar.top,
                            "width": bar.right - bar.left, "height": bar.bottom - bar.top,
                            "fill": "url(#tinynet-cm-scale)", "stroke": "#333333"})]
        for t in scale.ticks if top_value else [0.0]:
            py = scale(t)
            out.append(_line(bar.right, py, bar.right + 4, py, "tick"))
            out.append(_text(bar.right + 7, py + 4, scale.label(t), "tick-label scale", "start"))
        return out

    def _format(self, v: float) -> str:
        if self.normalize or not float(v).is_integer():
            return f"{v:.2f}"
        return str(int(v))

    def __repr__(self) -> str:
        return f"ConfusionMatrixPlot(classes={self.classes!r}, normalize={self.normalize})"


# --- input checks ------------------------------------------------------------

def _series(op: str, name: str, values: Any, *, positive: bool = False) -> List[float]:
    """Return values as a fresh list of finite floats (> 0 if positive)."""
    if values is None or isinstance(values, (str, bytes, dict)):
        raise TinynetError(f"{op}: {name} must be a sequence of numbers, got {_describe(values)}")
    try:
        items = list(values)
    except TypeError:
        raise TinynetError(
            f"{op}: {name} must be a sequence of numbers, got {_describe(values)}") from None
    if not items:
        raise TinynetError(f"{op}: {name} needs at least one value, got an empty sequence")
    ys = [_number(op, f"{name}[{i}]", v) for i, v in enumerate(items)]
    if positive:
        bad = next((i for i, v in enumerate(ys) if v <= 0), None)
        if bad is not None:
            raise TinynetError(f"{op}: {name} must be > 0 on a log scale, "
                               f"got {name}[{bad}] = {ys[bad]}")
    return ys


def _class_indices(op: str, name: str, values: Any, n: int) -> List[int]:
    """Return values as n class indices: ints >= 0 (integral floats allowed)."""
    try:
        items = list(values)
    except TypeError:
        raise TinynetError(
            f"{op}: {name} must be a list of class indices, got {_describe(values)}") from None
    if len(items) != n:
        raise ShapeError(f"{op}: {name} must have {n} entries, got {len(items)}")
    out = []
    for i, v in enumerate(items):
        k = _index(v)
        if k is None or k < 0:
            raise TinynetError(f"{op}: {name}[{i}] must be a class index "
                               f"(an int >= 0), got {_describe(v)}")
        out.append(k)
    return out


def _index(v: Any) -> Optional[int]:
    # ints and NumPy integers; floats such as 1.0 read from a CSV file too
    try:
        return operator.index(v)
    except TypeError:
        pass
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def _names(op: str, classes: Any) -> List[str]:
    if classes is None or isinstance(classes, (str, bytes)):
        raise TinynetError(f"{op}: classes must be a list of names, got {_describe(classes)}")
    try:
        return [str(c) for c in classes]
    except TypeError:
        raise TinynetError(
            f"{op}: classes must be a list of names, got {_describe(classes)}") from None


def _positive_int(op: str, name: str, v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise TinynetError(f"{op}: {name} must be a positive integer, got {v!r}")
    return v


def _runs(row: List[int]) -> List[Tuple[int, List[int]]]:
    """Split row into runs of equal values: [(start, run), ...]."""
    out, start = [], 0
    for _, group in itertools.groupby(row):
        run = list(group)
        out.append((start, run))
        start += len(run)
    return out
