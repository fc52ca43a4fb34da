"""``python -m tinynet``: the command line (see tinynet.cli)."""

from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with argv (default sys.argv[1:]); return the exit code."""
    from .demo import run_demo
    return run_demo()


if __name__ == "__main__":
    raise SystemExit(main())
