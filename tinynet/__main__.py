"""``python -m tinynet``: the command line (see tinynet.cli)."""

from __future__ import annotations

import sys
from typing import List, Optional

from . import __version__


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with argv (default sys.argv[1:]); return the exit code."""
    print(f"tinynet {__version__}: a neural network from scratch in pure Python")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
