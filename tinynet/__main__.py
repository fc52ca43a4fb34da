"""``python -m tinynet`` and the ``tinynet`` command: the command line (see tinynet.cli).

Ctrl-C may come at any moment, also in the first tenths of a second while
the modules are still being imported; it always ends with one line,
``tinynet: error: interrupted``, and exit code 130. (``import tinynet``
itself imports nothing, so the guard below is the first code to run.)
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C


def _interrupted() -> int:
    if sys.stderr is not None:
        try:
            print("tinynet: error: interrupted", file=sys.stderr)
        except (OSError, ValueError):
            pass
    return INTERRUPTED


try:
    from . import cli
except KeyboardInterrupt:
    raise SystemExit(_interrupted()) from None


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line (tinynet.cli.main); return the exit code, 130 on Ctrl-C.

    >>> main(["--version"])  # doctest: +ELLIPSIS
    tinynet ...
    0
    """
    try:
        return cli.main(argv)
    except KeyboardInterrupt:  # one that came after cli.main's own handler
        return _interrupted()


if __name__ == "__main__":
    raise SystemExit(main())
