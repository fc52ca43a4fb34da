"""SVG figures: the loss curve, a decision boundary, a confusion matrix.

=============================  ==============================================
name                           draws
=============================  ==============================================
LossPlot(loss, val_loss)       loss per epoch
DecisionBoundaryPlot(f, x, y)  class regions of a 2-feature classifier
ConfusionMatrixPlot(m, names)  a confusion matrix as a heatmap
save_svg(plot, path)           plot.save(path)
element(tag, attrs, text)      one escaped SVG element, as the plots write it
=============================  ==============================================

The plots are small classes. ``plot.svg`` (or ``plot.to_svg()``) is the
document as a string, ``plot.save(path)`` writes it through
tinynet.files.write_atomic, and Jupyter shows the plot inline through
``_repr_svg_``. All three are drawn with the same helpers: scales.Axis maps
data to pixels and picks "nice" 1-2-5 ticks, ``_axes`` draws the axis
lines, ticks and labels, and ``element`` writes one escaped element.
Colours come from the Okabe-Ito palette, which stays distinguishable with
the common kinds of colour blindness.

>>> element("circle", {"cx": 1.5, "r": 4}, None)
'<circle cx="1.5" r="4"/>'
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple
from xml.sax.saxutils import escape

from ..checks import describe
from ..errors import ShapeError, TinynetError
from ..files import write_atomic
from ..matrix import as_matrix
from .scales import Axis, padded, series

__all__ = ["LossPlot", "DecisionBoundaryPlot", "ConfusionMatrixPlot", "save_svg",
           "PALETTE", "Plot", "element", "number", "mix"]

# Okabe & Ito (2008), reordered so that the first colours contrast most, then
# grey and wine from Paul Tol's muted scheme: ten classes in all. More classes
# reuse the colours in order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9",
           "#CC79A7", "#F0E442", "#000000", "#999999", "#882255")

_SVG_NS = "http://www.w3.org/2000/svg"
_CHAR_W = 7.0  # rough width in pixels of one character at font-size 12


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


def number(v: float) -> str:
    """Compact number for SVG: 2 decimals, no trailing zeros."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(tag: str, attrs: Dict[str, Any], text: Optional[str] = None) -> str:
    """Return one SVG element; attribute values and text are escaped."""
    parts = [tag]
    for key, value in attrs.items():
        value = number(value) if isinstance(value, float) else _clean(str(value))
        parts.append(f'{key}="{escape(value, {chr(34): "&quot;"})}"')
    head = " ".join(parts)
    if text is None:
        return f"<{head}/>"
    return f"<{head}>{escape(_clean(text))}</{tag}>"


def _text(x: float, y: float, text: str, cls: str, anchor: str = "middle",
          **attrs: Any) -> str:
    return element("text", {"x": float(x), "y": float(y), "class": cls,
                        "text-anchor": anchor, **attrs}, text)


def _line(x1: float, y1: float, x2: float, y2: float, cls: str,
          stroke: str = "#333333") -> str:
    return element("line", {"class": cls, "x1": float(x1), "y1": float(y1),
                        "x2": float(x2), "y2": float(y2), "stroke": stroke})


def _axes(frame: _Frame, x: Axis, y: Axis, xlabel: str, ylabel: str, *,
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
                  transform=f"rotate(-90 {number(y_title_x)} {number(cy)})")]


def _legend(frame: _Frame, entries: List[Tuple[str, str]], kind: str,
            avoid: Sequence[Tuple[float, float]] = ()) -> List[str]:
    """A boxed legend in a corner of frame: a line or dot, then the name.

    The corner is the one covering the fewest of the points avoid (pixel
    coordinates); on a tie, top right, top left, bottom right, bottom left.
    """
    width = 34 + _CHAR_W * max(len(name) for name, _ in entries)
    height = 8 + 18 * len(entries)
    corners = [(frame.right - width - 8, frame.top + 8), (frame.left + 8, frame.top + 8),
               (frame.right - width - 8, frame.bottom - height - 8),
               (frame.left + 8, frame.bottom - height - 8)]

    def covered(corner: Tuple[float, float]) -> int:
        x0, y0 = corner
        return sum(x0 - 4 <= px <= x0 + width + 4 and y0 - 4 <= py <= y0 + height + 4
                   for px, py in avoid)

    left, top = min(corners, key=covered)
    out = [element("rect", {"class": "legend", "x": float(left), "y": float(top),
                        "width": float(width), "height": float(height),
                        "fill": "white", "fill-opacity": "0.85", "stroke": "#BBBBBB"})]
    for i, (name, colour) in enumerate(entries):
        y = top + 16 + 18 * i
        if kind == "line":
            out.append(element("line", {"x1": float(left + 6), "y1": float(y),
                                    "x2": float(left + 24), "y2": float(y),
                                    "stroke": colour, "stroke-width": 2}))
        else:
            out.append(element("circle", {"cx": float(left + 15), "cy": float(y), "r": 4,
                                      "fill": colour, "stroke": "#222222"}))
        out.append(_text(left + 30, y + 4, name, "legend-label", "start"))
    return out


def _along(points: List[Tuple[float, float]], step: float = 4.0) -> List[Tuple[float, float]]:
    """Points every step pixels along the polyline through points, for _legend to avoid."""
    out = list(points[:1])
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        out += [(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n) for t in range(1, n + 1)]
    return out


def mix(a: str, b: str, t: float) -> str:
    """Return the colour (1 - t) * a + t * b, both '#rrggbb'."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round((1 - t) * u + t * v):02X}" for u, v in zip(ca, cb))


def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


class Plot:
    """Shared by the SVG plots: the document around _elements, and saving.

    A new kind of plot subclasses Plot, sets width, height and title, and
    returns its SVG elements from ``_elements()`` (see tinynet.plot.images).
    """

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
        body = [element("title", {}, self.title),
                element("rect", {"class": "background", "width": w, "height": h,
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
        write_atomic(path, self.svg, op=f"{type(self).__name__}.save")


def save_svg(plot: Plot, path: Any) -> None:
    """Write plot (a LossPlot, DecisionBoundaryPlot, ...) to path as SVG.

    The same as ``plot.save(path)``. Raises TinynetError for a plot that is
    not one of tinynet's, or a path that cannot be written.
    """
    if not isinstance(plot, Plot):
        raise TinynetError(f"save_svg: needs a tinynet plot, got {describe(plot)}")
    plot.save(path)



# --- the three plots ---------------------------------------------------------

class LossPlot(Plot):
    """The loss curve: loss per epoch, and the validation loss if given.

    Epoch i (1-based) is at x = i. Each curve is one ``<path>`` with
    ``class="series train"`` or ``class="series validation"``; a legend
    appears when there are two, in the corner the curves leave free. kept,
    an epoch, draws a dashed line marking it (``class="kept"``): the epoch
    whose weights early stopping kept. log=True draws the y axis on a
    log10 scale.

    >>> import xml.etree.ElementTree as ET
    >>> plot = LossPlot([1.0, 0.5, 0.3], val_loss=[1.1, 0.7, 0.6])
    >>> root = ET.fromstring(plot.svg)
    >>> [p.get("class") for p in root.iter("{http://www.w3.org/2000/svg}path")]
    ['series train', 'series validation']
    >>> plot
    LossPlot(epochs=3, val_loss=True, log=False)

    Raises TinynetError for an empty, non-numeric or non-finite series,
    values <= 0 with log=True, or a kept epoch outside 1..epochs;
    ShapeError when val_loss has another length.
    """

    def __init__(self, loss: Sequence[float], val_loss: Optional[Sequence[float]] = None,
                 *, title: str = "Loss", xlabel: str = "epoch", ylabel: str = "loss",
                 log: bool = False, kept: Optional[int] = None):
        op = "LossPlot"
        if kept is not None and (isinstance(kept, bool) or not isinstance(kept, int)
                                 or not 1 <= kept <= len(loss)):
            raise TinynetError(f"{op}: kept must be an epoch in 1..{len(loss)}, got {kept!r}")
        self.kept = kept
        self.loss = series(op, "loss", loss, positive=log)
        self.val_loss = None if val_loss is None else series(
            op, "val_loss", val_loss, positive=log)
        if self.val_loss is not None and len(self.val_loss) != len(self.loss):
            raise ShapeError(f"{op}: loss and val_loss lengths differ: "
                             f"{len(self.loss)} and {len(self.val_loss)}")
        self.title, self.xlabel, self.ylabel = str(title), str(xlabel), str(ylabel)
        self.log = bool(log)
        self._y_axis(1.0, 0.0)  # a range too wide for floats fails here, not on .svg

    def _y_axis(self, bottom: float, top: float) -> Axis:
        values = self.loss + (self.val_loss or [])
        return Axis(min(values), max(values), bottom, top, log=self.log, pad=0.05,
                     op="LossPlot")

    def _elements(self) -> List[str]:
        frame = _Frame(72.0, 44.0, self.width - 24.0, self.height - 56.0)
        series = [("train", self.loss)]
        if self.val_loss is not None:
            series.append(("validation", self.val_loss))
        x = Axis(1.0, float(len(self.loss)), frame.left, frame.right, integer=True)
        y = self._y_axis(frame.bottom, frame.top)
        out = _axes(frame, x, y, self.xlabel, self.ylabel, grid=True)
        if self.kept is not None:
            px = x(float(self.kept))
            out.append(element("line", {"class": "kept", "x1": number(px), "y1": number(frame.top),
                                        "x2": number(px), "y2": number(frame.bottom),
                                        "stroke": "#555555", "stroke-dasharray": "4 3"}))
            out.append(_text(px + 4, frame.top + 12, f"kept epoch {self.kept}", "kept-label",
                             "start"))
        avoid = []
        for k, (name, ys) in enumerate(series):
            pixels = [(x(i + 1.0), y(v)) for i, v in enumerate(ys)]
            avoid += _along(pixels)
            points = [f"{number(px)},{number(py)}" for px, py in pixels]
            if len(ys) == 1:  # one epoch: a short dash, as a point has no length
                px, py = x(1.0), y(ys[0])
                points = [f"{number(px - 4)},{number(py)}", f"{number(px + 4)},{number(py)}"]
            out.append(element("path", {"class": f"series {name}", "d": "M" + "L".join(points),
                                    "fill": "none", "stroke": _colour(k), "stroke-width": 2,
                                    "stroke-linejoin": "round", "stroke-linecap": "round"}))
        if len(series) > 1:
            out += _legend(frame, [(name, _colour(k)) for k, (name, _) in enumerate(series)],
                           "line", avoid)
        return out

    def __repr__(self) -> str:
        return (f"LossPlot(epochs={len(self.loss)}, val_loss={self.val_loss is not None}, "
                f"log={self.log})")


class DecisionBoundaryPlot(Plot):
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
                               f"got {describe(predict_classes)}")
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
        self.bounds = [padded(min(col), max(col), 0.1, op) for col in zip(*self.x)]
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
        x = Axis(x_lo, x_hi, frame.left, frame.right)
        y = Axis(y_lo, y_hi, frame.bottom, frame.top)
        cell_w = (frame.right - frame.left) / self.resolution
        cell_h = (frame.bottom - frame.top) / self.resolution
        out = ['<g class="regions" shape-rendering="crispEdges">']
        for j, row in enumerate(self.grid):
            for start, run in _runs(row):
                out.append(element("rect", {"class": "region",
                                        "x": frame.left + start * cell_w,
                                        "y": frame.top + j * cell_h,
                                        "width": len(run) * cell_w, "height": cell_h,
                                        "fill": mix("#FFFFFF", _colour(run[0]), 0.3)}))
        out.append("</g>")
        out += _axes(frame, x, y, self.xlabel, self.ylabel)
        for (a, b), k in zip(self.x, self.labels):
            out.append(element("circle", {"class": f"point c{k}", "cx": x(a), "cy": y(b),
                                      "r": 4, "fill": _colour(k), "stroke": "#222222",
                                      "stroke-width": "0.8"}))
        if self.classes is not None:
            out += _legend(frame, [(name, _colour(k)) for k, name in enumerate(self.classes)],
                           "dot")
        return out

    def __repr__(self) -> str:
        return (f"DecisionBoundaryPlot(samples={len(self.x)}, "
                f"resolution={self.resolution}, classes={self.classes!r})")


class ConfusionMatrixPlot(Plot):
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
                out.append(element("rect", {"class": "cell", "x": cx, "y": cy, "width": cell,
                                        "height": cell, "fill": mix("#FFFFFF", PALETTE[0], t),
                                        "stroke": "white"}))
                out.append(_text(cx + cell / 2, cy + cell / 2 + 4, self._format(v), "count",
                                 fill="white" if t > 0.55 else "black"))
        for k, name in enumerate(self.classes):
            mid = k * cell + cell / 2
            out.append(_text(frame.left - 8, frame.top + mid + 4, name, "tick-label y", "end"))
            x, y = frame.left + mid, frame.bottom + 16
            if self.rotate:
                out.append(_text(x + 4, y - 8, name, "tick-label x", "end",
                                 transform=f"rotate(-90 {number(x + 4)} {number(y - 8)})"))
            else:
                out.append(_text(x, y, name, "tick-label x"))
        out += _axis_titles(frame, "predicted", "true", x_title_y=self.height - 12.0,
                            y_title_x=16.0)
        return out + self._colour_bar(top_value)

    def _colour_bar(self, top_value: float) -> List[str]:
        """A white-to-blue gradient beside the matrix, with ticks of its scale."""
        f = self.frame
        bar = _Frame(f.right + 20, f.top, f.right + 34, f.bottom)
        scale = Axis(0.0, top_value, bar.bottom, bar.top)
        out = ['<defs><linearGradient id="tinynet-cm-scale" x1="0" y1="1" x2="0" y2="0">'
               f'<stop offset="0" stop-color="#FFFFFF"/><stop offset="1" '
               f'stop-color="{PALETTE[0]}"/></linearGradient></defs>',
               element("rect", {"class": "colour-bar", "x": bar.left, "y": bar.top,
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

def _class_indices(op: str, name: str, values: Any, n: int) -> List[int]:
    """Return values as n class indices: ints >= 0 (integral floats allowed)."""
    try:
        items = list(values)
    except TypeError:
        raise TinynetError(
            f"{op}: {name} must be a list of class indices, got {describe(values)}") from None
    if len(items) != n:
        raise ShapeError(f"{op}: {name} must have {n} entries, got {len(items)}")
    out = []
    for i, v in enumerate(items):
        k = _index(v)
        if k is None or k < 0:
            raise TinynetError(f"{op}: {name}[{i}] must be a class index "
                               f"(an int >= 0), got {describe(v)}")
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
        raise TinynetError(f"{op}: classes must be a list of names, got {describe(classes)}")
    try:
        return [str(c) for c in classes]
    except TypeError:
        raise TinynetError(
            f"{op}: classes must be a list of names, got {describe(classes)}") from None


def _runs(row: List[int]) -> List[Tuple[int, List[int]]]:
    """Split row into runs of equal values: [(start, run), ...]."""
    out, start = [], 0
    for _, group in itertools.groupby(row):
        run = list(group)
        out.append((start, run))
        start += len(run)
    return out
