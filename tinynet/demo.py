"""The article's demo: its network, its data, 1500 iterations, a chart, a table.

>>> import io
>>> out = io.StringIO()
>>> run_demo(out, iterations=10, ascii=True)
0
>>> "prediction" in out.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from .article import NeuralNetwork
from .data import xor
from .plot import terminal_chart

__all__ = ["run_demo"]


def run_demo(stream: Optional[TextIO] = None, *, iterations: int = 1500, seed: int = 1,
             ascii: Optional[bool] = None) -> int:
    """Train the article's network on its data and print what happened; return 0.

    Prints the loss per iteration as a terminal chart (plain ASCII when the
    stream cannot show Unicode) and the final predictions beside the targets.
    """
    stream = sys.stdout if stream is None else stream
    x, y = xor()
    nn = NeuralNetwork(x, y, seed=seed)
    losses = []
    start = time.perf_counter()
    for _ in range(iterations):
        nn.feedforward()
        losses.append(nn.loss())   # sum of squares, before this iteration's update
        nn.backprop()
    nn.feedforward()
    seconds = time.perf_counter() - start
    if ascii is None:
        ascii = not _can_encode(stream, "\u2800\u2502\u2514\u2524")
    write = stream.write
    write("tinynet: the network from \"How to build your own Neural Network from\n"
          "scratch in Python\" (J. Loy, 2018), in pure Python lists.\n\n")
    write(f"2-layer sigmoid network {len(x[0])} -> 4 -> 1, sum-of-squares loss, "
          f"{iterations} iterations, seed {seed}: {seconds:.2f} s\n\n")
    write(terminal_chart(losses, width=60, height=12, title="loss per iteration",
                         ascii=ascii) + "\n\n")
    write("  input        prediction   target\n")
    for row, pred, target in zip(x, nn.output, y):
        inputs = " ".join(f"{v:g}" for v in row)
        write(f"  {inputs:<11}  {pred[0]:.4f}       {target[0]:g}\n")
    write(f"\nfinal loss {nn.loss():.6f}. Try: python -m tinynet --help\n")
    return 0


def _can_encode(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
