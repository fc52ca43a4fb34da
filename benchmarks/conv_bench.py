"""Benchmark a convolution network's gradient pass: tinynet against plain Python and NumPy.

The task (issue 13): a batch of 32 28x28 one-channel images through
conv (8 filters, 3x3) -> relu -> maxpool 2 -> dense 10 (softmax,
cross-entropy), forward and backward, every parameter's gradient. Candidates:

- tinynet: Network.gradients on Conv2D, MaxPool2D, Dense (the fast forms);
- tinynet reference: the same inside ``with tinynet.reference():`` (the loops);
- im2col + sumprod: a plain pure-Python im2col written the obvious way
  (a patch list per image, one math.sumprod, or sum(map(mul)), per output);
- textbook loops: the same network as nested loops, no im2col;
- NumPy: im2col with an index array, then matrix products.

All five must give the same gradients (checked first, to 1e-9), then each is
timed: the median of REPEATS runs of one whole pass.

    python benchmarks/conv_bench.py            # a minute or two on CPython
    python benchmarks/conv_bench.py --quick    # fewer repeats, no textbook loops

``convolution_row()`` returns the figures for benchmarks/compare_numpy.py.
"""

from __future__ import annotations

import argparse
import math
import operator
import os
import platform
import random
import statistics
import sys
import timeit
from typing import Any, Callable, Dict, List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.exists(os.path.join(ROOT, "tinynet", "__init__.py")):
    sys.path.insert(0, ROOT)  # measure the checkout this file lives in

import tinynet  # noqa: E402
from tinynet.conv import Conv2D, MaxPool2D  # noqa: E402
from tinynet.layers import Dense  # noqa: E402
from tinynet.network import Network  # noqa: E402

# --- settings ------------------------------------------------------------------------------

SEED = 0
BATCH, SIDE, FILTERS, KERNEL, POOL, CLASSES = 32, 28, 8, 3, 2, 10
REPEATS, QUICK_REPEATS = 7, 3
SLOW_REPEATS = 1          # textbook loops and tinynet's reference forms: seconds a run
EPOCH_IMAGES = 4000       # "an epoch of 4000 such images takes about a minute or less"
PYPY = platform.python_implementation() == "PyPy"
WARMUP_RUNS = 10 if PYPY else 1

_mul = operator.mul
if hasattr(math, "sumprod"):
    dot = math.sumprod
else:
    def dot(u, v):
        return sum(map(_mul, u, v))

CONV = SIDE - KERNEL + 1   # 26: the conv's output side
POOLED = CONV // POOL      # 13: after max-pooling
N_POOLED = FILTERS * POOLED * POOLED


def problem(seed: int = SEED, batch: int = BATCH):
    """Return (net, x, y): the network, batch random images in [0, 1], one-hot labels."""
    rng = random.Random(seed)
    net = Network([Conv2D((1, SIDE, SIDE), FILTERS, KERNEL, seed=seed),
                   MaxPool2D((FILTERS, CONV, CONV), POOL),
                   Dense(N_POOLED, CLASSES, "softmax", seed=seed)], loss="cross_entropy")
    x = [[rng.random() for _ in range(SIDE * SIDE)] for _ in range(batch)]
    labels = [rng.randrange(CLASSES) for _ in range(batch)]
    y = [[1.0 if j == label else 0.0 for j in range(CLASSES)] for label in labels]
    return net, x, y


def parameters(net):
    """Return (conv weights (F, K), conv biases, dense weights (classes, n_pooled), dense biases)."""
    c, d = net.layers[0], net.layers[2]
    w = [[v for row in f[0] for v in row] for f in c.weights]
    return w, list(c.biases), [list(col) for col in zip(*d.weights)], list(d.biases)


def softmax_delta(logits, y):
    # dL/dlogits of the mean cross-entropy over the batch: (softmax - y) / n
    out = []
    for z, t in zip(logits, y):
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        out.append([(v / s - ti) / len(y) for v, ti in zip(e, t)])
    return out


# --- tinynet -----------------------------------------------------------------------------

def tinynet_pass(net, x, y):
    """Return the gradients as (dWc (F, K), dbc, dWd (classes, n_pooled), dbd)."""
    (dwc, dbc), _, (dwd, dbd) = net.gradients(x, y)
    return ([[v for row in f[0] for v in row] for f in dwc], dbc,
            [list(col) for col in zip(*dwd)], dbd)


def tinynet_reference_pass(net, x, y):
    with tinynet.reference():   # every op in its plain form: the loops of tinynet/conv.py
        return tinynet_pass(net, x, y)


# --- plain im2col + sumprod ----------------------------------------------------------------

def im2col(row):
    """The (26*26, 9) patches of one image, one list per output position."""
    return [[row[(oh + i) * SIDE + ow + j] for i in range(KERNEL) for j in range(KERNEL)]
            for oh in range(CONV) for ow in range(CONV)]


def im2col_pass(params, x, y):
    w, b, wd, bd = params
    patches, outputs, switches, pooled, logits = [], [], [], [], []
    for row in x:
        p = im2col(row)
        a = [max(0.0, dot(wf, q) + bf) for wf, bf in zip(w, b) for q in p]   # relu(conv), (F*676,)
        chosen = []
        for f in range(FILTERS):
            for oh in range(POOLED):
                for ow in range(POOLED):
                    top = f * CONV * CONV + 2 * oh * CONV + 2 * ow
                    window = (top, top + 1, top + CONV, top + CONV + 1)
                    chosen.append(max(window, key=a.__getitem__))
        patches.append(p)
        outputs.append(a)
        switches.append(chosen)
        pooled.append([a[q] for q in chosen])
        logits.append([dot(wj, pooled[-1]) + bj for wj, bj in zip(wd, bd)])
    d_logits = softmax_delta(logits, y)
    columns = list(zip(*pooled))                                          # (n_pooled, n)
    d_wd = [[dot(col_d, col) for col in columns] for col_d in zip(*d_logits)]
    d_bd = [sum(col) for col in zip(*d_logits)]
    d_z = []
    for row_d, chosen, a in zip(d_logits, switches, outputs):
        d_pooled = [dot(row_d, col) for col in zip(*wd)]                  # (n_pooled,)
        dz = [0.0] * (FILTERS * CONV * CONV)
        for q, g in zip(chosen, d_pooled):
            if a[q] > 0.0:   # relu's derivative: only positive outputs pass it on
                dz[q] += g
        d_z.append(dz)
    d_w, d_b = [], []
    for f in range(FILTERS):
        lo, hi = f * CONV * CONV, (f + 1) * CONV * CONV
        deltas, cols = [], [[] for _ in range(KERNEL * KERNEL)]
        for dz, p in zip(d_z, patches):
            deltas.extend(dz[lo:hi])
            for k, col in enumerate(zip(*p)):
                cols[k].extend(col)
        d_w.append([dot(deltas, col) for col in cols])
        d_b.append(sum(deltas))
    return d_w, d_b, d_wd, d_bd


# --- textbook loops ----------------------------------------------------------------------

def textbook_pass(params, x, y):
    w, b, wd, bd = params
    n = len(x)
    d_w = [[0.0] * (KERNEL * KERNEL) for _ in range(FILTERS)]
    d_b = [0.0] * FILTERS
    d_wd = [[0.0] * N_POOLED for _ in range(CLASSES)]
    d_bd = [0.0] * CLASSES
    for row, t in zip(x, y):
        a = [[[0.0] * CONV for _ in range(CONV)] for _ in range(FILTERS)]
        for f in range(FILTERS):
            for oh in range(CONV):
                for ow in range(CONV):
                    s = b[f]
                    for i in range(KERNEL):
                        for j in range(KERNEL):
                            s += w[f][i * KERNEL + j] * row[(oh + i) * SIDE + ow + j]
                    a[f][oh][ow] = s if s > 0.0 else 0.0
        pooled, where = [], []
        for f in range(FILTERS):
            for oh in range(POOLED):
                for ow in range(POOLED):
                    best = (2 * oh, 2 * ow)
                    for i in range(POOL):
                        for j in range(POOL):
                            if a[f][2 * oh + i][2 * ow + j] > a[f][best[0]][best[1]]:
                                best = (2 * oh + i, 2 * ow + j)
                    pooled.append(a[f][best[0]][best[1]])
                    where.append((f,) + best)
        logits = [bd[j] + sum(wd[j][i] * pooled[i] for i in range(N_POOLED)) for j in range(CLASSES)]
        d_logits = softmax_delta([logits], [t])[0]
        for j in range(CLASSES):
            d_bd[j] += d_logits[j] / n
            for i in range(N_POOLED):
                d_wd[j][i] += d_logits[j] / n * pooled[i]
        for i, (f, yy, xx) in enumerate(where):
            g = sum(d_logits[j] / n * wd[j][i] for j in range(CLASSES))
            if a[f][yy][xx] > 0.0:
                d_b[f] += g
                for ki in range(KERNEL):
                    for kj in range(KERNEL):
                        d_w[f][ki * KERNEL + kj] += g * row[(yy + ki) * SIDE + xx + kj]
    return d_w, d_b, d_wd, d_bd


# --- NumPy -------------------------------------------------------------------------------

def numpy_pass_factory(np, params):
    """Return a function (x, y) -> gradients, NumPy im2col; x, y arrays."""
    w, b, wd, bd = (np.array(p) for p in params)
    oh, ow = np.divmod(np.arange(CONV * CONV), CONV)
    ki, kj = np.divmod(np.arange(KERNEL * KERNEL), KERNEL)
    index = (oh[:, None] + ki[None, :]) * SIDE + ow[:, None] + kj[None, :]   # (676, 9)

    def grad_pass(x, y):
        n = x.shape[0]
        cols = x[:, index]                                       # (n, 676, 9)
        z = cols @ w.T + b                                       # (n, 676, F)
        a = np.maximum(z, 0.0).transpose(0, 2, 1).reshape(n, FILTERS, CONV, CONV)
        windows = a.reshape(n, FILTERS, POOLED, POOL, POOLED, POOL).transpose(0, 1, 2, 4, 3, 5)
        windows = windows.reshape(n, FILTERS, POOLED, POOLED, POOL * POOL)
        arg = windows.argmax(axis=-1)
        pooled = np.take_along_axis(windows, arg[..., None], -1)[..., 0].reshape(n, -1)
        logits = pooled @ wd.T + bd
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        d_logits = (e / e.sum(axis=1, keepdims=True) - y) / n
        d_wd, d_bd = d_logits.T @ pooled, d_logits.sum(axis=0)
        d_pooled = (d_logits @ wd).reshape(n, FILTERS, POOLED, POOLED)
        d_windows = np.zeros_like(windows)
        np.put_along_axis(d_windows, arg[..., None], d_pooled[..., None], -1)
        d_a = d_windows.reshape(n, FILTERS, POOLED, POOLED, POOL, POOL).transpose(0, 1, 2, 4, 3, 5)
        d_a = d_a.reshape(n, FILTERS, CONV, CONV)
        d_z = (d_a * (a > 0.0)).reshape(n, FILTERS, CONV * CONV).transpose(0, 2, 1)  # (n, 676, F)
        d_w = np.einsum("npf,npk->fk", d_z, cols)
        return d_w, d_z.sum(axis=(0, 1)), d_wd, d_bd
    return grad_pass


# --- measuring ---------------------------------------------------------------------------

def _close(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) or hasattr(a, "tolist"):
        a = a.tolist() if hasattr(a, "tolist") else a
        b = b.tolist() if hasattr(b, "tolist") else b
        return len(a) == len(b) and all(_close(u, v) for u, v in zip(a, b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    for _ in range(WARMUP_RUNS):
        fn()
    return statistics.median(timeit.Timer(fn).timeit(1) for _ in range(repeats))


_NO_NUMPY = object()


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def candidates(textbook: bool = True, seed: int = SEED, batch: int = BATCH,
               np: Any = _NO_NUMPY) -> Dict[str, Callable[[], Any]]:
    """Return {name: a function running one gradient pass}, after checking they agree.

    np: the numpy module, or None to leave NumPy out (default: import it if installed).
    """
    if np is _NO_NUMPY:
        np = _numpy()
    net, x, y = problem(seed, batch)
    params = parameters(net)
    runs: Dict[str, Callable[[], Any]] = {
        "tinynet": lambda: tinynet_pass(net, x, y),
        "im2col + sumprod": lambda: im2col_pass(params, x, y),
    }
    slow = {"tinynet reference": lambda: tinynet_reference_pass(net, x, y)}
    if textbook:
        slow["textbook loops"] = lambda: textbook_pass(params, x, y)
    if np is not None:
        numpy_pass = numpy_pass_factory(np, params)
        xa, ya = np.array(x), np.array(y)
        runs["numpy im2col"] = lambda: numpy_pass(xa, ya)
    expected = runs["tinynet"]()
    for name, fn in list(runs.items()) + list(slow.items()):
        if not _close(fn(), expected):
            raise AssertionError(f"conv_bench: {name} disagrees with tinynet's gradients")
    runs.update(slow)
    return runs


def convolution_row(repeats: int = QUICK_REPEATS, textbook: bool = True,
                    batch: int = BATCH, np: Any = _NO_NUMPY) -> Dict[str, Optional[float]]:
    """Return seconds per gradient pass for each candidate (None where NumPy is missing).

    The keys: tinynet, tinynet reference, im2col + sumprod, textbook loops
    (if textbook), numpy im2col.
    """
    runs = candidates(textbook, batch=batch, np=np)
    row: Dict[str, Optional[float]] = {"numpy im2col": None}
    for name, fn in runs.items():
        slow = name in ("tinynet reference", "textbook loops")
        row[name] = _median_seconds(fn, SLOW_REPEATS if slow else repeats)
    return row


# --- for benchmarks/compare_numpy.py (section "conv") ------------------------------------

def run(np: Any, repeats: int, budget: float, quick: bool) -> Dict[str, Any]:
    """Return the convolution figures, JSON-ready: seconds per pass by candidate,
    the epoch estimate and the target's verdict. budget is unused: one pass
    takes far longer than any budget.
    """
    row = convolution_row(repeats, textbook=not quick, np=np)
    return {"batch": BATCH, "seconds": row,
            "epoch_seconds": row["tinynet"] * EPOCH_IMAGES / BATCH,
            "met": row["tinynet"] <= row["im2col + sumprod"]}


def report(results: Dict[str, Any]) -> List[str]:
    """Return the Markdown lines of the convolution section."""
    base = results["seconds"]["tinynet"]
    lines = ["", f"## i. convolution: {results['batch']} images 28x28, conv {FILTERS}x{KERNEL}x"
                 f"{KERNEL} -> relu -> maxpool {POOL} -> dense {CLASSES}, forward + backward", "",
             "| candidate | s / batch | x tinynet |", "|---|---|---|"]
    for name, seconds in results["seconds"].items():
        lines.append(f"| {name} | n/a | n/a |" if seconds is None
                     else f"| {name} | {seconds:.4f} | {seconds / base:.2f} |")
    lines += ["", f"An epoch of {EPOCH_IMAGES} images: about {results['epoch_seconds']:.0f} s of "
                  f"gradient passes. Target, tinynet <= plain im2col + sumprod: "
                  f"{'met' if results['met'] else 'MISSED'}."]
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no textbook loops")
    parser.add_argument("--batch", type=int, default=BATCH, help=f"images a pass (default {BATCH})")
    args = parser.parse_args(argv)
    print(f"{platform.python_implementation()} {platform.python_version()}: a batch of {args.batch} "
          f"{SIDE}x{SIDE} images, conv {FILTERS}x{KERNEL}x{KERNEL} -> relu -> maxpool {POOL} "
          f"-> dense {CLASSES}, forward + backward")
    row = convolution_row(QUICK_REPEATS if args.quick else REPEATS, textbook=not args.quick,
                          batch=args.batch)
    base = row["tinynet"]
    print(f"{'candidate':<20} {'s / batch':>10} {'x tinynet':>10}")
    for name, seconds in row.items():
        if seconds is None:
            print(f"{name:<20} {'(NumPy not installed)':>21}")
        else:
            print(f"{name:<20} {seconds:>10.4f} {seconds / base:>10.2f}")
    print(f"an epoch of {EPOCH_IMAGES} images: about {base * EPOCH_IMAGES / args.batch:.1f} s "
          f"of gradient passes with tinynet")
    verdict = "met" if base <= row["im2col + sumprod"] else "MISSED"
    print(f"target: tinynet <= plain im2col + sumprod: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
