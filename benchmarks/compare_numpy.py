"""Benchmark tinynet's pure-Python kernels against NumPy and against plain Python.

Run it from a checkout; it measures the tinynet beside it, no install needed:

    python benchmarks/compare_numpy.py              # the full run, about ten minutes
    python benchmarks/compare_numpy.py --quick      # a minute or two
    python benchmarks/compare_numpy.py --json results.json

One interpreter, one process. Every figure is the median of REPEATS timeit
runs (garbage collection off, as timeit does), and the candidates of one
comparison take turns run by run, so that a change in the machine's load
hits them alike. What it measures:

a. matmul, n x n for n = 2..256 and the article's shapes: tinynet.matrix.matmul
   (the checked public function); every pure-Python formulation (the textbook
   triple loop, zip + sum(map(mul)), zip + math.sumprod on 3.12+, the i-k-j
   loop) and the best of them; NumPy on prebuilt arrays, and NumPy counting
   the list -> array -> list conversion.
b. the elementwise sigmoid on n x n, n = 4..256.
c. the article's training, 1500 iterations of feedforward() + backprop():
   tinynet.article.NeuralNetwork; Network([3, 4, 1]).fit (biases on, SGD:
   the compiled step of tinynet.fast.step); the same network step by step
   through the layers, and its fit inside tinynet.reference(); micrograd and
   PyTorch (each when installed); the article's own NumPy code.
d. one epoch of a 64-32-10 network (ReLU, softmax, cross-entropy) on the
   handwritten digits, batch 32, with SGD and with Adam: Network, the best
   pure-Python step we could write for it by hand (fused, below; SGD), the
   same network in NumPy, PyTorch, scikit-learn's MLPClassifier and
   micrograd (each when installed; see frameworks.py).
e. the crossover: the smallest n at which NumPy's matmul beats tinynet's.
f. scaling: one SGD step of a width-width-10 network for batch 1..512 and
   width 4..256, tinynet / NumPy: where NumPy overtakes.
g. peak memory of one digits epoch per framework, each in a fresh process
   (isolated.py).
h. the cold first epoch of Network.fit on the digits against the warm ones,
   in a fresh process (isolated.py).
i. a convolution row, from conv_bench.py when it is there.

Without NumPy (on PyPy, say) it runs the tinynet and pure-Python figures and
says that NumPy is missing. NumPy comes from the ``bench`` extra:
``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import operator
import os
import platform
import random
import statistics
import sys
import timeit
from itertools import repeat
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if os.path.exists(os.path.join(ROOT, "tinynet", "__init__.py")):
    sys.path.insert(0, ROOT)  # measure the checkout this file lives in
sys.path.insert(0, HERE)  # and frameworks.py beside this file

import tinynet  # noqa: E402
from tinynet import activations, optim  # noqa: E402
from tinynet.article import NeuralNetwork  # noqa: E402
from tinynet.data import load_digits, one_hot, xor  # noqa: E402
from tinynet.matrix import matmul  # noqa: E402
from tinynet.network import Network  # noqa: E402
from tinynet.fast import step as step_module  # noqa: E402

import frameworks  # noqa: E402  (benchmarks/frameworks.py, beside this file)
import isolated  # noqa: E402  (benchmarks/isolated.py: measurements in a fresh process)

# --- settings ------------------------------------------------------------------------

SEED = 1
MATMUL_SIZES = (2, 4, 8, 16, 32, 64, 128, 256)
QUICK_MATMUL_SIZES = (2, 4, 8, 16, 32, 64)
ARTICLE_SHAPES = ((4, 3, 4), (4, 4, 1), (3, 4, 4))  # (n, k, m) of the article's products
SIGMOID_SIZES = (4, 8, 16, 32, 64, 128, 256)
QUICK_SIGMOID_SIZES = (4, 16, 64, 256)
CROSSOVER_SIZES = tuple(range(2, 17))
QUICK_CROSSOVER_SIZES = (2, 3, 4, 5, 6, 8, 10, 12, 16)
ITERATIONS = 1500          # the article trains for 1500 iterations
SLOW_ITERATIONS = 100      # micrograd's article run: 1 ms an iteration, as flat as the rest
DIGITS_BATCH = 32
DIGITS_SIZES = (64, 32, 10)
DIGITS_OPTIMIZERS = ("sgd", "adam")
DIGITS_LEARNING_RATES = {"sgd": 0.1, "adam": 0.001}
SCALING_BATCHES, QUICK_SCALING_BATCHES = (1, 4, 16, 64, 256, 512), (1, 16, 128)
SCALING_WIDTHS, QUICK_SCALING_WIDTHS = (4, 8, 16, 32, 64, 128, 256), (4, 16, 64)
COLD_EPOCHS, QUICK_COLD_EPOCHS = 10, 4
MICROGRAD_ROWS = 32  # micrograd's digits epoch is timed on this many rows, then scaled
REPEATS, QUICK_REPEATS = 7, 3
BUDGET, QUICK_BUDGET = 0.05, 0.01   # seconds per timed run, at least
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PYPY_WARMUP = 0.3  # seconds of calls before timing: PyPy's JIT needs ~50k small calls

# The targets of the speed work (issue 6), read off the figures.
TARGETS = {
    "article": 1.0,          # article class / the article's NumPy code
    "network": 1.5,          # Network([3, 4, 1]) / the article's NumPy code
    "fit": 0.35,             # Network([3, 4, 1]).fit / the article's NumPy code (issue 15)
    "matmul_best": 1.15,     # tinynet / fastest pure-Python formulation, every n
    "matmul_textbook": 3.0,  # textbook loop / tinynet at n = 64 (CPython 3.12)
    "digits_step": 1.2,      # Network's step / the best hand-written step
}

SECTIONS = ("matmul", "sigmoid", "article", "digits", "crossover", "scaling", "memory", "cold",
            "conv")

PYPY = platform.python_implementation() == "PyPy"
_mul, _add, _sub = operator.mul, operator.add, operator.sub
_sumprod = getattr(math, "sumprod", None)


# --- timing ------------------------------------------------------------------------------

WARMUP = PYPY_WARMUP if PYPY else 0.0


def measure(candidates: Dict[str, Callable[[], Any]], repeats: int,
            budget: float) -> Dict[str, float]:
    """Return the median seconds per call of each candidate.

    Each is first run until one timed run lasts at least budget seconds
    (on PyPy, after WARMUP seconds of calls, for its JIT), then the
    candidates take turns, repeats runs each.
    """
    for fn in candidates.values():
        _warm_up(fn, WARMUP)
    numbers = {name: _calibrate(fn, budget) for name, fn in candidates.items()}
    times: Dict[str, List[float]] = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            times[name].append(timeit.Timer(fn).timeit(numbers[name]) / numbers[name])
    return {name: statistics.median(ts) for name, ts in times.items()}


def _warm_up(fn: Callable[[], Any], seconds: float) -> None:
    if seconds <= 0.0:
        return
    end = timeit.default_timer() + seconds
    while timeit.default_timer() < end:
        fn()


def _calibrate(fn: Callable[[], Any], budget: float) -> int:
    number = 1
    while True:
        elapsed = timeit.Timer(fn).timeit(number)
        if elapsed >= budget or number >= 10 ** 7:
            return number
        number = max(2 * number, int(1.2 * number * budget / max(elapsed, 1e-9)))


# --- a. matmul: every pure-Python formulation ------------------------------------------------

def matmul_textbook(a, b):
    """The first-course triple loop, indexing everything."""
    n, k, m = len(a), len(b), len(b[0])
    out = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            total = 0.0
            for p in range(k):
                total += a[i][p] * b[p][j]
            out[i][j] = total
    return out


def matmul_summap(a, b):
    """b's columns once with zip(*b), then sum(map(mul)) per entry (C iterators)."""
    cols = list(zip(*b))
    return [[sum(map(_mul, row, col)) for col in cols] for row in a]


def matmul_sumprod(a, b):
    """b's columns once, then math.sumprod (3.12+) per entry: one C loop."""
    cols = list(zip(*b))
    return [[_sumprod(row, col) for col in cols] for row in a]


def matmul_ikj(a, b):
    """The i-k-j loop: row i of the result accumulates a[i][k] * b[k]."""
    m = len(b[0])
    js = range(m)
    out = []
    for row in a:
        acc = [0.0] * m
        for a_ik, b_row in zip(row, b):
            for j in js:
                acc[j] += a_ik * b_row[j]
        out.append(acc)
    return out


FORMULATIONS = {"textbook": matmul_textbook, "zip+sum(map)": matmul_summap,
                "i-k-j": matmul_ikj}
if _sumprod is not None:
    FORMULATIONS["zip+sumprod"] = matmul_sumprod


def fresh(f: Callable[..., Any]) -> Callable[..., Any]:
    """Return a new copy of the function f, compiled again from its source.

    PyPy's JIT keeps the trace of a loop from the sizes it first ran hot
    with: the i-k-j loop warmed up at n = 4 then runs n = 64 up to 4x slower
    than a fresh copy. So every size gets fresh copies of the formulations,
    as tinynet compiles its PyPy loops per shape. (On CPython a copy changes
    nothing.)
    """
    namespace: Dict[str, Any] = {}
    exec(compile(inspect.getsource(f), inspect.getsourcefile(f) or "<fresh>", "exec"),
         f.__globals__, namespace)
    return namespace[f.__name__]


def random_matrix(rows: int, cols: int, rng: random.Random) -> List[List[float]]:
    return [[rng.uniform(-1.0, 1.0) for _ in range(cols)] for _ in range(rows)]


def bench_matmul(shapes: Sequence[Tuple[int, int, int]], np: Any, repeats: int,
                 budget: float) -> List[Dict[str, Any]]:
    rng = random.Random(SEED)
    rows = []
    for n, k, m in shapes:
        a, b = random_matrix(n, k, rng), random_matrix(k, m, rng)
        expected = matmul_textbook(a, b)
        candidates: Dict[str, Callable[[], Any]] = {"tinynet": lambda: matmul(a, b)}
        for name, f in FORMULATIONS.items():
            f = fresh(f)
            _check_close(f(a, b), expected, f"matmul {name}")
            candidates[name] = (lambda f=f: f(a, b))
        _check_close(matmul(a, b), expected, "tinynet matmul")
        if np is not None:
            a_np, b_np = np.array(a), np.array(b)
            candidates["numpy"] = lambda: a_np @ b_np
            candidates["numpy+conversion"] = lambda: (np.array(a) @ np.array(b)).tolist()
        t = measure(candidates, repeats, budget)
        pure = {name: t[name] for name in FORMULATIONS}
        best = min(pure, key=pure.get)
        row = {"shape": [n, k, m], "label": f"{n}x{k} @ {k}x{m}" if (n, k) != (k, m) or n != m
               else f"n={n}", "tinynet": t["tinynet"], "formulations": pure, "best": best,
               "best_time": pure[best], "vs_best": t["tinynet"] / pure[best],
               "textbook_speedup": pure["textbook"] / t["tinynet"]}
        if np is not None:
            row.update(_numpy_columns(t))
        rows.append(row)
    return rows


def _numpy_columns(t: Dict[str, float]) -> Dict[str, float]:
    """NumPy's times and tinynet's ratios to them, with and without conversion."""
    return {"numpy": t["numpy"], "numpy_conversion": t["numpy+conversion"],
            "vs_numpy": t["tinynet"] / t["numpy"],
            "vs_numpy_conversion": t["tinynet"] / t["numpy+conversion"]}


def _check_close(got, expected, what: str, tol: float = 1e-9) -> None:
    worst = max((abs(x - y) for r, s in zip(got, expected) for x, y in zip(r, s)), default=0.0)
    size = max((abs(v) for r in expected for v in r), default=0.0)
    if len(got) != len(expected) or worst > tol * (1.0 + size):
        raise SystemExit(f"compare_numpy: {what} gives a wrong result (off by {worst})")


# --- b. sigmoid ---------------------------------------------------------------------------------

def bench_sigmoid(sizes: Sequence[int], np: Any, repeats: int,
                  budget: float) -> List[Dict[str, Any]]:
    rng = random.Random(SEED)
    forward = activations.get("sigmoid").forward  # the matrix form Dense layers call
    rows = []
    for n in sizes:
        z = [[rng.uniform(-6.0, 6.0) for _ in range(n)] for _ in range(n)]
        candidates: Dict[str, Callable[[], Any]] = {"tinynet": lambda: forward(z)}
        if np is not None:
            z_np = np.array(z)
            _check_close(forward(z), (1.0 / (1.0 + np.exp(-z_np))).tolist(), "sigmoid")
            candidates["numpy"] = lambda: 1.0 / (1.0 + np.exp(-z_np))
            candidates["numpy+conversion"] = (
                lambda: (1.0 / (1.0 + np.exp(-np.array(z)))).tolist())
        t = measure(candidates, repeats, budget)
        row: Dict[str, Any] = {"n": n, "tinynet": t["tinynet"]}
        if np is not None:
            row.update(_numpy_columns(t))
        rows.append(row)
    return rows


# --- c. the article's training ---------------------------------------------------------------

def numpy_article(np: Any) -> type:
    """Return the article's NeuralNetwork class, in NumPy, as the article has it
    (only the starting weights are passed in, so that both sides start alike)."""

    def sigmoid(x):
        return 1.0 / (1 + np.exp(-x))

    def sigmoid_derivative(x):
        return x * (1.0 - x)

    class ArticleNetwork:
        def __init__(self, x, y, weights1, weights2):
            self.input = x
            self.weights1 = weights1
            self.weights2 = weights2
            self.y = y
            self.output = np.zeros(self.y.shape)

        def feedforward(self):
            self.layer1 = sigmoid(np.dot(self.input, self.weights1))
            self.output = sigmoid(np.dot(self.layer1, self.weights2))

        def backprop(self):
            d_weights2 = np.dot(self.layer1.T, (2 * (self.y - self.output)
                                                * sigmoid_derivative(self.output)))
            d_weights1 = np.dot(self.input.T, (np.dot(2 * (self.y - self.output)
                                                      * sigmoid_derivative(self.output),
                                                      self.weights2.T)
                                               * sigmoid_derivative(self.layer1)))
            self.weights1 += d_weights1
            self.weights2 += d_weights2

    return ArticleNetwork


def bench_article(iterations: int, np: Any, repeats: int, budget: float) -> Dict[str, Any]:
    x, y = xor()

    def tinynet_article():
        nn = NeuralNetwork(x, y, seed=SEED)
        for _ in range(iterations):
            nn.feedforward()
            nn.backprop()
        return nn

    def tinynet_network():
        # The same data and step size (the article adds the whole gradient:
        # SGD with learning rate 1 on the sum of squares), plus biases.
        net = Network([3, 4, 1], init="uniform", seed=SEED)
        opt = optim.SGD(1.0)
        for _ in range(iterations):
            net._train_step(x, y, opt)
        return net

    def tinynet_fit():
        # The same training by Network.fit: for a network this small, the
        # step written out as Python (tinynet.fast.step), every epoch in one call.
        net = Network([3, 4, 1], init="uniform", seed=SEED)
        net.fit(x, y, epochs=iterations, learning_rate=1.0)
        return net

    def reference_fit():
        with tinynet.reference():  # every operation in its plain form
            return tinynet_fit()

    candidates = {"article class": tinynet_article, "fit": tinynet_fit,
                  "Network": tinynet_network, "reference": reference_fit}
    for name, run in (("fit", tinynet_fit), ("Network", tinynet_network)):
        _check_close(run().layers[0].weights, reference_fit().layers[0].weights,
                     f"the article's {name}", 1e-12)
    start = NeuralNetwork(x, y, seed=SEED)
    slow = {}  # the frameworks that run fewer iterations: their time per iteration is flat
    for name in ("micrograd", "torch"):
        if frameworks.load(name) is not None:
            count = iterations if name == "torch" else min(iterations, SLOW_ITERATIONS)
            run = getattr(frameworks, f"{name}_article")(x, y, start.weights1, start.weights2,
                                                         count)
            reference = NeuralNetwork(x, y, seed=SEED)
            for _ in range(count):
                reference.feedforward()
                reference.backprop()
            _check_close(run()[0], reference.weights1, f"the {name} article", 1e-8)
            candidates[name] = run
            slow[name] = count
    if np is not None:
        ArticleNetwork = numpy_article(np)
        start = NeuralNetwork(x, y, seed=SEED)
        x_np, y_np = np.array(x), np.array(y)

        def numpy_code():
            nn = ArticleNetwork(x_np, y_np, np.array(start.weights1), np.array(start.weights2))
            for _ in range(iterations):
                nn.feedforward()
                nn.backprop()
            return nn

        # Same start, same arithmetic: the weights must agree after training.
        ours, theirs = tinynet_article(), numpy_code()
        _check_close(ours.weights1, theirs.weights1.tolist(), "the article class", 1e-8)
        candidates["article's NumPy code"] = numpy_code
    t = measure(candidates, repeats, budget)
    result: Dict[str, Any] = {"iterations": iterations, "framework_iterations": slow}
    result.update({name: t[name] / slow.get(name, iterations) for name in t})  # per iteration
    if np is not None:
        ref = result["article's NumPy code"]
        for name in ("article class", "fit", "Network", "reference", *slow,
                     "article's NumPy code"):
            result[f"{name} vs numpy"] = result[name] / ref
        result["article_vs_numpy"] = result["article class vs numpy"]
        result["network_vs_numpy"] = result["Network vs numpy"]
        result["fit_vs_numpy"] = result["fit vs numpy"]
    return result


# --- d. one epoch of 64-32-10 on the digits ----------------------------------------------------

def digits_data(rows: Optional[int]) -> Tuple[list, list, list]:
    x, labels = load_digits()
    if rows is not None:
        x, labels = x[:rows], labels[:rows]
    x = [[v / 16.0 for v in row] for row in x]  # pixels 0..16 -> 0..1
    y, _ = one_hot(labels, classes=list(range(10)))
    return x, y, labels


def digits_network() -> Network:
    return Network(list(DIGITS_SIZES), activation="relu", output_activation="softmax",
                   loss="cross_entropy", seed=SEED)


if _sumprod is not None:
    def _dots(row, cols):
        # row @ each column, one math.sumprod (a C loop) per entry
        return list(map(_sumprod, repeat(row), cols))
else:
    def _dots(row, cols):
        return [sum(map(_mul, row, col)) for col in cols]


def fused_step_iterators(xb, yb, labels, params, lr):
    """One SGD step of the 64-32-10 network, written by hand for CPython.

    Fused where it pays: bias and ReLU folded into the product that makes z,
    softmax and cross-entropy into dL/dz2 = (p - y) / n, the learning rate
    into dL/dz2 (so every gradient comes out already scaled), the ReLU mask
    into dL/dz1; every product as C-level dot products over zip(*...) columns.
    """
    w1, b1, w2, b2 = params
    n = len(xb)
    w1_cols, w2_cols = list(zip(*w1)), list(zip(*w2))
    h = [[v if v > 0.0 else 0.0 for v in map(_add, _dots(row, w1_cols), b1)] for row in xb]
    z2 = [list(map(_add, _dots(row, w2_cols), b2)) for row in h]
    scale = lr / n
    loss = 0.0
    dz2 = []
    for z, t, label in zip(z2, yb, labels):
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        p = [v / total for v in e]
        loss -= math.log(max(p[label], 1e-12))
        dz2.append([scale * (pi - ti) for pi, ti in zip(p, t)])
    dz2_cols = list(zip(*dz2))
    dw2 = [_dots(col, dz2_cols) for col in zip(*h)]
    db2 = [sum(col) for col in dz2_cols]
    dz1 = [[g if hv > 0.0 else 0.0 for g, hv in zip(_dots(d, w2), h_row)]
           for d, h_row in zip(dz2, h)]
    dz1_cols = list(zip(*dz1))
    dw1 = [_dots(col, dz1_cols) for col in zip(*xb)]
    db1 = [sum(col) for col in dz1_cols]
    new = ([list(map(_sub, w, g)) for w, g in zip(w1, dw1)], list(map(_sub, b1, db1)),
           [list(map(_sub, w, g)) for w, g in zip(w2, dw2)], list(map(_sub, b2, db2)))
    return loss / n, new


def fused_step_loops(xb, yb, labels, params, lr):
    """The same step as plain loops (i-k-j products), the form PyPy's JIT likes."""
    w1, b1, w2, b2 = params
    n, n_hidden, n_out = len(xb), len(b1), len(b2)
    hid, out = range(n_hidden), range(n_out)
    scale = lr / n
    h, dz2, loss = [], [], 0.0
    for row, t, label in zip(xb, yb, labels):
        z = [0.0] * n_hidden
        for x_i, w_row in zip(row, w1):
            for j in hid:
                z[j] += x_i * w_row[j]
        h_row = [0.0] * n_hidden
        for j in hid:
            v = z[j] + b1[j]
            h_row[j] = v if v > 0.0 else 0.0
        z2 = [0.0] * n_out
        for h_i, w_row in zip(h_row, w2):
            for j in out:
                z2[j] += h_i * w_row[j]
        top = -math.inf
        for j in out:
            z2[j] += b2[j]
            top = z2[j] if z2[j] > top else top
        e = [math.exp(v - top) for v in z2]
        total = sum(e)
        p = [v / total for v in e]
        loss -= math.log(max(p[label], 1e-12))
        h.append(h_row)
        dz2.append([scale * (p[j] - t[j]) for j in out])
    dw2 = [[0.0] * n_out for _ in hid]
    db2 = [0.0] * n_out
    dw1 = [[0.0] * n_hidden for _ in w1]
    db1 = [0.0] * n_hidden
    for row, h_row, d in zip(xb, h, dz2):
        for j in out:
            db2[j] += d[j]
        dz1 = [0.0] * n_hidden
        for i in hid:
            g_row, w_row, h_i = dw2[i], w2[i], h_row[i]
            acc = 0.0
            for j in out:
                g_row[j] += h_i * d[j]
                acc += d[j] * w_row[j]
            dz1[i] = acc if h_i > 0.0 else 0.0
        for j in hid:
            db1[j] += dz1[j]
        for x_i, g_row in zip(row, dw1):
            for j in hid:
                g_row[j] += x_i * dz1[j]
    new = ([[w - g for w, g in zip(wr, gr)] for wr, gr in zip(w1, dw1)],
           [b - g for b, g in zip(b1, db1)],
           [[w - g for w, g in zip(wr, gr)] for wr, gr in zip(w2, dw2)],
           [b - g for b, g in zip(b2, db2)])
    return loss / n, new


FUSED_STEPS = {"iterators": fused_step_iterators, "loops": fused_step_loops}


def numpy_digits_step(np: Any, optimizer: str = "sgd") -> Callable[..., Any]:
    """One step of the 64-32-10 network in NumPy: SGD, or Adam as tinynet.optim has it."""
    b1, b2, eps = 0.9, 0.999, 1e-8

    def gradients(xb, yb, params):
        w1, b1_, w2, b2_ = params
        n = len(xb)
        z1 = xb @ w1 + b1_
        h = np.maximum(z1, 0.0)
        z2 = h @ w2 + b2_
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = -(yb * np.log(np.clip(p, 1e-12, 1.0))).sum() / n
        dz2 = (p - yb) / n
        dz1 = (dz2 @ w2.T) * (z1 > 0.0)
        return loss, (xb.T @ dz1, dz1.sum(axis=0), h.T @ dz2, dz2.sum(axis=0))

    def sgd(xb, yb, params, lr, state):
        loss, grads = gradients(xb, yb, params)
        for p, g in zip(params, grads):
            p -= lr * g
        return loss

    def adam(xb, yb, params, lr, state):
        loss, grads = gradients(xb, yb, params)
        state["t"] = t = state.get("t", 0) + 1
        lr1, c2 = lr / (1.0 - b1 ** t), 1.0 - b2 ** t
        moments = state.setdefault("m", [(np.zeros_like(p), np.zeros_like(p)) for p in params])
        for p, g, (m, s) in zip(params, grads, moments):
            m *= b1
            m += (1.0 - b1) * g
            s *= b2
            s += (1.0 - b2) * g * g
            p -= lr1 * m / (np.sqrt(s / c2) + eps)
        return loss
    return adam if optimizer == "adam" else sgd


def bench_digits(rows: Optional[int], np: Any, repeats: int, budget: float,
                 quick: bool) -> Dict[str, Any]:
    x, y, labels = digits_data(rows)
    batches = [(x[i:i + DIGITS_BATCH], y[i:i + DIGITS_BATCH], labels[i:i + DIGITS_BATCH])
               for i in range(0, len(x), DIGITS_BATCH)]
    result: Dict[str, Any] = {"rows": len(x), "batches": len(batches)}
    for optimizer in DIGITS_OPTIMIZERS:
        lr = DIGITS_LEARNING_RATES[optimizer]
        candidates = digits_candidates(batches, np, optimizer, lr)
        if frameworks.load("sklearn") is not None:
            candidates["scikit-learn"] = frameworks.sklearn_digits_epoch(
                x, labels, lr, optimizer, DIGITS_BATCH)
        t = measure(candidates, repeats, budget)
        result[optimizer] = t
        if optimizer == "sgd":
            fused = {name: t[f"fused ({name})"] for name in FUSED_STEPS}
            best = min(fused, key=fused.get)
            result.update({"network": t["Network"], "fused": fused, "best_fused": best,
                           "vs_best_fused": t["Network"] / fused[best]})
            if np is not None:
                result["numpy"] = t["numpy"]
                result["vs_numpy"] = t["Network"] / t["numpy"]
    if frameworks.load("micrograd") is not None:
        result["micrograd_rows"] = count = min(len(x), 4 if quick else MICROGRAD_ROWS)
        start = digits_start()
        run = frameworks.micrograd_digits_epoch([(x[:count], y[:count])], start,
                                                DIGITS_LEARNING_RATES["sgd"])
        seconds = min(timeit.repeat(run, number=1, repeat=1 if quick else 2))
        result["sgd"]["micrograd"] = seconds * len(x) / count  # extrapolated to the epoch
    return result


def digits_start() -> List[Any]:
    """The digits network's starting [W1, b1, W2, b2] (seeded, as every candidate's)."""
    start = digits_network().get_parameters()
    return [start[layer][name] for layer in (0, 1) for name in ("weights", "biases")]


def digits_candidates(batches, np, optimizer, lr) -> Dict[str, Callable[[], Any]]:
    """One epoch of each candidate, checked to give Network's weights (1e-8)."""
    start = digits_start()
    net, opt = digits_network(), optim.get(optimizer, lr)

    def network_epoch():
        for xb, yb, _ in batches:
            net._train_step(xb, yb, opt)
        return net.layers[0].weights

    candidates: Dict[str, Callable[[], Any]] = {"Network": network_epoch}
    if optimizer == "sgd":
        for name, step in FUSED_STEPS.items():
            candidates[f"fused ({name})"] = _fused_epoch(step, batches, start, lr)
    if np is not None:
        candidates["numpy"] = _numpy_epoch(np, optimizer, batches, start, lr)
    if frameworks.load("torch") is not None:
        candidates["PyTorch"] = frameworks.torch_digits_epoch(
            [(xb, yb) for xb, yb, _ in batches], start, lr, optimizer)
    # Same start: one epoch of each must give the same weights.
    reference = network_epoch()
    for name, epoch in candidates.items():
        if name != "Network":
            _check_close(epoch(), reference, f"the {name} step ({optimizer})", 1e-8)
    return candidates


def _fused_epoch(step, batches, start, lr) -> Callable[[], Any]:
    state = [tuple(start)]

    def epoch():
        params = state[0]
        for xb, yb, lb in batches:
            _, params = step(xb, yb, lb, params, lr)
        state[0] = params
        return params[0]
    return epoch


def _numpy_epoch(np, optimizer, batches, start, lr) -> Callable[[], Any]:
    step = numpy_digits_step(np, optimizer)
    data = [(np.array(xb), np.array(yb)) for xb, yb, _ in batches]
    params = [np.array(p) for p in start]
    state: Dict[str, Any] = {}

    def epoch():
        for xb, yb in data:
            step(xb, yb, params, lr, state)
        return params[0].tolist()
    return epoch


# --- e. the crossover --------------------------------------------------------------------------

def bench_crossover(sizes: Sequence[int], np: Any, repeats: int,
                    budget: float) -> Dict[str, Any]:
    rng = random.Random(SEED)
    points = []
    for n in sizes:
        a, b = random_matrix(n, n, rng), random_matrix(n, n, rng)
        a_np, b_np = np.array(a), np.array(b)
        t = measure({"tinynet": lambda: matmul(a, b), "numpy": lambda: a_np @ b_np,
                     "numpy+conversion": lambda: (np.array(a) @ np.array(b)).tolist()},
                    repeats, budget)
        points.append({"n": n, **t})
    return {"points": points,
            "numpy_wins_from": _first(points, "numpy"),
            "numpy_with_conversion_wins_from": _first(points, "numpy+conversion")}


def _first(points: List[Dict[str, Any]], key: str) -> Optional[int]:
    # The smallest n from which NumPy is faster at every measured size.
    wins = [p[key] < p["tinynet"] for p in points]
    for i in range(len(points)):
        if all(wins[i:]):
            return points[i]["n"]
    return None


# --- f. scaling: where NumPy overtakes ------------------------------------------------------------

def bench_scaling(batches: Sequence[int], widths: Sequence[int], np: Any, repeats: int,
                  budget: float) -> Dict[str, Any]:
    """One SGD step of a width-width-10 network (ReLU, softmax, cross-entropy) per
    (batch, width): tinynet's Network step against the same step in NumPy."""
    rng = random.Random(SEED)
    cells = []
    for width in widths:
        for n in batches:
            x = random_matrix(n, width, rng)
            y = [[1.0 if j == i % 10 else 0.0 for j in range(10)] for i in range(n)]
            net = Network([width, width, 10], activation="relu", output_activation="softmax",
                          loss="cross_entropy", seed=SEED)
            opt = optim.SGD(0.01)
            candidates: Dict[str, Callable[[], Any]] = {"tinynet": lambda: net._train_step(x, y, opt)}
            if step_module.fits((width, width, 10)):  # the compiled step, where it applies
                candidates["tinynet"] = _compiled_step_call(net, x, y, 0.01)
            if np is not None:
                step = numpy_digits_step(np)
                params = [np.array(p) for layer in net.get_parameters() for p in layer.values()]
                x_np, y_np = np.array(x), np.array(y)
                candidates["numpy"] = lambda: step(x_np, y_np, params, 0.01, {})
            t = measure(candidates, repeats, budget)
            cells.append({"batch": n, "width": width, **t})
    return {"batches": list(batches), "widths": list(widths), "cells": cells}


def _compiled_step_call(net: Network, x: list, y: list, lr: float) -> Callable[[], Any]:
    spec = step_module.Spec(tuple(net.sizes), tuple(layer.activation.name for layer in net.layers),
                            net.loss_function.name)
    step, hyper = step_module.compile_step(spec), step_module.hyperparameters("sgd", lr)
    params = [p for layer in net.layers for p in (layer.weights, layer.biases)]
    return lambda: step(x, y, params, None, hyper)


def scaling_report(scaling: Dict[str, Any]) -> List[str]:
    cells = {(c["batch"], c["width"]): c for c in scaling["cells"]}
    has_np = "numpy" in scaling["cells"][0]
    what = "tinynet / NumPy" if has_np else "tinynet's time"
    parts = ["", f"## f. scaling: one SGD step of width-width-10, {what}", "",
             "Below 1.00x tinynet is faster; NumPy overtakes where the ratio passes 1. "
             "In brackets: tinynet's time. *: the compiled step (tinynet.fast.step) "
             "applies; elsewhere the layers' step.", ""]
    rows = []
    for n in scaling["batches"]:
        row = [f"batch {n}"]
        for w in scaling["widths"]:
            c = cells[(n, w)]
            mark = "*" if step_module.fits((w, w, 10)) else ""
            row.append(f"{ratio(c['tinynet'] / c['numpy'])}{mark} ({us(c['tinynet'])})" if has_np
                       else us(c["tinynet"]) + mark)
        rows.append(row)
    parts.append(table(["batch \\ width"] + [str(w) for w in scaling["widths"]], rows))
    return parts


# --- g. peak memory and h. the cold first epoch, each in a fresh process --------------------------

def bench_memory(rows: Optional[int], np: Any) -> Dict[str, Any]:
    wanted = [f for f in isolated.MEMORY_FRAMEWORKS
              if f in ("none", "tinynet") or (f == "numpy" and np is not None)
              or (f in ("torch", "sklearn") and frameworks.load(f) is not None)]
    args = [str(rows)] if rows else []
    return {f: (isolated.run("memory", f, *args) or {}).get("maxrss_mb") for f in wanted}


def memory_report(memory: Dict[str, Any], meta: Dict[str, Any]) -> List[str]:
    labels = {"none": "Python, tinynet and the digits, no training", "tinynet": "tinynet",
              "numpy": f"NumPy {meta['numpy']}", "torch": "PyTorch {torch}",
              "sklearn": "scikit-learn {sklearn}"}
    rows = [[labels[f].format(**meta["versions"]),
             "failed" if mb is None else f"{mb:,.0f} MB"] for f, mb in memory.items()]
    return ["", "## g. peak memory: one SGD epoch of the digits in a fresh process", "",
            "Peak resident set size of the whole process (interpreter, imports, data and "
            "training): VmHWM on Linux, else ru_maxrss.", "",
            table(["framework", "peak resident memory"], rows)]


def bench_cold(count: int, rows: Optional[int]) -> Dict[str, Any]:
    times = (isolated.run("epochs", str(count), *([str(rows)] if rows else [])) or {}).get("epochs")
    if not times:
        return {"error": "the fresh process failed"}
    warm = statistics.median(times[len(times) // 2:])
    return {"epochs": times, "cold": times[0], "warm": warm, "cold_vs_warm": times[0] / warm}


def cold_report(cold: Dict[str, Any]) -> List[str]:
    parts = ["", "## h. the first epoch: Network.fit on the digits (SGD), in a fresh process", ""]
    if "error" in cold:
        return parts + [cold["error"]]
    return parts + [table(["epoch", "time"], [[str(i), us(t)] for i, t in
                                              enumerate(cold["epochs"], 1)]), "",
                    f"First epoch {us(cold['cold'])} (it includes fit's check of the data), "
                    f"warm {us(cold['warm'])} (median of the later half): "
                    f"{ratio(cold['cold_vs_warm'])}."]


# --- i. convolution: benchmarks/conv_bench.py adds its rows here ---------------------------------
# When that file exists it provides run(np, repeats, budget, quick) -> dict and
# report(results) -> list of Markdown lines; this script calls them like the
# sections above (section "conv").

def load_conv_bench() -> Any:
    try:
        import conv_bench  # type: ignore[import-not-found]
    except ImportError:
        return None
    return conv_bench


# --- the report --------------------------------------------------------------------------------

def machine() -> Dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(terse=True),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "tinynet": tinynet.__version__}


def us(seconds: Optional[float]) -> str:
    if seconds is None:
        return "-"
    if seconds >= 0.1:
        return f"{seconds * 1e3:,.0f} ms"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs" if seconds < 1e-4 else f"{seconds * 1e6:.0f} µs"


def ratio(x: Optional[float]) -> str:
    return "-" if x is None else (f"{x:.2f}x" if x < 100 else f"{x:,.0f}x")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def targets(results: Dict[str, Any]) -> List[Tuple[str, str, str, str]]:
    """(target, limit, measured, verdict) for each target of the speed work."""
    out = []

    def verdict(value: Optional[float], ok: bool) -> str:
        return "n/a" if value is None else ("met" if ok else "MISSED")

    article = results.get("article", {})
    for key, name, label in (
            ("article_vs_numpy", "article", "article class vs the article's NumPy"),
            ("network_vs_numpy", "network", "Network([3, 4, 1]) vs the article's NumPy"),
            ("fit_vs_numpy", "fit", "Network([3, 4, 1]).fit vs the article's NumPy")):
        value = article.get(key)
        out.append((label, f"<= {TARGETS[name]}x", ratio(value),
                    verdict(value, value is not None and value <= TARGETS[name])))
    mm = [r for r in results.get("matmul", []) if r["shape"][0] == r["shape"][1] == r["shape"][2]]
    if mm:
        worst = max(mm, key=lambda r: r["vs_best"])
        out.append(("matmul vs the fastest pure Python, every n", f"<= {TARGETS['matmul_best']}x",
                    f"{ratio(worst['vs_best'])} (worst, n={worst['shape'][0]})",
                    verdict(worst["vs_best"], worst["vs_best"] <= TARGETS["matmul_best"])))
        at64 = [r for r in mm if r["shape"][0] == 64]
        if at64:
            # A target for CPython 3.12+ (math.sumprod); elsewhere only shown.
            value = at64[0]["textbook_speedup"]
            judged = _sumprod is not None and not PYPY
            out.append(("matmul speed-up over the textbook loop, n=64",
                        f">= {TARGETS['matmul_textbook']}x (3.12+)", ratio(value),
                        verdict(value, value >= TARGETS["matmul_textbook"])
                        if judged else "n/a"))
    digits = results.get("digits")
    if digits:
        value = digits["vs_best_fused"]
        out.append(("64-32-10 step vs the best hand-written step", f"<= {TARGETS['digits_step']}x",
                    ratio(value), verdict(value, value <= TARGETS["digits_step"])))
    return out


DIGITS_LABELS = {
    "Network": "tinynet Network", "fused (iterators)": "hand-fused pure Python (iterators)",
    "fused (loops)": "hand-fused pure Python (loops)", "numpy": "NumPy",
    "PyTorch": "PyTorch {torch} (float64, 1 thread)",
    "scikit-learn": "scikit-learn {sklearn} MLPClassifier.partial_fit",
    "micrograd": "micrograd {micrograd} (extrapolated from {rows} rows)",
}


def digits_report(digits: Dict[str, Any], meta: Dict[str, Any]) -> List[str]:
    """The digits table: each candidate's epoch with SGD and with Adam."""
    parts = ["", f"## d. one epoch of 64-32-10 on the digits ({digits['rows']} rows, "
                 f"{digits['batches']} steps of batch {DIGITS_BATCH})", ""]
    base = "numpy" if "numpy" in digits["sgd"] else "Network"
    header = ["code"]
    for opt in DIGITS_OPTIMIZERS:
        header += [f"{opt} ({DIGITS_LEARNING_RATES[opt]}), per epoch", f"vs {DIGITS_LABELS[base]}"]
    rows = []
    for name, label in DIGITS_LABELS.items():
        if not any(name in digits[opt] for opt in DIGITS_OPTIMIZERS):
            continue
        row = [label.format(rows=digits.get("micrograd_rows"), **meta["versions"])]
        for opt in DIGITS_OPTIMIZERS:
            t = digits[opt].get(name)
            row += [us(t), ratio(t / digits[opt][base]) if t is not None else "-"]
        rows.append(row)
    parts.append(table(header, rows))
    parts += ["", f"Network / best hand-fused step (SGD): {ratio(digits['vs_best_fused'])}"
                  + (f"; Network / NumPy: {ratio(digits['vs_numpy'])}" if "vs_numpy" in digits
                     else "")]
    return parts


def report(results: Dict[str, Any]) -> str:
    meta = results["meta"]
    has_np = meta["numpy"] is not None
    parts = [f"# tinynet vs NumPy ({'quick' if meta['quick'] else 'full'} run)", "",
             f"- Machine: {meta['cpu']}, {meta['cores']} cores, {meta['os']}",
             f"- Python: {meta['python']} ({meta['implementation']})",
             f"- NumPy: {meta['numpy'] or 'not installed: tinynet and pure-Python figures only'}",
             f"- tinynet {meta['tinynet']}; medians of {meta['repeats']} runs"]
    parts += [f"- Note: {note}" for note in meta["notes"]]
    if results.get("matmul"):
        parts += ["", "## a. matmul (times per call)", ""]
        header = ["shape", "tinynet", "best pure Python", "tinynet / best", "textbook / tinynet"]
        if has_np:
            header += ["NumPy", "NumPy + conversion", "tinynet / NumPy",
                       "tinynet / (NumPy + conv.)"]
        rows = []
        for r in results["matmul"]:
            row = [r["label"], us(r["tinynet"]), f"{us(r['best_time'])} ({r['best']})",
                   ratio(r["vs_best"]), ratio(r["textbook_speedup"])]
            if has_np:
                row += [us(r["numpy"]), us(r["numpy_conversion"]), ratio(r["vs_numpy"]),
                        ratio(r["vs_numpy_conversion"])]
            rows.append(row)
        parts.append(table(header, rows))
        names = list(results["matmul"][0]["formulations"])
        parts += ["", "Every pure-Python formulation:", "",
                  table(["shape"] + names,
                        [[r["label"]] + [us(r["formulations"][k]) for k in names]
                         for r in results["matmul"]])]
    if results.get("sigmoid"):
        parts += ["", "## b. elementwise sigmoid, n x n", ""]
        header = ["n", "tinynet"] + (["NumPy", "NumPy + conversion", "tinynet / NumPy",
                                      "tinynet / (NumPy + conv.)"] if has_np else [])
        rows = []
        for r in results["sigmoid"]:
            row = [str(r["n"]), us(r["tinynet"])]
            if has_np:
                row += [us(r["numpy"]), us(r["numpy_conversion"]), ratio(r["vs_numpy"]),
                        ratio(r["vs_numpy_conversion"])]
            rows.append(row)
        parts.append(table(header, rows))
    article = results.get("article")
    if article:
        parts += ["", f"## c. the article's training ({article['iterations']} iterations, "
                      "time per iteration)", ""]
        labels = {"article class": "tinynet article class",
                  "fit": "tinynet Network([3, 4, 1]).fit, biases, SGD (the compiled step)",
                  "Network": "the same network, step by step through the layers",
                  "reference": "the same fit inside tinynet.reference() (plain forms)",
                  "micrograd": "micrograd {} (no biases, as the article)",
                  "torch": "PyTorch {} (no biases, as the article; float64, 1 thread)",
                  "article's NumPy code": "the article's NumPy code"}
        rows = []
        for name, label in labels.items():
            if name in article:
                label = label.format(meta["versions"].get(name) or "")
                if name in article["framework_iterations"]:
                    label += f", {article['framework_iterations'][name]} iterations"
                rows.append([label, us(article[name]), ratio(article.get(f"{name} vs numpy"))])
        parts.append(table(["code", "per iteration", "vs the article's NumPy"], rows))
    if results.get("digits"):
        parts += digits_report(results["digits"], meta)
    cross = results.get("crossover")
    if cross:
        parts += ["", "## e. crossover (matmul, n x n)", ""]
        parts.append(table(["n", "tinynet", "NumPy", "NumPy + conversion"],
                           [[str(p["n"]), us(p["tinynet"]), us(p["numpy"]),
                             us(p["numpy+conversion"])] for p in cross["points"]]))
        def start(n: Optional[int]) -> str:
            return f"n = {n}" if n is not None else "no n measured here"
        parts += ["", f"NumPy wins from {start(cross['numpy_wins_from'])} on prebuilt arrays, "
                      f"and from {start(cross['numpy_with_conversion_wins_from'])} counting the "
                      "conversion from lists and back."]
    if results.get("scaling"):
        parts += scaling_report(results["scaling"])
    if results.get("memory"):
        parts += memory_report(results["memory"], meta)
    if results.get("cold"):
        parts += cold_report(results["cold"])
    if results.get("conv"):
        parts += load_conv_bench().report(results["conv"])
    parts += ["", "## targets", "",
              table(["target", "limit", "measured", "verdict"], targets(results))]
    return "\n".join(parts)


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark tinynet against NumPy and against plain Python.")
    parser.add_argument("--quick", action="store_true", help="fewer sizes and runs: under a minute")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--no-numpy", action="store_true", help="run as if NumPy were missing")
    parser.add_argument("--blas-threads", type=int, default=1, metavar="N",
                        help="threads for NumPy's BLAS (default 1, as tinynet has)")
    small = parser.add_argument_group("smaller runs, for checks of the script itself")
    small.add_argument("--sizes", help="comma-separated n for matmul, sigmoid and the crossover")
    small.add_argument("--iterations", type=int, default=ITERATIONS,
                       help=f"the article's iterations (default {ITERATIONS})")
    small.add_argument("--digits-rows", type=int, help="use only the first rows of the digits")
    small.add_argument("--repeats", type=int, help="timed runs per figure")
    small.add_argument("--budget", type=float, help="seconds per timed run, at least")
    small.add_argument("--warmup", type=float, help="seconds of calls before timing "
                                                     f"(default {WARMUP})")
    small.add_argument("--only", help="comma-separated sections to run, of: "
                                      + ",".join(SECTIONS))
    return parser.parse_args(argv)


def load_numpy(disabled: bool, threads: int) -> Any:
    if disabled:
        return None
    # One BLAS thread, as tinynet (and PyTorch here) has: on a busy machine a
    # multi-threaded BLAS can run small products several times slower.
    for var in BLAS_THREADS:
        os.environ[var] = str(threads)
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    np = load_numpy(args.no_numpy, args.blas_threads)
    quick = args.quick
    repeats = args.repeats or (QUICK_REPEATS if quick else REPEATS)
    budget = args.budget or (QUICK_BUDGET if quick else BUDGET)
    if args.warmup is not None:
        global WARMUP
        WARMUP = args.warmup
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
        matmul_sizes = sigmoid_sizes = crossover_sizes = sizes
        shapes = [(n, n, n) for n in sizes]
    else:
        matmul_sizes = QUICK_MATMUL_SIZES if quick else MATMUL_SIZES
        shapes = [(n, n, n) for n in matmul_sizes] + list(ARTICLE_SHAPES)
        sigmoid_sizes = QUICK_SIGMOID_SIZES if quick else SIGMOID_SIZES
        crossover_sizes = QUICK_CROSSOVER_SIZES if quick else CROSSOVER_SIZES
    scaling_sizes = ((QUICK_SCALING_BATCHES, QUICK_SCALING_WIDTHS) if quick
                     else (SCALING_BATCHES, SCALING_WIDTHS))
    if args.sizes:
        scaling_sizes = (sizes, sizes)
    sections = (args.only or ",".join(SECTIONS)).split(",")
    notes = []
    if np is None:
        notes.append("NumPy is missing, so only tinynet and pure-Python figures are measured"
                     + (" (--no-numpy)" if args.no_numpy else ""))
    if np is not None:
        notes.append(f"NumPy's BLAS runs on {args.blas_threads} thread(s) (--blas-threads)")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if np is not None and os.environ.get(var):
            notes.append(f"{var} is set; it can slow NumPy (unset it for this command only)")
    versions = {name: frameworks.version(name) for name in frameworks.FRAMEWORKS}
    results: Dict[str, Any] = {"meta": dict(machine(), numpy=np.__version__ if np else None,
                                            versions=versions, quick=quick, repeats=repeats,
                                            notes=notes)}
    if "matmul" in sections:
        results["matmul"] = bench_matmul(shapes, np, repeats, budget)
    if "sigmoid" in sections:
        results["sigmoid"] = bench_sigmoid(sigmoid_sizes, np, repeats, budget)
    if "article" in sections:
        results["article"] = bench_article(args.iterations, np, repeats, budget)
    if "digits" in sections:
        results["digits"] = bench_digits(args.digits_rows, np, repeats, budget, quick)
    if "crossover" in sections and np is not None:
        results["crossover"] = bench_crossover(crossover_sizes, np, repeats, budget)
    if "scaling" in sections:
        results["scaling"] = bench_scaling(*scaling_sizes, np, repeats, budget)
    if "memory" in sections:
        results["memory"] = bench_memory(args.digits_rows, np)
    if "cold" in sections:
        results["cold"] = bench_cold(QUICK_COLD_EPOCHS if quick else COLD_EPOCHS,
                                     args.digits_rows)
    conv = load_conv_bench()
    if "conv" in sections and conv is not None:
        results["conv"] = conv.run(np, repeats, budget, quick)
    results["targets"] = [dict(zip(("target", "limit", "measured", "verdict"), t))
                          for t in targets(results)]
    print(report(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
