"""The whole training step of a small Dense network, written out as Python.

Why. For a network as small as the article's 3-4-1, the arithmetic of a
step is a few hundred multiplications; what costs is the interpreter's
bookkeeping around them: a call per matrix op, a list per intermediate
result, a loop step per entry. Written out for one architecture, with every
weight a local variable, the step is one function of straight-line
arithmetic, and runs 3-5x faster than the same step through the layers.

What is generated. One function per Spec (sizes, activations, loss,
optimizer, weight decay or not), ``step(x, y, params, state, hyper)``. It
makes one pass over the batch rows; for each row it runs the forward pass,
the loss and its gradient, and the backward pass, adding the row's share to
the gradient sums (the gradient of a batch is the sum over its rows, so
nothing else needs a whole matrix). After the rows, the optimizer updates
every parameter. It returns ``(loss, y_hat, new_params, new_state)`` and
changes none of its arguments. Two variants (see source): the epochs form
makes many steps on one batch in one call, the parameters kept in local
variables from step to step (fit's full-batch training); and with
Spec.rows set, each row of a small batch is written out in turn, no loop.
Network.fit uses them where fits says they win; ``with tinynet.reference():``
turns them off.

- x (n, n_in), y (n, n_out): the batch, plain lists of rows;
- params: [W1, b1, W2, b2, ...], each W (n_in, n_out), each b (n_out,);
- state: the optimizer's running values (see initial_state);
- hyper: the optimizer's numbers (see hyperparameters).

The arithmetic is the layers' (tinynet.layers and friends), term for term
and in the same order: sums left to right, the bias last, the gradient sums
row by row, the loss by math.fsum. The results agree with the layers' to
the bit where their kernels are written out too (the article's network),
else to the last bit or two (math.sumprod, which larger products use,
rounds once); the tests hold them to 1e-12, with tinynet.reference() too. The sigmoid is 1 / (1 + e^-z), as the
reference's kernels compute it; if some z < -709 makes e^-z overflow, the
step runs again in a form with the two-sided sigmoid, which cannot.

The code grows with the number of weights, so it is meant for small
networks; ``fits`` says where it stops winning (measured, see
benchmarks/compare_numpy.py).

>>> print(source(Spec((1, 1), ("identity",), "sse")))
def step(x, y, params, state, hyper):
    # One training step: Dense 1-1 (identity), loss sse, optimizer sgd.
    [[w1_0_0]], [b1_0] = params
    lr, decay = hyper
    n = len(x)
    gw1_0_0 = gb1_0 = 0.0
    terms = []
    y_hat = []
    for [x0], [y0] in zip(x, y):
        # layer 1: a1 = identity(x @ W1 + b1)
        a1_0 = x0 * w1_0_0 + b1_0
        y_hat.append([a1_0])
        # loss sse: sum (y_hat - y)^2; dL/dy_hat = 2 (y_hat - y)
        e0 = a1_0 - y0
        terms.append(e0 * e0)
        # dL/dz1 = dL/da1 * identity'(z1)
        d1_0 = 2.0 * e0
        # dL/dW1 += x^T dL/dz1; dL/db1 += dL/dz1
        gw1_0_0 += x0 * d1_0
        gb1_0 += d1_0
    loss = fsum(terms)
    # sgd: p <- p - lr dL/dp
    return loss, y_hat, [
        [[w1_0_0 - lr * gw1_0_0]],
        [b1_0 - lr * gb1_0],
    ], state
>>> step = compile_step(Spec((1, 1), ("identity",), "sse"))
>>> step([[1.0]], [[3.0]], [[[2.0]], [0.0]], None, (0.25, 0.0))
(1.0, [[2.0]], [[[2.5]], [0.5]], None)
"""

from __future__ import annotations

import functools
import linecache
import math
import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ..errors import TinynetError

__all__ = ["Spec", "compile_step", "source", "fits", "fits_whole", "initial_state",
           "hyperparameters", "train_step", "ACTIVATIONS", "LOSSES", "OPTIMIZERS", "MAX_WEIGHTS",
           "MAX_WHOLE"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax")
LOSSES = ("sse", "mse", "binary_cross_entropy", "cross_entropy")
# sgd: p <- p - lr g; momentum and nesterov: SGD with momentum; adam: Adam.
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")

# The same constants as tinynet.activations.LEAKY_SLOPE and tinynet.losses'
# clamp [EPSILON, 1 - 2^-53] (this module imports no core module; a test
# checks they agree).
LEAKY_SLOPE = 0.01
EPSILON = 1e-300
BELOW_ONE = 1.0 - 2.0 ** -53

# Above this many weights and biases the generated step stops winning over
# the layers' step. Measured on one step, ReLU + sigmoid, batches of 4 and 32:
# on CPython 3.12 it takes 0.4x the layers' time at 3-4-1 (21), 0.75x at
# 8-8-4 (108) and 1.0x at 8-16-4 (212); on PyPy, warm, 0.1-0.3x up to 30,
# 0.4-0.9x up to 340, and 15x at 442, where the JIT gives up on the long loop.
MAX_WEIGHTS = 160
# Up to this many rows x weights, the rows are written out one after the
# other, with no loop (Spec.rows): 10-20% faster again on the article.
MAX_WHOLE = 256


class Spec(NamedTuple):
    """What a generated step is compiled for.

    sizes: layer widths, input first, e.g. (3, 4, 1); activations: one name
    per layer; loss: a name from LOSSES; optimizer: a name from OPTIMIZERS;
    decay: whether the weights (not the biases) get L2 weight decay; rows:
    None for a step that loops over any number of batch rows, or the
    number of rows, each then written out in turn (no loop: for the
    smallest problems, see fits_whole).
    """

    sizes: Tuple[int, ...]
    activations: Tuple[str, ...]
    loss: str
    optimizer: str = "sgd"
    decay: bool = False
    rows: Optional[int] = None

    def describe(self) -> str:
        """Return a one-line description, e.g. 'Dense 3-4-1 (sigmoid, sigmoid), ...'."""
        return (f"Dense {'-'.join(map(str, self.sizes))} ({', '.join(self.activations)}), "
                f"loss {self.loss}, optimizer {self.optimizer}"
                + (" with weight decay" if self.decay else "")
                + (f", {self.rows} rows" if self.rows else ""))


def check(spec: Spec) -> Spec:
    """Return spec with its sizes and names checked.

    >>> check(Spec((2, 1), ("swish",), "sse"))
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: compile_step: unknown activation 'swish'; valid: sigmoid, tanh, relu, leaky_relu, identity, softmax

    Raises TinynetError for sizes that are not positive integers (at least
    two), a count of activations that does not match, or an unknown name.
    """
    op = "compile_step"
    sizes = tuple(spec.sizes)
    if len(sizes) < 2 or not all(type(s) is int and s > 0 for s in sizes):
        raise TinynetError(f"{op}: sizes must be two or more positive integers, got {sizes!r}")
    if len(spec.activations) != len(sizes) - 1:
        raise TinynetError(f"{op}: needs one activation per layer ({len(sizes) - 1}), "
                           f"got {len(spec.activations)}")
    if spec.rows is not None and not (type(spec.rows) is int and spec.rows > 0):
        raise TinynetError(f"{op}: rows must be None or a positive integer, got {spec.rows!r}")
    for kind, name, valid in [("activation", a, ACTIVATIONS) for a in spec.activations] + [
            ("loss", spec.loss, LOSSES), ("optimizer", spec.optimizer, OPTIMIZERS)]:
        if name not in valid:
            raise TinynetError(f"{op}: unknown {kind} {name!r}; valid: {', '.join(valid)}")
    return spec._replace(sizes=sizes, activations=tuple(spec.activations), decay=bool(spec.decay))


def fits_whole(sizes: Sequence[int], rows: int) -> bool:
    """Return True if rows batch rows are few enough to write each out in turn.

    They are when rows times the weights and biases is at most MAX_WHOLE.

    >>> fits_whole((3, 4, 1), 4), fits_whole((3, 4, 1), 32)
    (True, False)
    """
    return rows * sum((k + 1) * m for k, m in zip(sizes, sizes[1:])) <= MAX_WHOLE


def fits(sizes: Sequence[int]) -> bool:
    """Return True if a network of these sizes is small enough for a generated step.

    It is when it has at most MAX_WEIGHTS weights and biases.

    >>> fits((3, 4, 1)), fits((64, 32, 10))
    (True, False)
    """
    return sum((k + 1) * m for k, m in zip(sizes, sizes[1:])) <= MAX_WEIGHTS


# --- names ----------------------------------------------------------------------------------
# Layer l = 1..L. x0, x1, ...: the row's inputs (layer 0's outputs); y0, ...: its targets;
# w{l}_{i}_{j}, b{l}_{j}: weights and biases; a{l}_{j}: outputs; d{l}_{j}: dL/dz of layer l;
# gw.., gb..: the gradient sums; vw.. (momentum), mw.. and sw.. (Adam): optimizer state.

def _a(l: int, j: int) -> str:
    return f"x{j}" if l == 0 else f"a{l}_{j}"


def _weights(prefix: str, l: int, k: int, m: int) -> List[List[str]]:
    return [[f"{prefix}w{l}_{i}_{j}" for j in range(m)] for i in range(k)]


def _biases(prefix: str, l: int, m: int) -> List[str]:
    return [f"{prefix}b{l}_{j}" for j in range(m)]


def _params(spec: Spec, prefix: str = "") -> List[Any]:
    """The names of every parameter, nested as params is: [W1, b1, W2, b2, ...]."""
    out: List[Any] = []
    for l, (k, m) in enumerate(zip(spec.sizes, spec.sizes[1:]), 1):
        out += [_weights(prefix, l, k, m), _biases(prefix, l, m)]
    return out


def _flat(nested: Any) -> List[str]:
    if isinstance(nested, str):
        return [nested]
    return [name for item in nested for name in _flat(item)]


def _literal(nested: Any) -> str:
    if isinstance(nested, str):
        return nested
    return "[" + ", ".join(_literal(item) for item in nested) + "]"


def _sum(terms: Sequence[str]) -> str:
    # Left to right, as the reference adds: ((t0 + t1) + t2) + ...
    return " + ".join(terms)


# --- the forward pass, one row ----------------------------------------------------------------

def _forward(spec: Spec, l: int, safe: bool) -> List[str]:
    """Lines computing a{l} = f(a{l-1} @ W{l} + b{l}) for one row."""
    k, m, act = spec.sizes[l - 1], spec.sizes[l], spec.activations[l - 1]
    z = [_sum([f"{_a(l - 1, i)} * w{l}_{i}_{j}" for i in range(k)] + [f"b{l}_{j}"])
         for j in range(m)]
    lines = [f"# layer {l}: a{l} = {act}({'x' if l == 1 else f'a{l - 1}'} @ W{l} + b{l})"]
    if act == "softmax":
        return lines + _softmax(l, z)
    for j in range(m):
        lines += _activate(act, _a(l, j), z[j], safe)
    return lines


def _activate(act: str, a: str, z: str, safe: bool) -> List[str]:
    if act == "sigmoid" and not safe:
        return [f"{a} = 1.0 / (1.0 + exp(-({z})))"]
    if act == "sigmoid":  # the two-sided form: no exponential of a large positive number
        return [f"z = {z}", f"{a} = 1.0 / (1.0 + exp(-z)) if z >= 0.0 else exp(z) / (1.0 + exp(z))"]
    if act == "tanh":
        return [f"{a} = tanh({z})"]
    if act == "identity":
        return [f"{a} = {z}"]
    slope = "0.0" if act == "relu" else "LEAKY_SLOPE * z"
    return [f"z = {z}", f"{a} = z if z > 0.0 else {slope}"]


def _softmax(l: int, z: Sequence[str]) -> List[str]:
    # a_j = e^(z_j - max z) / sum_i e^(z_i - max z): every exponent <= 0
    m = len(z)
    lines = [f"z{l}_{j} = {z[j]}" for j in range(m)]
    lines.append(f"top = max({', '.join(f'z{l}_{j}' for j in range(m))})" if m > 1
                 else f"top = z{l}_0")
    lines += [f"ez{j} = exp(z{l}_{j} - top)" for j in range(m)]
    lines.append(f"total = {_sum([f'ez{j}' for j in range(m)])}")
    return lines + [f"{_a(l, j)} = ez{j} / total" for j in range(m)]


# --- the loss and the backward pass, one row ------------------------------------------------

# dL/dy_hat, entry j, per loss (k: the loss's scale, computed once a step; p{j}:
# the clamped prediction), as tinynet.losses computes it.
_LOSS_GRADIENT = {
    "sse": "2.0 * e{j}",
    "mse": "k * e{j}",
    "binary_cross_entropy": "k * (p{j} - y{j}) / (p{j} * (1.0 - p{j}))",
    "cross_entropy": "k * y{j} / p{j}",
}
# The loss's share of one entry, summed over the batch (then scaled, see _finish).
_LOSS_TERM = {
    "sse": "e{j} * e{j}",
    "mse": "e{j} * e{j}",
    "binary_cross_entropy": "y{j} * log(p{j}) + (1.0 - y{j}) * log(1.0 - p{j})",
    "cross_entropy": "y{j} * log(p{j})",
}
_LOSS_FORMULA = {
    "sse": "sum (y_hat - y)^2; dL/dy_hat = 2 (y_hat - y)",
    "mse": "sum (y_hat - y)^2 / (n m); dL/dy_hat = 2 (y_hat - y) / (n m)",
    "binary_cross_entropy": "-sum [y log p + (1 - y) log(1 - p)] / (n m); "
                            "dL/dp = (p - y) / (p (1 - p) n m)",
    "cross_entropy": "-sum y log p / n; dL/dp = -y / (p n)",
}
# Output activation + loss pairs whose dL/dz has a short, stable form: (y_hat - y) k.
_SHORT = {("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")}
# The loss's scale k, computed once a step from the batch rows n.
_SCALE = {"mse": "k = 2.0 / (n * {m})", "binary_cross_entropy": "k = 1.0 / (n * {m})",
          "cross_entropy": "k = -1.0 / n"}
_SHORT_SCALE = {"binary_cross_entropy": "k = 1.0 / (n * {m})", "cross_entropy": "k = 1.0 / n"}
# dL/dz = dL/da * f'(z), written with the output a, as tinynet.activations does.
_SLOPE = {
    "sigmoid": "{g} * ({a} * (1.0 - {a}))",
    "tanh": "{g} * (1.0 - {a} * {a})",
    "relu": "{g} if {a} > 0.0 else {g} * 0.0",
    "leaky_relu": "{g} if {a} > 0.0 else {g} * LEAKY_SLOPE",
    "identity": "{g}",
}


def _loss(spec: Spec) -> List[str]:
    """Lines adding the row's loss and computing d{L} = dL/dz of the last layer."""
    L, m = len(spec.sizes) - 1, spec.sizes[-1]
    act, loss = spec.activations[-1], spec.loss
    lines = [f"# loss {loss}: {_LOSS_FORMULA[loss]}"]
    if loss in ("sse", "mse") or (act, loss) in _SHORT:
        lines += [f"e{j} = {_a(L, j)} - y{j}" for j in range(m)]
    if loss in ("binary_cross_entropy", "cross_entropy"):  # clamped into [EPSILON, BELOW_ONE]
        lines += [f"p{j} = EPSILON if {_a(L, j)} < EPSILON else "
                  f"(BELOW_ONE if {_a(L, j)} > BELOW_ONE else {_a(L, j)})" for j in range(m)]
    terms = [_LOSS_TERM[loss].format(j=j) for j in range(m)]
    lines.append(f"terms.append({terms[0]})" if m == 1 else f"terms += ({', '.join(terms)})")
    if (act, loss) in _SHORT:
        lines.append(f"# dL/dz{L} = (y_hat - y) k: the short form of {act} + {loss}")
        return lines + [f"d{L}_{j} = k * e{j}" for j in range(m)]
    lines.append(f"# dL/dz{L} = dL/da{L} * {act}'(z{L})")
    return lines + _slope(act, L, [_LOSS_GRADIENT[loss].format(j=j) for j in range(m)])


def _slope(act: str, l: int, g: Sequence[str]) -> List[str]:
    """Lines computing d{l}_j = dL/dz from g_j = dL/da (names or expressions)."""
    if act == "softmax":  # the Jacobian diag(a) - a a^T: d_i = a_i (g_i - sum_j a_j g_j)
        names = [f"g{j}" for j in range(len(g))]
        lines = [f"{n} = {e}" for n, e in zip(names, g) if n != e]
        lines.append(f"dot = {_sum([f'{_a(l, j)} * {n}' for j, n in enumerate(names)])}")
        return lines + [f"d{l}_{j} = {_a(l, j)} * ({n} - dot)" for j, n in enumerate(names)]
    lines = []
    for j, expr in enumerate(g):
        if act in ("relu", "leaky_relu") and not expr.isidentifier():
            lines.append(f"g = {expr}")  # used twice below
            expr = "g"
        elif act in ("sigmoid", "tanh") and not expr.isidentifier():
            expr = f"({expr})"
        lines.append(f"d{l}_{j} = " + _SLOPE[act].format(g=expr, a=_a(l, j)))
    return lines


def _backward(spec: Spec, l: int) -> List[str]:
    """Lines adding layer l's gradients and, below the first layer, computing d{l-1}."""
    k, m = spec.sizes[l - 1], spec.sizes[l]
    below = "x" if l == 1 else f"a{l - 1}"
    lines = [f"# dL/dW{l} += {below}^T dL/dz{l}; dL/db{l} += dL/dz{l}"]
    lines += [f"gw{l}_{i}_{j} += {_a(l - 1, i)} * d{l}_{j}" for i in range(k) for j in range(m)]
    lines += [f"gb{l}_{j} += d{l}_{j}" for j in range(m)]
    if l == 1:
        return lines
    act = spec.activations[l - 2]
    # dL/da{l-1} = d{l} @ W{l}^T, entry i: sum_j d{l}_j w{l}_{i}_{j}
    g = [_sum([f"d{l}_{j} * w{l}_{i}_{j}" for j in range(m)]) for i in range(k)]
    lines.append(f"# dL/dz{l - 1} = (dL/dz{l} @ W{l}^T) * {act}'(z{l - 1})")
    return lines + _slope(act, l - 1, g)


# The loss from its terms, summed by fsum (exactly rounded, in any order) as
# tinynet.losses sums them, so the two agree to the bit.
_FINISH = {"sse": "loss = fsum(terms)", "mse": "loss = fsum(terms) / (n * {m})",
           "binary_cross_entropy": "loss = -fsum(terms) / (n * {m})",
           "cross_entropy": "loss = -fsum(terms) / n"}


# --- the optimizer ----------------------------------------------------------------------------
# Each returns (lines, the new value's expression) for one parameter entry p with
# gradient sum g and state names derived from p, as tinynet.optim computes it.

def _sgd(p: str, g: str) -> Tuple[List[str], str]:
    return [], f"{p} - lr * {g}"


def _momentum(p: str, g: str, nesterov: bool = False) -> Tuple[List[str], str]:
    v = "v" + p
    new = f"{p} + mu * {v} - lr * {g}" if nesterov else f"{p} + {v}"
    return [f"{v} = mu * {v} - lr * {g}"], new


def _adam(p: str, g: str) -> Tuple[List[str], str]:
    m, s = "m" + p, "s" + p
    return [f"{m} = beta1 * {m} + one_b1 * {g}", f"{s} = beta2 * {s} + one_b2 * {g} * {g}"], \
        f"{p} - lr1 * {m} / (sqrt({s} / c2) + eps)"


_UPDATES: Dict[str, Callable[[str, str], Tuple[List[str], str]]] = {
    "sgd": _sgd, "momentum": _momentum,
    "nesterov": lambda p, g: _momentum(p, g, nesterov=True), "adam": _adam,
}
_RULES = {
    "sgd": "p <- p - lr dL/dp",
    "momentum": "v <- mu v - lr dL/dp; p <- p + v",
    "nesterov": "v <- mu v - lr dL/dp; p <- p + mu v - lr dL/dp",
    "adam": "m <- b1 m + (1 - b1) g; s <- b2 s + (1 - b2) g^2; "
            "p <- p - lr m / (1 - b1^t) / (sqrt(s / (1 - b2^t)) + eps)",
}
_HYPER = {"sgd": "lr, decay", "momentum": "lr, decay, mu", "nesterov": "lr, decay, mu",
          "adam": "lr, decay, beta1, beta2, eps"}


def _state_names(spec: Spec) -> Any:
    """The state's names, nested as the state is (None for plain SGD)."""
    if spec.optimizer == "sgd":
        return None
    if spec.optimizer == "adam":
        return ["t", _params(spec, "m"), _params(spec, "s")]
    return _params(spec, "v")


def _update(spec: Spec) -> Tuple[List[str], Any]:
    """The optimizer's lines and the new parameters' expressions, nested as params."""
    lines = [f"# {spec.optimizer}: {_RULES[spec.optimizer]}"]
    if spec.decay:
        lines.append("# weight decay: dL/dW += decay W (not the biases)")
        for W in _params(spec)[0::2]:
            lines += [f"g{w} += decay * {w}" for w in _flat(W)]
    if spec.optimizer == "adam":
        lines += ["t += 1", "lr1 = lr / (1.0 - beta1 ** t)", "c2 = 1.0 - beta2 ** t",
                  "one_b1, one_b2 = 1.0 - beta1, 1.0 - beta2"]
    rule = _UPDATES[spec.optimizer]

    def new(nested: Any) -> Any:
        if isinstance(nested, str):
            more, expr = rule(nested, "g" + nested)
            lines.extend(more)
            return expr
        return [new(item) for item in nested]
    return lines, new(_params(spec))


# --- the whole function -----------------------------------------------------------------------

def _prologue(spec: Spec) -> List[str]:
    """Lines unpacking the parameters, the state and the hyperparameters."""
    lines = [f"{', '.join(_literal(p) for p in _params(spec))} = params"]
    if spec.optimizer != "sgd":
        lines.append(f"{_state_literal(spec)} = state")
    lines += [f"{_HYPER[spec.optimizer]} = hyper", "n = len(x)"]
    if spec.rows is not None:  # every row's inputs and targets, unpacked once
        xs, ys = _row_names(spec)
        lines += [f"{_literal([[f'{v}_r{r}' for v in names] for r in range(spec.rows)])} = {what}"
                  for names, what in ((xs, "x"), (ys, "y"))]
    scales = _SHORT_SCALE if (spec.activations[-1], spec.loss) in _SHORT else _SCALE
    if spec.loss in scales:
        lines.append(scales[spec.loss].format(m=spec.sizes[-1]))
    return lines


def _row(spec: Spec, safe: bool, keep_y_hat: bool) -> List[str]:
    """The lines for one row: forward, loss, backward, the gradient sums' shares."""
    L, n_out = len(spec.sizes) - 1, spec.sizes[-1]
    row: List[str] = []
    for l in range(1, L + 1):
        row += _forward(spec, l, safe)
    if keep_y_hat:
        row.append(f"y_hat.append({_literal([_a(L, j) for j in range(n_out)])})")
    row += _loss(spec)
    for l in range(L, 0, -1):
        row += _backward(spec, l)
    return row


def _row_names(spec: Spec) -> Tuple[List[str], List[str]]:
    return [_a(0, i) for i in range(spec.sizes[0])], [f"y{j}" for j in range(spec.sizes[-1])]


def _gradients(spec: Spec, safe: bool, keep_y_hat: bool) -> List[str]:
    """Lines computing the loss and the gradient sums, one pass over the rows."""
    if spec.rows is not None:
        return _gradients_whole(spec, safe, keep_y_hat)
    lines = [" = ".join(_flat(_params(spec, "g"))) + " = 0.0", "terms = []"]
    xs, ys = _row_names(spec)
    lines += ["y_hat = []"] * keep_y_hat + [f"for {_literal(xs)}, {_literal(ys)} in zip(x, y):"]
    lines += ["    " + line for line in _row(spec, safe, keep_y_hat)]
    return lines + [_FINISH[spec.loss].format(m=spec.sizes[-1])]


# The whole form: the row's lines once per row r, its own names suffixed _r{r};
# the shares of the gradient sums and the loss terms gathered into one sum each.
_ROW_LOCAL = re.compile(r"\b([xyaedpz]\d+(?:_\d+)?)\b")
_SHARE = re.compile(r"(g[wb]\w+) \+= (.*)")
_TERMS = re.compile(r"terms(?:\.append\(| \+= \()(.*)\)")
_OUTPUT = re.compile(r"y_hat\.append\((.*)\)")


def _gradients_whole(spec: Spec, safe: bool, keep_y_hat: bool) -> List[str]:
    lines: List[str] = []
    sums: Dict[str, List[str]] = {name: [] for name in _flat(_params(spec, "g"))}
    terms: List[str] = []
    outputs: List[str] = []
    for r in range(spec.rows or 0):
        lines.append(f"# row {r}")
        for line in _row(spec, safe, keep_y_hat):
            if line.startswith("#"):  # the comments once, those on the gradient sums below
                if r == 0 and not line.startswith("# dL/dW"):
                    lines.append(line)
                continue
            line = _ROW_LOCAL.sub(lambda match: f"{match.group(1)}_r{r}", line)
            share, term, output = _SHARE.match(line), _TERMS.match(line), _OUTPUT.match(line)
            if share:
                sums[share.group(1)].append(share.group(2))
            elif term or output:
                (terms if term else outputs).append((term or output).group(1))
            else:
                lines.append(line)
    lines.append("# dL/dW = a^T dL/dz and dL/db = the column sums of dL/dz, over the rows")
    lines += [f"{g} = {_sum(shares)}" for g, shares in sums.items()]
    lines += [f"y_hat = {_literal(outputs)}"] * keep_y_hat + [f"terms = ({', '.join(terms)},)"]
    return lines + [_FINISH[spec.loss].format(m=spec.sizes[-1])]


def _state_literal(spec: Spec) -> str:
    state = _state_names(spec)
    if state is None:
        return "state"
    text = ", ".join(_literal(s) for s in state)
    return f"({text})" if spec.optimizer == "adam" else f"[{text}]"


def _step_body(spec: Spec, safe: bool) -> List[str]:
    """One step: the gradients, the update, and the new parameters returned."""
    update, new_params = _update(spec)
    result = ["return loss, y_hat, ["] + [f"    {_literal(p)}," for p in new_params]
    return (_prologue(spec) + _gradients(spec, safe, True) + update + result
            + [f"], {_state_literal(spec)}"])


def _epochs_body(spec: Spec, safe: bool) -> List[str]:
    """count steps on the same batch, the parameters kept in local variables."""
    update, new_params = _update(spec)
    names = _flat(_params(spec))
    assign = [f"{p} = {expr}" for p, expr in zip(names, _flat(new_params))]
    loop = _gradients(spec, safe, False) + update + assign + [
        "losses.append(loss)", "if not isfinite(loss):", "    break"]
    return (_prologue(spec) + ["losses = []", "for epoch in range(count):"]
            + ["    " + line for line in loop]
            + [f"return losses, [{', '.join(_literal(p) for p in _params(spec))}], "
               f"{_state_literal(spec)}"])


# The two forms: their def line, body and what the overflow guard does.
_FORMS = {
    "step": ("def step(x, y, params, state, hyper):", _step_body,
             ["return safe_step(x, y, params, state, hyper)"]),
    "epochs": ("def epochs(x, y, params, state, hyper, count):", _epochs_body,
               ["more, params, state = safe_step(x, y, {params}, {state}, hyper, "
                "count - len(losses))", "return losses + more, params, state"]),
}


def source(spec: Spec, safe: bool = False, form: str = "step") -> str:
    """Return the source text of the generated step for spec.

    form="step": one step (see the module docstring). form="epochs":
    ``epochs(x, y, params, state, hyper, count)`` makes count steps on the
    same batch, as full-batch training does, keeping every parameter in a
    local variable from one step to the next; it returns (losses, params,
    state) and stops after a loss that is not finite. safe=True gives the
    form with the two-sided sigmoid, which either falls back on when e^-z
    overflows.

    Raises TinynetError for a spec check() rejects or an unknown form.
    """
    spec = check(spec)
    if form not in _FORMS:
        raise TinynetError(f"source: unknown form {form!r}; valid: {', '.join(_FORMS)}")
    head, body, fallback = _FORMS[form]
    what = "One training step" if form == "step" else "count training steps on one batch"
    lines = [head, f"    # {what}: {spec.describe()}."]
    if safe or "sigmoid" not in spec.activations:
        return "\n".join(lines + ["    " + line for line in body(spec, safe)])
    params = "[" + ", ".join(_literal(p) for p in _params(spec)) + "]"
    fallback = [line.format(params=params, state=_state_literal(spec)) for line in fallback]
    return "\n".join(lines + ["    try:"] + ["        " + line for line in body(spec, safe)] + [
        "    except OverflowError:  # some z < -709: e^-z overflowed; the two-sided form cannot"]
        + ["        " + line for line in fallback])


_GLOBALS = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "tanh": math.tanh,
            "isfinite": math.isfinite, "fsum": math.fsum,
            "LEAKY_SLOPE": LEAKY_SLOPE, "EPSILON": EPSILON, "BELOW_ONE": BELOW_ONE}


@functools.lru_cache(maxsize=64)
def compile_step(spec: Spec, safe: bool = False, form: str = "step") -> Callable[..., Any]:
    """Return the step generated for spec (see source), compiled once: later
    calls reuse it.

    The source is registered with linecache under a name like
    ``<tinynet step Dense 3-4-1 (sigmoid, sigmoid), loss sse, optimizer sgd>``,
    so tracebacks and pdb show its lines.

    Raises TinynetError for a spec check() rejects.
    """
    spec = check(spec)
    text = source(spec, safe, form)
    filename = f"<tinynet {form} {spec.describe()}{' (safe)' if safe else ''}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace: Dict[str, Any] = dict(_GLOBALS)
    namespace["safe_step"] = lambda *args: compile_step(spec, True, form)(*args)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[form]


# --- plain-data helpers -------------------------------------------------------------------------

def _zeros_like(nested: Any) -> Any:
    return [_zeros_like(v) for v in nested] if isinstance(nested, list) else 0.0


def initial_state(spec: Spec) -> Any:
    """Return the optimizer state before the first step: None for plain SGD,
    zero velocities for momentum, (0, zero m, zero s) for Adam.

    >>> initial_state(Spec((1, 2), ("identity",), "sse", "momentum"))
    [[[0.0, 0.0]], [0.0, 0.0]]
    """
    spec = check(spec)
    if spec.optimizer == "sgd":
        return None
    zeros = _zeros_like(_params(spec))
    if spec.optimizer == "adam":
        return (0, zeros, _zeros_like(zeros))
    return zeros


def hyperparameters(optimizer: str, learning_rate: float, weight_decay: float = 0.0, *,
                    momentum: float = 0.0, beta1: float = 0.9, beta2: float = 0.999,
                    eps: float = 1e-8) -> Tuple[float, ...]:
    """Return the hyper tuple a step for optimizer takes, e.g. (lr, decay) for sgd.

    >>> hyperparameters("adam", 0.01)
    (0.01, 0.0, 0.9, 0.999, 1e-08)

    Raises TinynetError for an unknown optimizer.
    """
    if optimizer not in OPTIMIZERS:
        raise TinynetError(f"hyperparameters: unknown optimizer {optimizer!r}; "
                           f"valid: {', '.join(OPTIMIZERS)}")
    if optimizer == "sgd":
        return (learning_rate, weight_decay)
    if optimizer == "adam":
        return (learning_rate, weight_decay, beta1, beta2, eps)
    return (learning_rate, weight_decay, momentum)


def train_step(layers: Sequence[Tuple[Any, Any, str]], x: Sequence[Sequence[float]],
               y: Sequence[Sequence[float]], loss: str, optimizer: str = "sgd",
               hyper: Sequence[float] = (0.1, 0.0), state: Any = None) -> Tuple[Any, ...]:
    """Return (loss, y_hat, new layers, new state) after one step on (x, y).

    layers: one (weights, biases, activation name) per layer, weights
    (n_in, n_out) and biases (n_out,); hyper: see hyperparameters; state:
    the last step's (None: start afresh). Compiles the step for this
    architecture on first use. Nothing passed in is changed.

    >>> layers = [([[2.0]], [0.0], "identity")]
    >>> train_step(layers, [[1.0]], [[3.0]], "sse", hyper=(0.25, 0.0))
    (1.0, [[2.0]], [([[2.5]], [0.5], 'identity')], None)

    Raises TinynetError for unknown names or sizes that do not chain.
    """
    sizes = tuple([len(layers[0][0])] + [len(b) for _, b, _ in layers]) if layers else ()
    for i, (w, _, _) in enumerate(layers):
        if len(w) != sizes[i] or any(len(row) != sizes[i + 1] for row in w):
            raise TinynetError(f"train_step: layer {i + 1}'s weights are not "
                               f"({sizes[i]}, {sizes[i + 1]})")
    spec = Spec(sizes, tuple(act for _, _, act in layers), loss, optimizer,
                weight_decay_of(optimizer, hyper) > 0.0)
    step = compile_step(spec)
    params = [p for w, b, _ in layers for p in (w, b)]
    value, y_hat, new, state = step(x, y, params, initial_state(spec) if state is None
                                    else state, tuple(hyper))
    return value, y_hat, [(new[2 * i], new[2 * i + 1], act) for i, (_, _, act) in
                          enumerate(layers)], state


def weight_decay_of(optimizer: str, hyper: Sequence[float]) -> float:
    """Return the weight decay in a hyper tuple (its second entry).

    >>> weight_decay_of("sgd", (0.1, 0.5))
    0.5
    """
    return hyper[1]
