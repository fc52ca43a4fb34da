"""Pictures of a convolution network: its learned filters, and one image's feature maps.

=================================  ==============================================
name                               draws
=================================  ==============================================
FilterPlot(conv)                   every filter of a Conv2D: a column per filter,
                                   a kh x kw grid per input channel; blue < 0 < orange
FeatureMapPlot(layers, image)      the image, then what each image layer makes
                                   of it: one small map per channel
=================================  ==============================================

Both are tinynet.plot.svg.Plot figures: ``.svg``, ``.save(path)`` and
``_repr_svg_`` for Jupyter. A weight, a pixel or a map value is one
``<rect>``; its class says which (``weight``, ``pixel``).

>>> from tinynet.conv import Conv2D
>>> conv = Conv2D((1, 4, 4), 2, 3, seed=0)
>>> FilterPlot(conv).svg.count('class="weight"')     # 2 filters x 3 x 3
18
>>> FeatureMapPlot([conv], [0.5] * 16).svg.count('class="pixel"')   # 16 + 2 x 2 x 2
24
"""

from __future__ import annotations

import math
from typing import Any, List, Sequence, Tuple

from ..checks import describe
from ..errors import ShapeError, TinynetError
from ..matrix import as_matrix
from .svg import PALETTE, Plot, element, mix

__all__ = ["FilterPlot", "FeatureMapPlot"]

NEGATIVE, ZERO, POSITIVE = PALETTE[0], "#FFFFFF", PALETTE[3]   # blue, white, vermillion
LABEL_W = 150.0    # the left margin, for the row labels
TOP = 70.0         # the top margin: the title and the column labels
MAX_WIDTH = 960.0  # the figures shrink their pixels to stay within this width


def _diverging(v: float, limit: float) -> str:
    # -limit -> blue, 0 -> white, +limit -> orange
    t = max(-1.0, min(1.0, v / limit)) if limit else 0.0
    return mix(ZERO, POSITIVE, t) if t >= 0 else mix(ZERO, NEGATIVE, -t)


def _grid(values: Sequence[float], width: int, x: float, y: float, size: float,
          colour, cls: str) -> List[str]:
    # One <rect> per value of a flat (height x width) map, top-left at (x, y).
    return [element("rect", {"class": cls, "x": x + (k % width) * size,
                             "y": y + (k // width) * size, "width": size, "height": size,
                             "fill": colour(v)})
            for k, v in enumerate(values)]


def _frame(x: float, y: float, width: float, height: float) -> str:
    # A thin grey outline around one grid, so that white (0) edges still show.
    return element("rect", {"class": "frame", "x": x - 0.5, "y": y - 0.5, "width": width + 1,
                            "height": height + 1, "fill": "none", "stroke": "#999999",
                            "stroke-width": 0.5})


def _label(x: float, y: float, text: str, cls: str = "row-label", anchor: str = "start") -> str:
    return element("text", {"x": x, "y": y, "class": cls, "text-anchor": anchor}, text)


class FilterPlot(Plot):
    """The filters of a convolution layer, as heat maps.

    One column per filter, one row per input channel: each cell a kh x kw
    grid of weights. All grids share one colour scale, symmetric about 0:
    blue for negative weights, white for 0, orange for positive, the
    strongest at the largest |weight|.

    >>> from tinynet.conv import Conv2D
    >>> FilterPlot(Conv2D((3, 8, 8), 4, 5, seed=0))
    FilterPlot(filters=4, channels=3, kernel=(5, 5))

    Raises TinynetError for a layer without 4-D weights (filters, channels, kh, kw).
    """

    def __init__(self, conv: Any, *, title: str = "Learned filters"):
        w = getattr(conv, "weights", None)
        try:
            self.shape = (len(w), len(w[0]), len(w[0][0]), len(w[0][0][0]))
            self.weights = [[[float(v) for row in kernel for v in row] for kernel in f] for f in w]
        except (TypeError, IndexError, ValueError):
            raise TinynetError(f"FilterPlot: needs a convolution layer with weights "
                               f"(filters, channels, kh, kw), got {describe(conv)}") from None
        self.title = str(title)
        filters, channels, kh, kw = self.shape
        self.limit = max(abs(v) for f in self.weights for kernel in f for v in kernel)
        self.size = max(3.0, min(24.0, (MAX_WIDTH - LABEL_W) / (filters * (kw + 1))))
        self.width = int(math.ceil(LABEL_W + filters * (kw + 1) * self.size + 20))
        self.height = int(math.ceil(TOP + channels * (kh + 1) * self.size + 20))

    def _elements(self) -> List[str]:
        filters, channels, kh, kw = self.shape
        size = self.size
        out = [_label(LABEL_W + (f + 0.5) * (kw + 1) * size - size / 2, TOP - 8, str(f),
                      "column-label", "middle") for f in range(filters)]
        out.append(_label(12, TOP - 8, "filter", "column-label"))
        for c in range(channels):
            y = TOP + c * (kh + 1) * size
            out.append(_label(12, y + kh * size / 2 + 4, f"channel {c}"))
            for f, kernels in enumerate(self.weights):
                x = LABEL_W + f * (kw + 1) * size
                out += _grid(kernels[c], kw, x, y, size,
                             lambda v: _diverging(v, self.limit), "weight")
                out.append(_frame(x, y, kw * size, kh * size))
        return out

    def __repr__(self) -> str:
        filters, channels, kh, kw = self.shape
        return f"FilterPlot(filters={filters}, channels={channels}, kernel={(kh, kw)})"


class FeatureMapPlot(Plot):
    """One image, then the feature maps each image layer makes of it.

    ``layers`` is a Network or a list of layers; the image (one flat row)
    goes forward through them in turn, and every layer whose out_shape is
    (channels, height, width) adds a row of maps, up to the first layer
    that is not an image layer. The image is drawn in grey (white = its
    lowest value), each row of maps with one shared scale, white for 0.

    >>> from tinynet.conv import Conv2D, MaxPool2D
    >>> conv = Conv2D((1, 6, 6), 3, 3, seed=0)
    >>> FeatureMapPlot([conv, MaxPool2D(conv.out_shape)], [0.1 * i for i in range(36)])
    FeatureMapPlot(rows=['input 1x6x6', 'Conv2D 3x4x4', 'MaxPool2D 3x2x2'])

    Raises TinynetError for an image that is not one row of the first
    layer's width, or no image layer to start with.
    """

    def __init__(self, layers: Any, image: Sequence[float], *, title: str = "Feature maps"):
        op = "FeatureMapPlot"
        layers = list(getattr(layers, "layers", layers))
        shape = getattr(layers[0], "in_shape", None) if layers else None
        if not shape or len(shape) != 3:
            raise TinynetError(f"{op}: the first layer must take images (an in_shape "
                               f"of (channels, height, width)), got {describe(layers[:1])}")
        row = as_matrix([image], op=f"{op}: image")
        if len(row[0]) != math.prod(shape):
            raise ShapeError(f"{op}: the image must have {math.prod(shape)} values "
                             f"(in_shape {tuple(shape)}), got {len(row[0])}")
        self.rows: List[Tuple[str, Tuple[int, int, int], List[float]]] = [
            (f"input {'x'.join(map(str, shape))}", tuple(shape), row[0])]
        for layer in layers:
            out_shape = getattr(layer, "out_shape", None)
            if out_shape is None or len(out_shape) != 3:
                break
            row = layer.forward(row)
            name = f"{type(layer).__name__} {'x'.join(map(str, out_shape))}"
            self.rows.append((name, tuple(out_shape), row[0]))
        self.title = str(title)
        widest = max(c * (w + 1) for _, (c, _, w), _ in self.rows)
        self.size = max(1.0, min(12.0, (MAX_WIDTH - LABEL_W) / widest))
        self.width = int(math.ceil(LABEL_W + widest * self.size + 20))
        self.height = int(math.ceil(TOP + sum((h + 2) * self.size + 8
                                              for _, (_, h, _), _ in self.rows)))

    def _elements(self) -> List[str]:
        out, y = [], TOP
        for k, (name, (channels, height, width), values) in enumerate(self.rows):
            out.append(_label(12, y + height * self.size / 2 + 4, name))
            if k == 0:
                lo, hi = min(values), max(values)
                colour = lambda v, lo=lo, hi=hi: mix(ZERO, "#000000",  # noqa: E731
                                                     (v - lo) / (hi - lo) if hi > lo else 0.0)
            else:
                limit = max(abs(v) for v in values)
                colour = lambda v, limit=limit: _diverging(v, limit)  # noqa: E731
            area = height * width
            for c in range(channels):
                x = LABEL_W + c * (width + 1) * self.size
                out += _grid(values[c * area:(c + 1) * area], width, x, y, self.size,
                             colour, "pixel")
                out.append(_frame(x, y, width * self.size, height * self.size))
            y += (height + 2) * self.size + 8
        return out

    def __repr__(self) -> str:
        return f"FeatureMapPlot(rows={[name for name, _, _ in self.rows]!r})"
