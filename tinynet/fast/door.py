"""The one door between tinynet's plain operations and their fast forms.

The core modules (matrix, activations, optim) write every hot operation once,
in a plain form meant to be read, and hand it to ``define``. The fast forms
(kernels generated for one shape, math.sumprod and PyPy loops) live in the
other modules of this package; each offers, per operation, a *chooser*:
``chooser(*shape)`` returns a fast function for that shape, or None. This
is MiniTorch's TensorBackend(SimpleOps) against FastOps, by name and shape:

- ``define(name, plain, shape)`` returns the op's dispatcher, also kept as
  ``ops.<name>``; the core calls it like the plain function;
- ``register(name, chooser)`` adds a fast form (``register_all(FORMS)`` for
  a module's whole table);
- ``reference()`` is a context manager inside which every op runs its plain
  form and no generated kernel runs;
- ``show(name, *shape)`` prints the code that runs for that shape.

A dispatcher costs one dict subscript per dimension: it looks the shape up
in its cache and calls what it finds; on a miss, ``Op.choose`` asks the fast
chooser (or, inside reference(), no one) and fills the cache. Its few lines
are generated from the op's shape expression, like the kernels, and show in
tracebacks under the file name ``<tinynet door matmul>``.

>>> double = define("doctest_double", lambda a: [[2.0 * v for v in r] for r in a],
...                 "len(a), len(a[0])")
>>> double([[1.0, 2.0]])
[[2.0, 4.0]]
>>> print(OPS["doctest_double"].source)
def doctest_double(a):
    # the door: the form for this shape, cached by dimension
    try:
        form = table[len(a)][len(a[0])]
    except KeyError:
        form = choose(len(a), len(a[0]))
    return form(a)
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
from typing import Any, Callable, Dict, Iterator, Optional

__all__ = ["Op", "OPS", "ops", "define", "register", "register_all", "reference",
           "in_reference", "show", "source", "MAX_SHAPES"]

# A program that meets very many shapes (a property test, say) would keep a
# form for each; past this many per op the cache starts again.
MAX_SHAPES = 512

Chooser = Callable[..., Optional[Callable[..., Any]]]

_FAST: Dict[str, Chooser] = {}   # name -> chooser, registered by the fast modules
_STATE = {"reference": 0}        # depth of nested reference() blocks


class Op:
    """One operation behind the door: its plain form, fast chooser and caches.

    ``fast_cache`` and ``plain_cache`` map the shape, one dimension per
    level, to the form chosen; the dispatcher reads whichever is current.
    """

    def __init__(self, name: str, plain: Callable[..., Any], shape: str):
        self.name, self.plain, self.shape = name, plain, shape
        self.fast_cache: Dict[int, Any] = {}
        self.plain_cache: Dict[int, Any] = {}
        self.size = 0
        params = ", ".join(inspect.signature(plain).parameters)
        dims = "".join(f"[{d.strip()}]" for d in shape.split(","))
        self.source = "\n".join([
            f"def {name}({params}):",
            "    # the door: the form for this shape, cached by dimension",
            "    try:", f"        form = table{dims}",
            "    except KeyError:", f"        form = choose({shape})",
            f"    return form({params})"])
        self.namespace: Dict[str, Any] = {"choose": self.choose}
        self.use(_STATE["reference"] > 0)
        filename = f"<tinynet door {name}>"
        _remember(filename, self.source)
        exec(compile(self.source, filename, "exec"), self.namespace)
        self.dispatch: Callable[..., Any] = self.namespace[name]
        self.dispatch.__doc__ = plain.__doc__

    def choose(self, *shape: int) -> Callable[..., Any]:
        """Return the form for shape (fast if a chooser offers one) and cache it."""
        form = None
        if not _STATE["reference"] and self.name in _FAST:
            form = _FAST[self.name](*shape)
        form = form or self.plain
        table = self.namespace["table"]
        self.size += 1
        if self.size > MAX_SHAPES:
            table.clear()
            self.size = 1
        for d in shape[:-1]:
            table = table.setdefault(d, {})
        table[shape[-1]] = form
        return form

    def use(self, plain: bool) -> None:
        """Point the dispatcher at the plain cache (True) or the fast one."""
        self.namespace["table"] = self.plain_cache if plain else self.fast_cache

    def forget(self) -> None:
        """Empty both caches (after a chooser is registered)."""
        self.fast_cache.clear()
        self.plain_cache.clear()
        self.size = 0

    def __repr__(self) -> str:
        return f"Op({self.name!r}, shape=({self.shape}))"


class _Ops:
    """The dispatchers by name: ops.matmul(a, b)."""

    def __repr__(self) -> str:
        return f"ops({', '.join(OPS)})"


OPS: Dict[str, Op] = {}
ops: Any = _Ops()


def define(name: str, plain: Callable[..., Any], shape: str) -> Callable[..., Any]:
    """Return the dispatcher for the operation name, whose plain form is plain.

    shape: the expression, over plain's parameter names, that gives the
    shape the fast forms are chosen by, e.g. "len(a), len(b), len(b[0])".
    Defining a name again replaces it.
    """
    op = Op(name, plain, shape)
    OPS[name] = op
    setattr(ops, name, op.dispatch)
    return op.dispatch


def register(name: str, chooser: Chooser) -> None:
    """Give the operation name a fast form: chooser(*shape) -> function or None."""
    _FAST[name] = chooser
    if name in OPS:
        OPS[name].forget()


def register_all(forms: Dict[str, Chooser]) -> None:
    """Register every chooser of a fast module's FORMS table."""
    for name, chooser in forms.items():
        register(name, chooser)


def in_reference() -> bool:
    """Return True inside a reference() block."""
    return _STATE["reference"] > 0


@contextlib.contextmanager
def reference() -> Iterator[None]:
    """Run every operation in its plain form inside the block.

    The fast caches are left as they are and used again after the block.
    The switch is process-wide: do not train fast in another thread meanwhile.

    >>> with reference():
    ...     in_reference()
    True
    >>> in_reference()
    False
    """
    _STATE["reference"] += 1
    _switch()
    try:
        yield
    finally:
        _STATE["reference"] -= 1
        _switch()


def _switch() -> None:
    plain = _STATE["reference"] > 0
    for op in OPS.values():
        op.use(plain)


def source(name: str, *shape: int) -> str:
    """Return the source of the function op name runs for shape.

    Raises KeyError for an unknown op name.
    """
    op = OPS[name]
    form = None if in_reference() or name not in _FAST else _FAST[name](*shape)
    form = form or op.plain
    text = getattr(form, "__source__", None)
    if text is None:
        try:
            text = inspect.getsource(form)
        except (OSError, TypeError):
            text = f"# {form!r}: no source to show"
    where = "plain form" if form is op.plain else "fast form"
    return f"# {name} for shape {shape}: the {where}\n{text.rstrip()}"


def show(name: str, *shape: int) -> None:
    """Print the code the operation name runs for shape, e.g. show("matmul", 4, 3, 4)."""
    print(source(name, *shape))


def _remember(filename: str, text: str) -> None:
    # Let tracebacks, pdb and inspect show generated lines.
    lines = [line + "\n" for line in text.splitlines()]
    linecache.cache[filename] = (len(text), None, lines, filename)
