"""Kernels written out for one shape, generated once per shape and cached.

Why. On CPython the arithmetic of a small matrix op costs little next to the
interpreter's bookkeeping around it: a ``zip`` per row, a call per dot
product, a loop step per entry. Written out for a known shape (inputs
unpacked into local variables, each output entry one expression) the
bookkeeping goes, and the article's 4x3 @ 3x4 product or 4x1 difference
runs 2-3x faster than the general kernels. Like the standard library's
dataclasses, which write ``__init__`` as text and ``exec`` it, each kernel's
source is built as text once per shape, compiled, and kept in a cache;
``source(name, shape)`` shows it. Shapes are (rows, columns...), with the
rows first; for a product (n, k, m) means (n, k) @ (k, m).

The forms, by size:

- whole: every entry of a small matrix named, no loop at all (the article's
  4-row problem):

>>> print(source("sub", (2, 2)))
def sub(a, b):
    # sub, entry by entry: (2, 2)
    [[a0_0, a0_1], [a1_0, a1_1]] = a
    [[b0_0, b0_1], [b1_0, b1_1]] = b
    return [[a0_0 - b0_0, a0_1 - b0_1],
            [a1_0 - b1_0, a1_1 - b1_1]]

- rows (``None`` rows in the shape): a list comprehension over the rows,
  each row unpacked, so one kernel serves every batch size:

>>> print(source("matmul", (None, 3, 2)))
def matmul(a, b):
    # (n, 3) @ (3, 2) -> (n, 2)
    [[b0_0, b0_1], [b1_0, b1_1], [b2_0, b2_1]] = b
    return [[a0 * b0_0 + a1 * b1_0 + a2 * b2_0,
             a0 * b0_1 + a1 * b1_1 + a2 * b2_1]
            for [a0, a1, a2] in a]

- loop (PyPy only, for larger products): plain loops, which PyPy's JIT
  compiles to machine code, compiled once per shape (see _matmul_loop for
  why per shape).

The code grows with the shape, so the chooser each op gets in FORMS hands
out the general fast form (tinynet.fast.loops: zip and math.sumprod), or
none (the core's plain form), for shapes above the limits in RULES, which
were measured on CPython 3.8-3.13 and PyPy (``benchmarks/compare_numpy.py``).
The door (tinynet.fast.door) asks the chooser once per shape.

Each kernel computes what the textbook loop or the scalar function
computes, in the same order (sums left to right, from the first term), so
results agree to the bit, except the sigmoid, which drops the scalar
function's branch (see _sigmoid). The tests check every form against
``tests/oracle.py`` for random shapes.
"""

from __future__ import annotations

import functools
import linecache
import math
import platform
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import loops

__all__ = ["source", "filename", "compile_kernel", "SOURCES", "RULES", "FORMS", "MAX_SHAPES"]

PYPY = platform.python_implementation() == "PyPy"

# A program that meets very many shapes (a property test, say) would keep a
# compiled function for each; past this many a cache starts again.
MAX_SHAPES = 512

Shape = Tuple[Optional[int], ...]


# --- names and text ----------------------------------------------------------------

def _names(prefix: str, i: Optional[int], m: int) -> List[str]:
    """Names of a row's entries: a0, a1, ... (row mode) or a2_0, a2_1, ... (row 2)."""
    if i is None:
        return [f"{prefix}{j}" for j in range(m)]
    return [f"{prefix}{i}_{j}" for j in range(m)]


def _grid(prefix: str, n: int, m: int) -> List[List[str]]:
    return [_names(prefix, i, m) for i in range(n)]


def _list(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _nested(rows: Sequence[Sequence[str]]) -> str:
    return "[" + ", ".join(_list(r) for r in rows) + "]"


def _sum(terms: Sequence[str]) -> str:
    # Left to right, as the textbook loop adds: ((t0 + t1) + t2) + ...
    return " + ".join(terms)


def _function(name: str, params: str, comment: str, body: Sequence[str]) -> str:
    return "\n".join([f"def {name}({params}):", f"    # {comment}"]
                     + ["    " + line for line in body])


def _result(rows: Sequence[Sequence[str]]) -> List[str]:
    """'return [[...], [...]]', one output row a line."""
    text = [_list(r) for r in rows]
    lines = ["return [" + text[0]] + ["        " + t for t in text[1:]]
    return [line + "," for line in lines[:-1]] + [lines[-1] + "]"]


def _rowwise_parts(n: Optional[int], inputs: Sequence[Tuple[str, int]],
                   entries: Callable[..., List[str]]) -> Tuple[List[str], List[str]]:
    """The unpacking lines and the return lines of a row-by-row kernel."""
    if n is None:
        rows = [_names(p, None, m) for p, m in inputs]
        target = ", ".join(_list(r) for r in rows)
        source = inputs[0][0] if len(inputs) == 1 else f"zip({', '.join(p for p, _ in inputs)})"
        out = entries(*rows)
        first = "return [[" + out[0] if len(out) > 1 else "return [" + _list(out)
        lines = [first] + ["         " + e for e in out[1:]]
        if len(out) > 1:
            lines = [line + "," for line in lines[:-1]] + [lines[-1] + "]"]
        return [], lines + [f"        for {target} in {source}]"]
    unpack = [f"{_nested(_grid(p, n, m))} = {p}" for p, m in inputs]
    return unpack, _result([entries(*[_names(p, i, m) for p, m in inputs]) for i in range(n)])


def _rowwise(name: str, params: str, comment: str, n: Optional[int],
             inputs: Sequence[Tuple[str, int]], entries: Callable[..., List[str]],
             setup: Sequence[str] = ()) -> str:
    """A kernel whose output row i depends only on row i of each input.

    inputs: (parameter, columns) of the matrices read row by row, in step;
    entries(*rows): the output row's expressions, given each input row's
    entry names; setup: lines that unpack the other arguments.
    """
    unpack, result = _rowwise_parts(n, inputs, entries)
    return _function(name, params, comment, list(setup) + unpack + result)


def _rows_of(n: Optional[int]) -> str:
    return "n" if n is None else str(n)


# --- the kernels, one source builder each ---------------------------------------------
# Each takes the shape, rows first (None: any number of rows).

def _matmul(n: Optional[int], k: int, m: int) -> str:
    b = _grid("b", k, m)
    return _rowwise(
        "matmul", "a, b", f"({_rows_of(n)}, {k}) @ ({k}, {m}) -> ({_rows_of(n)}, {m})", n,
        [("a", k)], lambda a: [_sum([f"{a[p]} * {b[p][j]}" for p in range(k)]) for j in range(m)],
        [f"{_nested(b)} = b"])


def _matmul_bt(n: Optional[int], k: int, m: int) -> str:
    # b is (m, k): entry j of a row is the row's dot product with b's row j.
    b = _grid("b", m, k)
    return _rowwise(
        "matmul_bt", "a, b", f"({_rows_of(n)}, {k}) @ ({m}, {k})^T -> ({_rows_of(n)}, {m})", n,
        [("a", k)], lambda a: [_sum([f"{a[p]} * {b[j][p]}" for p in range(k)]) for j in range(m)],
        [f"{_nested(b)} = b"])


def _affine(n: Optional[int], k: int, m: int) -> str:
    # x @ w + bias in one pass; the bias joins the sum last, as it does in
    # add_row(matmul(x, w), bias) with the written-out matmul.
    w, c = _grid("w", k, m), _names("c", None, m)
    return _rowwise(
        "affine", "x, w, bias",
        f"({_rows_of(n)}, {k}) @ ({k}, {m}) + ({m},) -> ({_rows_of(n)}, {m})", n,
        [("x", k)],
        lambda x: [_sum([f"{x[p]} * {w[p][j]}" for p in range(k)] + [c[j]]) for j in range(m)],
        [f"{_nested(w)} = w", f"{_list(c)} = bias"])


def _elementwise(name: str, template: str, arity: int = 1,
                 params: Optional[str] = None) -> Callable[..., str]:
    """An entry-by-entry kernel: template.format(a=..., b=...) per entry."""
    letters = "ab"[:arity]
    params = params or ", ".join(letters)

    def build(n: Optional[int], m: int) -> str:
        return _rowwise(
            name, params, f"{name}, entry by entry: ({_rows_of(n)}, {m})", n,
            [(p, m) for p in letters],
            lambda *rows: [template.format(**{p: row[j] for p, row in zip(letters, rows)})
                           for j in range(m)])
    return build


def _sigmoid(n: Optional[int], m: int) -> str:
    # 1 / (1 + e^-z), one expression per entry and no branch: faster than
    # the scalar function's two-sided form, which it falls back on when some
    # z < -709 makes e^-z overflow. (For z < 0 the two forms can differ in
    # the last bit; both are accurate to an ulp or two.)
    def form(template: str) -> Tuple[List[str], List[str]]:
        return _rowwise_parts(n, [("a", m)], lambda a: [template.format(a=v) for v in a])
    unpack, fast = form("1.0 / (1.0 + exp(-{a}))")
    _, safe = form("(1.0 / (1.0 + exp(-{a})) if {a} >= 0.0 else (e := exp({a})) / (1.0 + e))")
    body = (unpack + ["try:"] + ["    " + line for line in fast]
            + ["except OverflowError:  # some z < -709: the two-sided form cannot overflow"]
            + ["    " + line for line in safe])
    return _function("sigmoid", "a", f"sigmoid, entry by entry: ({_rows_of(n)}, {m})", body)


def _add_row(n: Optional[int], m: int) -> str:
    r = _names("r", None, m)
    return _rowwise("add_row", "a, row", f"({_rows_of(n)}, {m}) + ({m},)", n, [("a", m)],
                    lambda a: [f"{a[j]} + {r[j]}" for j in range(m)], [f"{_list(r)} = row"])


def _matmul_at(n: Optional[int], k: int, m: int) -> str:
    # a^T @ b for a (n, k), b (n, m): the weight gradient x^T @ delta, as a
    # sum over the rows r of the outer products a_r^T b_r, in row order.
    comment = f"({_rows_of(n)}, {k})^T @ ({_rows_of(n)}, {m}) -> ({k}, {m})"
    if n is not None:
        a, b = _grid("a", n, k), _grid("b", n, m)
        rows = [[_sum([f"{a[r][i]} * {b[r][j]}" for r in range(n)]) for j in range(m)]
                for i in range(k)]
        return _function("matmul_at", "a, b", comment,
                         [f"{_nested(a)} = a", f"{_nested(b)} = b"] + _result(rows))
    a, b, s = _names("a", None, k), _names("b", None, m), _grid("s", k, m)
    body = [" = ".join(v for row in s for v in row) + " = 0.0",
            f"for {_list(a)}, {_list(b)} in zip(a, b):"]
    body += [f"    {s[i][j]} += {a[i]} * {b[j]}" for i in range(k) for j in range(m)]
    return _function("matmul_at", "a, b", comment, body + ["return " + _nested(s)])


def _column_sums(n: Optional[int], m: int) -> str:
    comment = f"({_rows_of(n)}, {m}) -> ({m},)"
    if n is not None:
        a = _grid("a", n, m)
        return _function("column_sums", "a", comment, [
            f"{_nested(a)} = a",
            "return " + _list([_sum([a[r][j] for r in range(n)]) for j in range(m)])])
    a, s = _names("a", None, m), _names("s", None, m)
    body = [" = ".join(s) + " = 0.0", f"for {_list(a)} in a:"]
    body += [f"    {s[j]} += {a[j]}" for j in range(m)]
    return _function("column_sums", "a", comment, body + ["return " + _list(s)])


def _transpose(n: int, m: int) -> str:
    a = _grid("a", n, m)
    return _function("transpose", "a", f"({n}, {m}) -> ({m}, {n})",
                     [f"{_nested(a)} = a"] + _result([[a[i][j] for i in range(n)]
                                                       for j in range(m)]))


def _descend_vector(rows: Optional[int], m: int) -> str:
    # p - lr g on a vector (the biases), as SGD.update_vector computes it. A
    # vector is one row: rows is always 1.
    p, g = _names("p", None, m), _names("g", None, m)
    return _function("descend_vector", "lr, p, g", f"({m},) - lr * ({m},)", [
        f"{_list(p)} = p", f"{_list(g)} = g",
        "return " + _list([f"{p[j]} - lr * {g[j]}" for j in range(m)])])


# PyPy's forms for larger shapes: plain loops, which its JIT compiles to
# tight machine code. Why one copy per shape: the JIT traces a loop the
# first time it runs hot and keeps that trace, so one shared function first
# run at n = 4 then runs n = 64 up to 4x slower than it would fresh. A copy
# compiled per shape is traced for that shape alone.

def _matmul_loop(n: None, k: int, m: int) -> str:
    # The i-k-j loop: row i of the result accumulates a[i][p] * b[p]. Up to
    # 64 columns the accumulators are locals, one statement each (PyPy then
    # keeps them in registers: 2x the plain loop).
    comment = f"(n, {k}) @ ({k}, {m}) -> (n, {m}), as loops"
    if m > 64:
        return _function("matmul", "a, b", comment, [
            "out = []", "for row in a:", f"    acc = [0.0] * {m}",
            "    for x, b_row in zip(row, b):", f"        for j in range({m}):",
            "            acc[j] += x * b_row[j]", "    out.append(acc)", "return out"])
    s = _names("s", None, m)
    return _function("matmul", "a, b", comment, [
        "out = []", "for row in a:", "    " + " = ".join(s) + " = 0.0",
        "    for x, b_row in zip(row, b):"]
        + [f"        {s[j]} += x * b_row[{j}]" for j in range(m)]
        + [f"    out.append({_list(s)})", "return out"])


def _matmul_bt_loop(n: None, k: int, m: int) -> str:
    comment = f"(n, {k}) @ ({m}, {k})^T -> (n, {m}), as loops"
    if m > 64:
        return _function("matmul_bt", "a, b", comment, [
            "out = []", "for row in a:", "    out_row = []", "    for b_row in b:",
            "        acc = 0.0", f"        for p in range({k}):",
            "            acc += row[p] * b_row[p]", "        out_row.append(acc)",
            "    out.append(out_row)", "return out"])
    b, s = _names("b", None, m), _names("s", None, m)
    return _function("matmul_bt", "a, b", comment, [
        f"{_list(b)} = b", "out = []", "for row in a:", "    " + " = ".join(s) + " = 0.0",
        f"    for p in range({k}):", "        x = row[p]"]
        + [f"        {s[j]} += x * {b[j]}[p]" for j in range(m)]
        + [f"    out.append({_list(s)})", "return out"])


def _matmul_at_loop(n: None, k: int, m: int) -> str:
    comment = f"(n, {k})^T @ (n, {m}) -> ({k}, {m}), as loops"
    if m > 64:
        return _function("matmul_at", "a, b", comment, [
            f"out = [[0.0] * {m} for _ in range({k})]", "for a_row, b_row in zip(a, b):",
            "    for out_row, x in zip(out, a_row):", f"        for j in range({m}):",
            "            out_row[j] += x * b_row[j]", "return out"])
    b = _names("b", None, m)
    return _function("matmul_at", "a, b", comment, [
        f"out = [[0.0] * {m} for _ in range({k})]", f"for a_row, {_list(b)} in zip(a, b):",
        "    for out_row, x in zip(out, a_row):"]
        + [f"        out_row[{j}] += x * {b[j]}" for j in range(m)]
        + ["return out"])


SOURCES: Dict[str, Callable[..., str]] = {
    "matmul_loop": _matmul_loop,
    "matmul_bt_loop": _matmul_bt_loop,
    "matmul_at_loop": _matmul_at_loop,
    "matmul": _matmul,
    "matmul_bt": _matmul_bt,
    "matmul_at": _matmul_at,
    "affine": _affine,
    "column_sums": _column_sums,
    "transpose": _transpose,
    "add_row": _add_row,
    "add": _elementwise("add", "{a} + {b}", 2),
    "sub": _elementwise("sub", "{a} - {b}", 2),
    "hadamard": _elementwise("hadamard", "{a} * {b}", 2),
    "scale": _elementwise("scale", "c * {a}", 1, "c, a"),
    # gradient descent p - lr g on a matrix, as SGD.update_vector computes it
    "descend": _elementwise("descend", "{a} - lr * {b}", 2, "lr, a, b"),
    "descend_vector": _descend_vector,
    "sigmoid": _sigmoid,
    # a (1 - a): the sigmoid's slope from its output a
    "sigmoid_derivative": _elementwise("sigmoid_derivative", "{a} * (1.0 - {a})"),
    "relu": _elementwise("relu", "({a} if {a} > 0.0 else 0.0)"),
    # Backward passes dL/dz = dL/da * f'(z), from the output a and
    # b = dL/da, in the order activations' general forms multiply.
    "sigmoid_backward": _elementwise("sigmoid_backward", "{b} * ({a} * (1.0 - {a}))", 2),
    "tanh_backward": _elementwise("tanh_backward", "{b} * (1.0 - {a} * {a})", 2),
    # b * 1.0 and b * 0.0, as b * relu_derivative(a) gives (keeps -0.0, nan)
    "relu_backward": _elementwise("relu_backward", "({b} if {a} > 0.0 else {b} * 0.0)", 2),
}


# --- which shapes get a written-out kernel ---------------------------------------------
# A rule takes the shape and returns "whole", "rows", "loop" (PyPy) or None
# (the general kernel). Measured on CPython 3.8-3.13 and PyPy 3.9.

if PYPY:  # pragma: no cover - depends on the interpreter
    def _product_rows(k: int, m: int) -> bool:
        # PyPy's JIT compiles these well up to about 150 products per row;
        # past that it gives up on the trace and interprets, 50x slower.
        return k * m <= 144
elif hasattr(math, "sumprod"):
    def _product_rows(k: int, m: int) -> bool:
        # k * m terms a row; past k = 12 one math.sumprod per entry is as fast.
        return k <= 12 and k * m <= 256
else:
    def _product_rows(k: int, m: int) -> bool:
        # sum(map(mul, ...)) costs more per call than sumprod: up to k = 16.
        return k <= 16 and k * m <= 256


# On PyPy the products that are not written out are loops compiled per shape.
_LARGE_PRODUCT = "loop" if PYPY else None


def _product(n: int, k: int, m: int) -> Optional[str]:
    if n * k * m <= 128:  # every product named: no loop, no zip
        return "whole"
    return "rows" if _product_rows(k, m) else _LARGE_PRODUCT


def _written_product(n: int, k: int, m: int) -> Optional[str]:
    # affine has no loop form: its general kernel is matmul + add_row.
    form = _product(n, k, m)
    return None if form == "loop" else form


def _outer(n: int, k: int, m: int) -> Optional[str]:
    # matmul_at: written out whole, or k * m running sums updated per row.
    if n * k * m <= 128:
        return "whole"
    return "rows" if k * m <= 64 else _LARGE_PRODUCT


def _entries(n: int, m: int) -> Optional[str]:
    # One expression per entry: whole up to 64 entries, rows up to 64 wide.
    if n * m <= 64:
        return "whole"
    return "rows" if m <= 64 else None


def _branchy(n: int, m: int) -> Optional[str]:
    # A branch per entry (relu) in straight-line code makes PyPy's
    # JIT compile a path for each mix of branches taken: slower than the
    # loop there. On CPython it is the same as _entries.
    return None if PYPY else _entries(n, m)


def _transposable(n: int, m: int) -> Optional[str]:
    return "whole" if n * m <= 64 else None


def _vector(rows: int, m: int) -> Optional[str]:
    return "whole" if m <= 64 else None


RULES: Dict[str, Callable[..., Optional[str]]] = {
    "matmul": _product, "matmul_bt": _product, "affine": _written_product, "matmul_at": _outer,
    "transpose": _transposable, "descend_vector": _vector,
    "relu": _branchy, "relu_backward": _branchy,
}
for _name in SOURCES:
    RULES.setdefault(_name, _entries)

_GLOBALS = {"exp": math.exp}


def source(name: str, shape: Shape) -> str:
    """Return the source text of the kernel name for shape (None rows: any).

    >>> print(source("add_row", (None, 2)))
    def add_row(a, row):
        # (n, 2) + (2,)
        [r0, r1] = row
        return [[a0 + r0,
                 a1 + r1]
                for [a0, a1] in a]
    """
    return SOURCES[name](*shape)


def filename(name: str, shape: Shape) -> str:
    """Return the file name tracebacks show for a kernel, e.g. <tinynet kernel matmul 4x3x4>.

    >>> filename("matmul", (None, 3, 4))
    '<tinynet kernel matmul nx3x4>'
    """
    dims = "x".join("n" if d is None else str(d) for d in shape)
    return f"<tinynet kernel {name} {dims}>"


@functools.lru_cache(maxsize=MAX_SHAPES)
def compile_kernel(name: str, shape: Shape) -> Callable[..., Any]:
    """Return the kernel name for shape, compiled from source(name, shape).

    Its source is registered with linecache under filename(name, shape), so
    tracebacks and pdb show the generated lines, and kept as ``__source__``.
    """
    text = source(name, shape)
    where = filename(name, shape)
    linecache.cache[where] = (len(text), None, [line + "\n" for line in text.splitlines()],
                              where)
    namespace: Dict[str, Any] = {}
    exec(compile(text, where, "exec"), dict(_GLOBALS), namespace)
    kernel = namespace[name.replace("_loop", "")]
    kernel.__source__ = text
    return kernel


def _chooser(name: str, general: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    """The door's chooser for name: RULES[name] picks the written-out form
    for the shape (whole, rows or PyPy's loop), else general (None: the
    core's plain form)."""
    def choose(*shape: int) -> Optional[Callable[..., Any]]:
        form = RULES[name](*shape)
        if form is None:
            return general
        if form == "loop":
            return compile_kernel(name + "_loop", (None,) + shape[1:])
        if form == "rows":
            return compile_kernel(name, (None,) + shape[1:])
        return compile_kernel(name, shape)
    choose.__name__ = f"choose_{name}"
    return choose


# The door's table (see tinynet.fast.door): op name -> chooser.
FORMS: Dict[str, Callable[..., Any]] = {
    name: _chooser(name, loops.GENERAL.get(name)) for name in SOURCES if not name.endswith("_loop")
}
