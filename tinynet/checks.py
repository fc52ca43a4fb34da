"""The checks every module makes on what a caller hands it, written once.

Each takes the operation's name first, so its message can say who asked:
``"Network.fit: epochs must be a positive integer, got -1"``. Each returns
the checked value (converted where that is the point, as ``number`` turns an
int into a float) or raises :class:`~tinynet.errors.TinynetError`.

>>> positive_int("fit", "epochs", 3)
3
>>> number("fit", "learning_rate", 1)
1.0
>>> rng("fit", 0).random() == rng("fit", 0).random()
True
"""

from __future__ import annotations

import math
import random
from typing import Any, Optional

from .errors import TinynetError

__all__ = ["describe", "is_sequence", "number", "positive_int", "rng", "check_rng"]


def describe(obj: Any) -> str:
    """Return a short description of a value for an error message: its type
    and at most 40 characters of its repr.

    >>> describe("abc")
    "str 'abc'"
    >>> describe(list(range(100)))
    'list [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11...'
    """
    try:
        text = repr(obj)
    except Exception:  # a repr that fails must not hide the real error
        text = "<no repr>"
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(obj).__name__} {text}"


def is_sequence(obj: Any) -> bool:
    """Return True for an ordered sequence a matrix row may be: a list, a
    tuple, a range, a NumPy array; False for strings, bytes, sets and dicts.

    >>> is_sequence([1.0]), is_sequence((1.0,)), is_sequence("ab"), is_sequence({1.0})
    (True, True, False, False)
    """
    return (hasattr(obj, "__len__") and hasattr(obj, "__iter__")
            and not isinstance(obj, (str, bytes, bytearray, set, frozenset, dict)))


def number(op: str, name: str, value: Any) -> float:
    """Return value as a finite float.

    float() takes ints, floats and NumPy scalars; strings and bools are
    turned away, because float("3") and float(True) would hide a mistake.

    >>> number("scale", "factor", 2)
    2.0
    >>> number("scale", "factor", 10 ** 400)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: scale: factor must be a finite number, got an integer too large for a float
    >>> number("scale", "factor", "2")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: scale: factor must be a real number, got str '2'

    Raises TinynetError for a non-number or a value that is not finite.
    """
    if value is None or isinstance(value, (str, bytes, bool)):
        raise TinynetError(f"{op}: {name} must be a real number, got {describe(value)}")
    try:
        x = float(value)
    except OverflowError:
        raise TinynetError(f"{op}: {name} must be a finite number, "
                           f"got an integer too large for a float") from None
    except (TypeError, ValueError):
        raise TinynetError(f"{op}: {name} must be a real number, got {describe(value)}") from None
    if not math.isfinite(x):
        raise TinynetError(f"{op}: {name} must be finite, got {x}")
    return x


def positive_int(op: str, name: str, value: Any) -> int:
    """Return value if it is an integer >= 1 (bools are not integers here).

    >>> positive_int("Dense", "n_out", 0)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: Dense: n_out must be a positive integer, got 0

    Raises TinynetError otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TinynetError(f"{op}: {name} must be a positive integer, got {describe(value)}")
    if value < 1:
        raise TinynetError(f"{op}: {name} must be a positive integer, got {value}")
    return value


def rng(op: str, seed: Any, *, strings: bool = True) -> random.Random:
    """Return random.Random(seed) for an integer, a string or None.

    Only these give the same numbers in every process: a float NaN, a list or
    an object would be hashed by identity or refused deep inside random.
    strings=False turns strings away too (the data functions take integers).

    >>> rng("Network", "alice").random() == rng("Network", "alice").random()
    True
    >>> rng("Network", 1.5)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: Network: seed must be an integer, a string or None, got float 1.5

    >>> rng("moons", "alice", strings=False)
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: moons: seed must be an integer or None, got str 'alice'

    Raises TinynetError for any other seed.
    """
    kinds = (int, str) if strings else int
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, kinds)):
        allowed = "an integer, a string or None" if strings else "an integer or None"
        raise TinynetError(f"{op}: seed must be {allowed}, got {describe(seed)}")
    return random.Random(seed)


def check_rng(op: str, generator: Any) -> Optional[random.Random]:
    """Return generator if it is a random.Random.

    >>> check_rng("init", random.Random(0)) is not None
    True

    Raises TinynetError otherwise.
    """
    if not isinstance(generator, random.Random):
        raise TinynetError(f"{op}: rng must be a random.Random, got {describe(generator)}")
    return generator
