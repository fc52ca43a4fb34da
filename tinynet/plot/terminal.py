"""The terminal chart: a line chart drawn as text, in braille dots or ASCII.

>>> print(terminal_chart([5.0, 4.0, 3.0, 2.0, 1.0], width=14, height=7, ascii=True))
5 +**
  | ****
3 +    ***
  |      ****
1 +         **
  +-----------
   0         4
"""

from __future__ import annotations

import math
import sys
from typing import Any, List, Optional, Sequence, Tuple

from ..checks import positive_int
from ..errors import TinynetError
from .scales import Axis, series

__all__ = ["terminal_chart"]

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
    ys = series(op, "values", values, positive=log)
    width, height = positive_int(op, "width", width), positive_int(op, "height", height)
    marks = _ASCII if _ascii_wanted(ascii) else _BOX
    title_lines = [] if title is None else [_one_line(title)[:width].center(width)]
    rows = height - len(title_lines) - 2  # less the x axis and its labels
    if rows < 2:
        raise TinynetError(f"{op}: height {height} leaves {rows} rows for the plot; "
                           f"needs height >= {height - rows + 2}")

    # Rows of the plot, top to bottom, in "dots": 1 per character in ASCII,
    # 4 in braille; columns likewise, 1 or 2.
    dots_x, dots_y = (1, 1) if marks is _ASCII else (2, 4)
    axis = Axis(min(ys), max(ys), 0.0, rows * dots_y - 1.0, log=log, flip=True, op=op)
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


def _row_labels(axis: "Axis", rows: int, dots_y: int) -> List[str]:
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
