"""Fast forms of the convolution and pooling ops: im2col patch lists.

The readable definitions are in tinynet/conv.py; these functions take the
same arguments and return the same values (up to the order of rounding,
about 1e-15), and the tests hold them to it. FORMS registers them with the
door (tinynet.fast.door) for every shape; ``with tinynet.reference():``
turns them off.

Layout: a batch x is (n, C*H*W), one image a flat row in (C, H, W) order.
The trick is to look every window up once, by index:

- a patch (the window one output reads) is ``itemgetter(*indices)(row)``, a
  C-speed gather; the indices are worked out once per geometry and cached;
- the row is extended with ``[0.0, 1.0]``: out-of-image (padding) indices
  point at the 0.0, and one extra index per patch points at the 1.0, so the
  bias is just the last weight (the "column of ones" of im2col);
- a short sum of products (one output: a window times a filter) is
  written out in a generated comprehension (``dots_source`` shows it); a
  long one is ``math.sumprod`` (3.12+, one C call) or ``sum(map(mul, u, v))``.

Backward uses the same gathers the other way round: dW[f][k] is one long
sum of products of delta_f with the k-th column of the patches over the
whole batch; dx[q] gathers the deltas and weights of every (output, kernel
entry) pair that reads input q. No scatter loop in Python.

Pure functions on plain lists; this module imports only the standard
library, so it works stand-alone.

>>> z = conv2d([[1.0, 2.0, 3.0, 4.0]], [[[[1.0, 1.0]]]], [0.5], (1, 2, 2), (1, 1), (0, 0))
>>> z
[[3.5, 7.5]]
"""

from __future__ import annotations

import functools
import linecache
import math
import operator
from itertools import chain, repeat
from typing import Any, Callable, Dict, List, Sequence, Tuple

__all__ = ["conv2d", "conv2d_backward", "maxpool2d", "maxpool2d_backward",
           "avgpool2d", "avgpool2d_backward", "output_size", "dots_source", "FORMS"]

Matrix = List[List[float]]
Shape3 = Tuple[int, int, int]
Pair = Tuple[int, int]
_mul = operator.mul
_getitem = operator.getitem

if hasattr(math, "sumprod"):  # CPython 3.12+
    _sumprod = math.sumprod
else:
    def _sumprod(u: Sequence[float], v: Sequence[float]) -> float:
        return sum(map(_mul, u, v))


def _long_dots(w: Sequence[float], rows: Sequence[Sequence[float]]) -> List[float]:
    # [w . r for r in rows], one sumprod per row: best for long rows
    return list(map(_sumprod, repeat(w, len(rows)), rows))


# Short sums of products (a 3x3 window has 9 terms, plus the bias) are
# fastest written out: one generated comprehension per length k,
# [p0 * w0 + p1 * w1 + ... for p0, p1, ... in patches], about 2x faster than
# a sumprod call per patch on CPython 3.12 and 5x on PyPy. Longer ones call
# sumprod per patch.
WRITTEN_TERMS = 40
_DOTS: Dict[int, Callable[..., List[float]]] = {}


def dots_source(k: int) -> str:
    """Return the source of the generated kernel for k-term sums of products.

    >>> print(dots_source(2))
    def dots(w, patches):
        # [w . p for p in patches], 2 terms written out
        w0, w1, = w
        return [p0 * w0 + p1 * w1
                for p0, p1, in patches]
    """
    names = lambda prefix: "".join(f"{prefix}{i}, " for i in range(k))  # noqa: E731
    terms = " + ".join(f"p{i} * w{i}" for i in range(k))
    return (f"def dots(w, patches):\n"
            f"    # [w . p for p in patches], {k} terms written out\n"
            f"    {names('w').rstrip()} = w\n"
            f"    return [{terms}\n"
            f"            for {names('p').rstrip()} in patches]\n")


def _dots_for(k: int) -> Callable[..., List[float]]:
    # The kernel for k terms, compiled on first use and shown in tracebacks.
    if k > WRITTEN_TERMS:
        return _long_dots
    if k not in _DOTS:
        text = dots_source(k)
        filename = f"<tinynet kernel conv dots {k}>"
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        namespace: Dict[str, Any] = {}
        exec(compile(text, filename, "exec"), namespace)
        _DOTS[k] = namespace["dots"]
    return _DOTS[k]


def output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """Return the number of windows along one axis: floor((size + 2 pad - k) / s) + 1.

    >>> output_size(28, 3, 1, 0), output_size(5, 2, 2, 0), output_size(5, 3, 2, 1)
    (26, 2, 3)
    """
    return (size + 2 * padding - kernel) // stride + 1


def _gather(indices: Sequence[int]) -> Callable[[Sequence[float]], tuple]:
    # itemgetter(*indices), which returns a tuple for any number of indices
    if len(indices) == 1:
        i = indices[0]
        return lambda row: (row[i],)
    if not indices:
        return lambda row: ()
    return operator.itemgetter(*indices)


@functools.lru_cache(maxsize=64)
def _windows(shape: Shape3, kernel: Pair, stride: Pair, padding: Pair) -> Tuple[tuple, ...]:
    # For each output position (oh, ow), row-major, and each channel c: the
    # flat input indices of its window in (c, i, j) order; an index outside
    # the image (padding) is C*H*W, where the extended row holds 0.0.
    # Returns windows[p] = indices of all channels (im2col's patch p).
    channels, height, width = shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    pad = channels * height * width
    windows = []
    for oh in range(output_size(height, kh, sh, ph)):
        for ow in range(output_size(width, kw, sw, pw)):
            window = []
            for c in range(channels):
                for i in range(kh):
                    y = oh * sh - ph + i
                    for j in range(kw):
                        x = ow * sw - pw + j
                        inside = 0 <= y < height and 0 <= x < width
                        window.append((c * height + y) * width + x if inside else pad)
            windows.append(tuple(window))
    return tuple(windows)


# --- convolution -------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _conv_plan(shape: Shape3, kernel: Pair, stride: Pair, padding: Pair):
    # Patch getters (index C*H*W + 1 is the 1.0 the bias multiplies) and
    # column getters (column k of the patch matrix, over all positions).
    windows = _windows(shape, kernel, stride, padding)
    ones = shape[0] * shape[1] * shape[2] + 1
    patches = [_gather(w + (ones,)) for w in windows]
    columns = [_gather(col) for col in zip(*windows)]
    return patches, columns


def _flat_filters(weights) -> List[List[float]]:
    # (F, C, kh, kw) -> (F, C*kh*kw), (c, i, j) order as in the windows
    return [[v for channel in f for kernel_row in channel for v in kernel_row] for f in weights]


def conv2d(x: Matrix, weights, biases: Sequence[float], shape: Shape3,
           stride: Pair, padding: Pair) -> Matrix:
    """Return z (n, F*OH*OW): the convolution of every image in x, plus biases.

    z[f, oh, ow] = b[f] + sum_{c,i,j} w[f][c][i][j] x[c, oh*sh - ph + i, ow*sw - pw + j]

    >>> conv2d([[1.0, 2.0, 3.0, 4.0]], [[[[1.0], [-1.0]]]], [0.0], (1, 2, 2), (1, 1), (0, 0))
    [[-2.0, -2.0]]
    """
    kernel = (len(weights[0][0]), len(weights[0][0][0]))
    patches_of, _ = _conv_plan(tuple(shape), kernel, tuple(stride), tuple(padding))
    filters = [w + [b] for w, b in zip(_flat_filters(weights), biases)]  # (F, K + 1)
    dots = _dots_for(len(filters[0]))
    z = []
    for row in x:
        extended = row + [0.0, 1.0]   # padding reads 0.0, the bias column 1.0
        patches = [g(extended) for g in patches_of]          # (P, K + 1)
        z.append(list(chain.from_iterable(dots(w, patches) for w in filters)))  # (F*P,)
    return z


@functools.lru_cache(maxsize=64)
def _input_plan(shape: Shape3, kernel: Pair, stride: Pair, padding: Pair, filters: int):
    # For each input index q: the deltas (f*P + p) and flat weights
    # (f*K + k) of every output p and kernel entry k that read q.
    windows = _windows(shape, kernel, stride, padding)
    n_in, positions, k_size = shape[0] * shape[1] * shape[2], len(windows), len(windows[0])
    readers: List[List[Pair]] = [[] for _ in range(n_in)]
    for p, window in enumerate(windows):
        for k, q in enumerate(window):
            if q < n_in:
                readers[q].append((p, k))
    delta_getters, weight_indices = [], []
    for pairs in readers:
        delta_getters.append(_gather([f * positions + p for f in range(filters) for p, _ in pairs]))
        weight_indices.append([f * k_size + k for f in range(filters) for _, k in pairs])
    return delta_getters, weight_indices


def conv2d_backward(x: Matrix, weights, delta: Matrix, shape: Shape3, stride: Pair,
                    padding: Pair, input_grad: bool = True):
    """Return (dx or None, dW, db) given delta = dL/dz, (n, F*OH*OW).

    dW[f][c][i][j] = sum over samples and positions of delta[f, p] x[window_p(c, i, j)],
    db[f] = sum of delta[f, p], dx[q] = sum of delta[f, p] w[f][k] over the
    (p, k) that read q.

    >>> conv2d_backward([[1.0, 2.0]], [[[[1.0, 1.0]]]], [[1.0]], (1, 1, 2), (1, 1), (0, 0))
    ([[1.0, 1.0]], [[[[1.0, 2.0]]]], [1.0])
    """
    filters, channels = len(weights), len(weights[0])
    kh, kw = len(weights[0][0]), len(weights[0][0][0])
    geometry = (tuple(shape), (kh, kw), tuple(stride), tuple(padding))
    _, columns_of = _conv_plan(*geometry)
    positions = len(delta[0]) // filters
    extended = [row + [0.0, 1.0] for row in x]
    columns = [list(chain.from_iterable(map(g, extended))) for g in columns_of]  # (K, n*P)
    d_weights, d_biases = [], []
    for f in range(filters):
        lo, hi = f * positions, (f + 1) * positions
        delta_f = list(chain.from_iterable(row[lo:hi] for row in delta))        # (n*P,)
        d_weights.append(_unflatten(_long_dots(delta_f, columns), channels, kh, kw))
        d_biases.append(sum(delta_f))
    if not input_grad:
        return None, d_weights, d_biases
    delta_getters, weight_indices = _input_plan(*geometry, filters)
    flat = list(chain.from_iterable(_flat_filters(weights)))                  # (F*K,)
    weights_of_q = [tuple(flat[i] for i in idx) for idx in weight_indices]
    dx = [list(map(_sumprod, [g(row) for g in delta_getters], weights_of_q)) for row in delta]
    return dx, d_weights, d_biases


def _unflatten(values: Sequence[float], channels: int, kh: int, kw: int):
    # (C*kh*kw,) -> (C, kh, kw)
    return [[list(values[(c * kh + i) * kw:(c * kh + i + 1) * kw]) for i in range(kh)]
            for c in range(channels)]


# --- pooling -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _pool_plan(shape: Shape3, size: int, stride: int):
    # One window per (c, oh, ow), in the output's (C, OH, OW) order.
    channels, height, width = shape
    per_channel = _windows((1, height, width), (size, size), (stride, stride), (0, 0))
    windows = [tuple(c * height * width + q for q in w)
               for c in range(channels) for w in per_channel]
    return windows, [_gather(w) for w in windows]


def maxpool2d(x: Matrix, shape: Shape3, size: int, stride: int) -> Tuple[Matrix, Matrix]:
    """Return (out, switches): each window's max and the flat input index it came from.

    A tie goes to the first max in the window, row-major (list.index finds it).

    >>> maxpool2d([[1.0, 5.0, 5.0, 2.0]], (1, 2, 2), 2, 2)
    ([[5.0]], [[1]])
    """
    windows, getters = _pool_plan(tuple(shape), size, stride)
    out, switches = [], []
    for row in x:
        values = [g(row) for g in getters]                     # (C*OH*OW, size^2)
        maxima = list(map(max, values))
        out.append(maxima)
        # the window's index of its max, then the input's: all in C
        switches.append(list(map(_getitem, windows, map(tuple.index, values, maxima))))
    return out, switches


def maxpool2d_backward(switches: Matrix, delta: Matrix, n_in: int) -> Matrix:
    """Return dx: each window's delta goes to the input its max came from.

    >>> maxpool2d_backward([[1]], [[0.5]], 4)
    [[0.0, 0.5, 0.0, 0.0]]
    """
    dx = []
    for chosen, d in zip(switches, delta):
        row = [0.0] * n_in
        for q, g in zip(chosen, d):
            row[q] += g
        dx.append(row)
    return dx


def avgpool2d(x: Matrix, shape: Shape3, size: int, stride: int) -> Matrix:
    """Return each window's mean, (n, C*OH*OW).

    >>> avgpool2d([[1.0, 5.0, 5.0, 2.0]], (1, 2, 2), 2, 2)
    [[3.25]]
    """
    _, getters = _pool_plan(tuple(shape), size, stride)
    area = float(size * size)
    return [[sum(g(row)) / area for g in getters] for row in x]


@functools.lru_cache(maxsize=64)
def _avg_input_plan(shape: Shape3, size: int, stride: int):
    windows, _ = _pool_plan(shape, size, stride)
    readers: List[List[int]] = [[] for _ in range(shape[0] * shape[1] * shape[2])]
    for p, window in enumerate(windows):
        for q in window:
            readers[q].append(p)
    return [_gather(r) for r in readers]


def avgpool2d_backward(delta: Matrix, shape: Shape3, size: int, stride: int) -> Matrix:
    """Return dx: every input gets delta / size^2 from each window that holds it.

    >>> avgpool2d_backward([[4.0]], (1, 2, 2), 2, 2)
    [[1.0, 1.0, 1.0, 1.0]]
    """
    getters = _avg_input_plan(tuple(shape), size, stride)
    area = float(size * size)
    return [[sum(g(d)) / area for g in getters] for d in delta]


# --- the door's table: op name -> chooser(*shape), the same fast form for every shape ------

def _always(form: Callable[..., Any]) -> Callable[..., Callable[..., Any]]:
    return lambda *shape: form


FORMS: Dict[str, Callable[..., Any]] = {
    f.__name__: _always(f) for f in (conv2d, conv2d_backward, maxpool2d, maxpool2d_backward,
                                     avgpool2d, avgpool2d_backward)
}
