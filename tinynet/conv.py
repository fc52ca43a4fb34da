"""Convolution and pooling layers: Conv2D, MaxPool2D, AvgPool2D.

Rows stay samples. An image is one flat row in (channels, height, width)
order, PyTorch's ``x.view(n, -1)``: pixel (c, y, x) of a C x H x W image is
entry (c H + y) W + x. So a batch x is (n, C*H*W), a Dense layer can follow a
pooling layer directly, and CSV rows of pixels feed straight in.

A convolution is a sum of products, one for every output position: filter f
laid over the window of the input that starts at (oh*stride, ow*stride),

    z[f, oh, ow] = b[f] + sum over c, i, j of w[f][c][i][j] x[c, oh*s - pad + i, ow*s - pad + j]

with zeros read outside the image (the padding). Pooling keeps the max (or
the mean) of each size x size window. Output sizes round down, as PyTorch's
do: a row or column that does not fill a window is dropped.

Shapes: weights (filters, channels, kh, kw), biases (filters,);
in_shape (C, H, W) -> out_shape (filters, OH, OW) with
OH = floor((H + 2 pad - kh) / stride) + 1.

>>> conv = Conv2D((1, 3, 3), 1, 2, activation="identity")
>>> conv.weights = [[[[1.0, 0.0], [0.0, -1.0]]]]   # x[y][x] - x[y+1][x+1]
>>> conv.out_shape
(1, 2, 2)
>>> conv.forward([[1.0, 2.0, 3.0,
...                4.0, 5.0, 6.0,
...                7.0, 8.0, 9.0]])
[[-4.0, -4.0, -4.0, -4.0]]

This module holds the plain reference forms, written to be read, and hands
each to the backend door (``define``). The layers call the door's
``ops.conv2d`` and friends, which run the fast forms in tinynet/fast/conv.py
(im2col patch lists and written-out sums of products: the same numbers to
~1e-15), or these loops inside ``with tinynet.reference():``.
"""

from __future__ import annotations

import math
import random
from itertools import product
from typing import Any, Dict, Optional, Sequence, Tuple

from . import activations
from .checks import describe, positive_int, rng as make_rng
from .errors import ShapeError, TinynetError
from .fast import define, ops
from .fast.conv import output_size
from .layers import INITS, Layer, default_init
from .matrix import Matrix

__all__ = ["Conv2D", "MaxPool2D", "AvgPool2D", "conv2d", "conv2d_backward",
           "maxpool2d", "maxpool2d_backward", "avgpool2d", "avgpool2d_backward",
           "output_size"]

Shape3 = Tuple[int, int, int]
Pair = Tuple[int, int]


# --- reference forms: the math, loop by loop ---------------------------------------------

def _pixel(row: Sequence[float], shape: Shape3, c: int, y: int, x: int) -> float:
    # x[c, y, x] of the flat image row, 0.0 outside the image (padding)
    channels, height, width = shape
    if 0 <= y < height and 0 <= x < width:
        return row[(c * height + y) * width + x]
    return 0.0


def _conv_geometry(weights, shape: Shape3, stride: Pair, padding: Pair):
    # (F, C, kh, kw, OH, OW) of a convolution
    filters, kh, kw = len(weights), len(weights[0][0]), len(weights[0][0][0])
    oh = output_size(shape[1], kh, stride[0], padding[0])
    ow = output_size(shape[2], kw, stride[1], padding[1])
    return filters, shape[0], kh, kw, oh, ow


def conv2d(x: Matrix, weights, biases: Sequence[float], shape: Shape3,
           stride: Pair, padding: Pair) -> Matrix:
    """Return z (n, F*OH*OW): filter f's sum of products with every window, plus b[f].

    z[f, oh, ow] = b[f] + sum_{c,i,j} w[f][c][i][j] x[c, oh*sh - ph + i, ow*sw - pw + j]

    >>> conv2d([[1.0, 2.0, 3.0, 4.0]], [[[[1.0, 1.0]]]], [0.5], (1, 2, 2), (1, 1), (0, 0))
    [[3.5, 7.5]]
    """
    filters, channels, kh, kw, oh_size, ow_size = _conv_geometry(weights, shape, stride, padding)
    (sh, sw), (ph, pw) = stride, padding
    z = []
    for row in x:
        z.append([biases[f] + sum(weights[f][c][i][j]
                                  * _pixel(row, shape, c, oh * sh - ph + i, ow * sw - pw + j)
                                  for c, i, j in product(range(channels), range(kh), range(kw)))
                  for f, oh, ow in product(range(filters), range(oh_size), range(ow_size))])
    return z  # (n, F*OH*OW), in (f, oh, ow) order


def conv2d_backward(x: Matrix, weights, delta: Matrix, shape: Shape3, stride: Pair,
                    padding: Pair, input_grad: bool = True):
    """Return (dx or None, dW, db) given delta = dL/dz, (n, F*OH*OW).

    Each product w[f][c][i][j] * x[q] in z[f, oh, ow] passes the output's
    delta on: dW[f][c][i][j] += delta * x[q] and dx[q] += delta * w[f][c][i][j];
    db[f] += delta. Padding reads no input, so it passes nothing on.

    >>> conv2d_backward([[1.0, 2.0]], [[[[1.0, 1.0]]]], [[1.0]], (1, 1, 2), (1, 1), (0, 0))
    ([[1.0, 1.0]], [[[[1.0, 2.0]]]], [1.0])
    """
    filters, channels, kh, kw, oh_size, ow_size = _conv_geometry(weights, shape, stride, padding)
    (sh, sw), (ph, pw) = stride, padding
    _, height, width = shape
    d_weights = [[[[0.0] * kw for _ in range(kh)] for _ in range(channels)] for _ in range(filters)]
    d_biases = [0.0] * filters
    dx = [[0.0] * len(row) for row in x] if input_grad else None
    for n, (row, d_row) in enumerate(zip(x, delta)):
        outputs = product(range(filters), range(oh_size), range(ow_size))
        for (f, oh, ow), d in zip(outputs, d_row):
            d_biases[f] += d
            for c, i, j in product(range(channels), range(kh), range(kw)):
                y, x_ = oh * sh - ph + i, ow * sw - pw + j
                if 0 <= y < height and 0 <= x_ < width:
                    q = (c * height + y) * width + x_
                    d_weights[f][c][i][j] += d * row[q]      # dz/dw = the input under it
                    if dx is not None:
                        dx[n][q] += d * weights[f][c][i][j]  # dz/dx = the weight over it
    return dx, d_weights, d_biases


def _pool_windows(shape: Shape3, size: int, stride: int):
    # For every output (c, oh, ow), in that order: the flat indices of its
    # size x size window, row-major.
    channels, height, width = shape
    oh_size, ow_size = output_size(height, size, stride, 0), output_size(width, size, stride, 0)
    for c, oh, ow in product(range(channels), range(oh_size), range(ow_size)):
        yield [(c * height + oh * stride + i) * width + ow * stride + j
               for i, j in product(range(size), range(size))]


def maxpool2d(x: Matrix, shape: Shape3, size: int, stride: int) -> Tuple[Matrix, Matrix]:
    """Return (out, switches): each window's max, and the flat index of the input it came from.

    Ties: the first max in the window, row-major, is the one chosen (and the
    one that gets the gradient).

    >>> maxpool2d([[1.0, 5.0, 5.0, 2.0]], (1, 2, 2), 2, 2)
    ([[5.0]], [[1]])
    """
    out, switches = [], []
    for row in x:
        maxima, chosen = [], []
        for window in _pool_windows(shape, size, stride):
            best = window[0]
            for q in window[1:]:
                if row[q] > row[best]:   # strictly greater: the first max stays
                    best = q
            maxima.append(row[best])
            chosen.append(best)
        out.append(maxima)
        switches.append(chosen)
    return out, switches


def maxpool2d_backward(switches: Matrix, delta: Matrix, n_in: int) -> Matrix:
    """Return dx: a window's max is the only input it depends on, so that
    input gets the window's delta; every other input gets 0.

    >>> maxpool2d_backward([[1]], [[0.5]], 4)
    [[0.0, 0.5, 0.0, 0.0]]
    """
    dx = [[0.0] * n_in for _ in delta]
    for dx_row, chosen, d_row in zip(dx, switches, delta):
        for q, d in zip(chosen, d_row):
            dx_row[q] += d   # += : overlapping windows can pick the same input
    return dx


def avgpool2d(x: Matrix, shape: Shape3, size: int, stride: int) -> Matrix:
    """Return each window's mean, (n, C*OH*OW).

    >>> avgpool2d([[1.0, 5.0, 5.0, 2.0]], (1, 2, 2), 2, 2)
    [[3.25]]
    """
    return [[sum(row[q] for q in window) / (size * size)
             for window in _pool_windows(shape, size, stride)] for row in x]


def avgpool2d_backward(delta: Matrix, shape: Shape3, size: int, stride: int) -> Matrix:
    """Return dx: each input in a window gets delta / size^2 from it.

    >>> avgpool2d_backward([[4.0]], (1, 2, 2), 2, 2)
    [[1.0, 1.0, 1.0, 1.0]]
    """
    n_in = shape[0] * shape[1] * shape[2]
    dx = [[0.0] * n_in for _ in delta]
    for dx_row, d_row in zip(dx, delta):
        for window, d in zip(_pool_windows(shape, size, stride), d_row):
            for q in window:
                dx_row[q] += d / (size * size)
    return dx


# The door: the layers call ops.conv2d(...) and so on; tinynet.fast.conv
# registers the fast forms, `with tinynet.reference():` runs the loops above.
# The shape expression only keys the door's cache: one form fits every shape.
define("conv2d", conv2d, "len(weights)")
define("conv2d_backward", conv2d_backward, "len(weights)")
define("maxpool2d", maxpool2d, "size")
define("maxpool2d_backward", maxpool2d_backward, "n_in")
define("avgpool2d", avgpool2d, "size")
define("avgpool2d_backward", avgpool2d_backward, "size")


# --- argument checks ---------------------------------------------------------------------

def _in_shape(op: str, value: Any) -> Optional[Shape3]:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TinynetError(f"{op}: in_shape must be (channels, height, width), "
                           f"got {describe(value)}")
    return tuple(positive_int(op, "in_shape", v) for v in value)


def _pair(op: str, name: str, value: Any, smallest: int = 1) -> Pair:
    # An int n means (n, n).
    pair = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if (isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= smallest
                       for v in pair)):
        raise TinynetError(f"{op}: {name} must be an integer >= {smallest} or a pair of them, "
                           f"got {describe(value)}")
    return tuple(pair)


def _fits(op: str, what: str, shape: Shape3, kernel: Pair, stride: Pair, padding: Pair):
    # (OH, OW), or an error naming the sizes that do not fit
    oh = output_size(shape[1], kernel[0], stride[0], padding[0])
    ow = output_size(shape[2], kernel[1], stride[1], padding[1])
    if oh < 1 or ow < 1:
        raise ShapeError(f"{op}: the {what} {kernel[0]}x{kernel[1]} does not fit the "
                         f"{shape[1]}x{shape[2]} input with padding {padding[0]}x{padding[1]}")
    return oh, ow


def kernel_weights(shape: Tuple[int, int, int, int], init: str, rng: random.Random):
    """Return nested (filters, channels, kh, kw) weights drawn by the named scheme.

    fan_in = channels kh kw (the products one output sums), fan_out = filters kh kw:
    "he" draws N(0, 2 / fan_in), "xavier" U[-l, l] with l = sqrt(6 / (fan_in + fan_out)),
    "uniform" U[0, 1) (as tinynet.layers.init_weights does for Dense).

    >>> w = kernel_weights((2, 1, 3, 3), "he", random.Random(0))
    >>> len(w), len(w[0]), len(w[0][0]), len(w[0][0][0])
    (2, 1, 3, 3)

    Raises TinynetError for an unknown scheme.
    """
    filters, channels, kh, kw = shape
    fan_in, fan_out = channels * kh * kw, filters * kh * kw
    if init == "he":
        draw = lambda: rng.gauss(0.0, math.sqrt(2.0 / fan_in))  # noqa: E731
    elif init == "xavier":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        draw = lambda: rng.uniform(-limit, limit)  # noqa: E731
    elif init == "uniform":
        draw = rng.random
    else:
        raise TinynetError(f"init: unknown scheme {init!r}; valid schemes: {', '.join(INITS)}")
    return [[[[draw() for _ in range(kw)] for _ in range(kh)] for _ in range(channels)]
            for _ in range(filters)]


# --- the layers --------------------------------------------------------------------------

class _ImageLayer(Layer):
    """What the image layers share: shapes, build, the input check."""

    @property
    def n_in(self) -> Optional[int]:
        """The flat input width C*H*W (None until built)."""
        return None if self.in_shape is None else math.prod(self.in_shape)

    @property
    def n_out(self) -> Optional[int]:
        """The flat output width (None until built)."""
        return None if self.out_shape is None else math.prod(self.out_shape)

    def _check_input(self, x: Matrix) -> None:
        name = type(self).__name__
        if self.in_shape is None:
            raise TinynetError(f"{name}: in_shape is not set; give it, or put the layer "
                               f"after another one in a Network")
        if not x or len(x[0]) != self.n_in:
            got = len(x[0]) if x else 0
            raise ShapeError(f"{name}: x rows must have {self.n_in} values "
                             f"(in_shape {self.in_shape}), got {got}")


class Conv2D(_ImageLayer):
    """A 2-D convolution layer: a = f(conv(x, weights) + biases).

    Shapes: x (n, C*H*W) -> (n, filters*OH*OW); weights (filters, C, kh, kw),
    biases (filters,). ``kernel_size``, ``stride`` and ``padding`` take an
    int or a pair (rows, columns). ``in_shape`` (C, H, W) may be None: a
    Network then calls build() with the previous layer's out_shape.

    >>> Conv2D((1, 28, 28), 8, 3, seed=0).out_shape
    (8, 26, 26)
    >>> Conv2D((3, 32, 32), 16, 5, stride=2, padding=2, seed=0).out_shape
    (16, 16, 16)

    Raises TinynetError for a bad shape, size, stride, padding, activation or
    initialisation, or a kernel that does not fit the input.
    """

    params = ("weights", "biases")
    decay = ("weights",)

    def __init__(self, in_shape: Optional[Sequence[int]], filters: int, kernel_size: Any,
                 stride: Any = 1, padding: Any = 0, activation: str = "relu",
                 init: Optional[str] = None, seed: Optional[int] = None):
        op = "Conv2D"
        self.filters = positive_int(op, "filters", filters)
        self.kernel_size = _pair(op, "kernel_size", kernel_size)
        self.stride = _pair(op, "stride", stride)
        self.padding = _pair(op, "padding", padding, smallest=0)
        self.activation = activations.get(activation)
        self.init = init if init is not None else default_init(self.activation.name)
        if self.init not in INITS:
            raise TinynetError(f"{op}: unknown init {self.init!r}; valid schemes: {', '.join(INITS)}")
        self.rng = make_rng(op, seed)
        self.weights: Any = None
        self.biases: Any = None
        self.grads: Dict[str, Any] = {}
        self.input: Optional[Matrix] = None
        self.output: Optional[Matrix] = None
        if in_shape is not None:
            self.build(in_shape)

    def build(self, in_shape: Sequence[int]) -> None:
        """Set in_shape and out_shape and draw the weights."""
        shape = _in_shape("Conv2D", in_shape)
        oh, ow = _fits("Conv2D", "kernel", shape, self.kernel_size, self.stride, self.padding)
        self.in_shape, self.out_shape = shape, (self.filters, oh, ow)
        self.weights = kernel_weights((self.filters, shape[0]) + self.kernel_size,
                                      self.init, self.rng)
        self.biases = [0.0] * self.filters

    def config(self) -> Dict[str, Any]:
        """Return the constructor's arguments, JSON-ready (no parameters)."""
        return {"in_shape": None if self.in_shape is None else list(self.in_shape),
                "filters": self.filters, "kernel_size": list(self.kernel_size),
                "stride": list(self.stride), "padding": list(self.padding),
                "activation": self.activation.name, "init": self.init}

    def forward(self, x: Matrix) -> Matrix:
        """Return f(conv(x) + b) and remember x and the output."""
        self._check_input(x)
        self.input = x
        # ops.conv2d: the im2col form of tinynet/fast/conv.py; conv2d above
        # inside `with tinynet.reference():`
        z = ops.conv2d(x, self.weights, self.biases, self.in_shape, self.stride,
                       self.padding)  # (n, C*H*W) -> (n, F*OH*OW)
        self.output = self.activation.forward(z)
        return self.output

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Store the gradients and return dLoss/dx, given delta = dLoss/da.

        dz = delta * f'(z), entry by entry, then see backward_linear.
        """
        return self.backward_linear(self.activation.backward(self.output, delta), input_grad)

    def backward_linear(self, delta_z: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Like backward, but delta_z is already dLoss/dz; see conv2d_backward."""
        dx, d_weights, d_biases = ops.conv2d_backward(
            self.input, self.weights, delta_z, self.in_shape, self.stride, self.padding,
            input_grad)  # (n, F*OH*OW) -> (n, C*H*W), (F, C, kh, kw), (F,)
        self.grads = {"weights": d_weights, "biases": d_biases}
        return dx

    def __repr__(self) -> str:
        return (f"Conv2D({self.in_shape}, {self.filters}, {self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, "
                f"activation={self.activation.name!r})")


class _Pool2D(_ImageLayer):
    """Pooling over size x size windows, stride defaults to size."""

    def __init__(self, in_shape: Optional[Sequence[int]] = None, size: int = 2,
                 stride: Optional[int] = None):
        op = type(self).__name__
        self.size = positive_int(op, "size", size)
        self.stride = self.size if stride is None else positive_int(op, "stride", stride)
        self.grads: Dict[str, Any] = {}
        if in_shape is not None:
            self.build(in_shape)

    def build(self, in_shape: Sequence[int]) -> None:
        """Set in_shape and out_shape: (C, H, W) -> (C, floor((H - size) / stride) + 1, ...)."""
        op = type(self).__name__
        shape = _in_shape(op, in_shape)
        window, stride = (self.size, self.size), (self.stride, self.stride)
        oh, ow = _fits(op, "window", shape, window, stride, (0, 0))
        self.in_shape, self.out_shape = shape, (shape[0], oh, ow)

    def config(self) -> Dict[str, Any]:
        """Return the constructor's arguments, JSON-ready."""
        return {"in_shape": None if self.in_shape is None else list(self.in_shape),
                "size": self.size, "stride": self.stride}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_shape}, size={self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    """Max pooling: each size x size window (stride defaults to size) keeps its max.

    Only the max depends on its window, so backward sends each window's
    delta to the input that held the max. Ties go to the first max in the
    window, row-major. A row or column that does not fill a window is dropped.

    >>> pool = MaxPool2D((1, 2, 4))
    >>> pool.out_shape, pool.forward([[1.0, 2.0, 3.0, 0.0,
    ...                                5.0, 0.0, 1.0, 1.0]])
    ((1, 1, 2), [[5.0, 3.0]])
    >>> pool.backward([[10.0, 20.0]])
    [[0.0, 0.0, 20.0, 0.0, 10.0, 0.0, 0.0, 0.0]]
    >>> MaxPool2D((1, 5, 5)).out_shape   # floor: the fifth row and column are dropped
    (1, 2, 2)

    Raises TinynetError for a bad shape, size or stride, or a window larger
    than the input.
    """

    def forward(self, x: Matrix) -> Matrix:
        """Return each window's max and remember where it came from."""
        self._check_input(x)
        out, self.switches = ops.maxpool2d(x, self.in_shape, self.size, self.stride)
        return out  # (n, C*H*W) -> (n, C*OH*OW)

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Return dLoss/dx: each window's delta, at the input its max came from."""
        self.grads = {}
        if not input_grad:
            return None
        return ops.maxpool2d_backward(self.switches, delta, self.n_in)  # -> (n, C*H*W)


class AvgPool2D(_Pool2D):
    """Average pooling: each size x size window (stride defaults to size) keeps its mean.

    >>> pool = AvgPool2D((1, 2, 2))
    >>> pool.forward([[1.0, 2.0, 3.0, 6.0]]), pool.backward([[8.0]])
    ([[3.0]], [[2.0, 2.0, 2.0, 2.0]])

    Raises TinynetError for a bad shape, size or stride, or a window larger
    than the input.
    """

    def forward(self, x: Matrix) -> Matrix:
        """Return each window's mean."""
        self._check_input(x)
        return ops.avgpool2d(x, self.in_shape, self.size, self.stride)  # -> (n, C*OH*OW)

    def backward(self, delta: Matrix, input_grad: bool = True) -> Optional[Matrix]:
        """Return dLoss/dx: every input of a window gets delta / size^2 of it."""
        self.grads = {}
        if not input_grad:
            return None
        return ops.avgpool2d_backward(delta, self.in_shape, self.size, self.stride)
