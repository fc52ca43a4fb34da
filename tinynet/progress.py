"""A one-line progress bar for training, written to a stream (stderr).

::

    epoch  12/100 [###...........................] loss 0.1230 val_loss 0.2000 3.1s ETA 22.7s

On a terminal (a TTY) the line is redrawn in place after a carriage return,
at most about 10 times a second and always on the last epoch. Anywhere else
(a log file, CI) it prints whole lines: the first epoch, every ``every``
epochs, and the last. ``Network.fit(verbose=True)`` and the command line use
it as::

    bar = ProgressBar(epochs)
    for epoch in range(1, epochs + 1):
        ...
        bar.update(epoch, loss=loss, val_loss=val_loss)
    bar.close()

The clock is a parameter, so tests drive it by hand instead of sleeping.
This is the one place in tinynet that writes output, and only to its stream.
"""

from __future__ import annotations

import math
import numbers
import shutil
import sys
import time
from typing import Any, Callable, Optional, TextIO

from .checks import positive_int
from .errors import TinynetError

__all__ = ["ProgressBar"]

_REDRAW_EVERY = 0.1  # seconds between redraws on a terminal


class ProgressBar:
    """Show training progress: epoch, bar, metrics, elapsed time and ETA.

    total is the number of epochs. stream defaults to sys.stderr as it is
    when the bar is made. width is the bar's length in characters; None
    (the default) fits the line to the terminal: columns wide (default
    shutil.get_terminal_size()), the bar between 10 and 30 characters, and
    a line still too long cut short, so that a terminal never wraps it and
    redraws it in place. The last epoch's line has no ETA. tty=None
    asks ``stream.isatty()``. every (non-TTY only) defaults to
    max(1, total // 10), about ten lines a run. clock returns seconds; the
    bar starts timing when it is made, and the ETA assumes the remaining
    epochs take as long as the average one so far:
    ETA = elapsed / epoch * (total - epoch).

    >>> import io
    >>> out = io.StringIO()
    >>> times = iter([0.0, 1.0, 2.0, 3.0])
    >>> bar = ProgressBar(3, stream=out, width=6, tty=False, clock=lambda: next(times))
    >>> for epoch in (1, 2, 3):
    ...     bar.update(epoch, loss=1.0 / epoch)
    >>> bar.close()
    >>> print(out.getvalue(), end="")
    epoch 1/3 [##....] loss 1.0000 1.0s ETA 2.0s
    epoch 2/3 [####..] loss 0.5000 2.0s ETA 1.0s
    epoch 3/3 [######] loss 0.3333 3.0s

    Raises TinynetError for a total, width or every that is not a positive
    integer, or a clock that is not callable.
    """

    def __init__(self, total: int, *, stream: Optional[TextIO] = None,
                 width: Optional[int] = None, every: Optional[int] = None,
                 tty: Optional[bool] = None, clock: Callable[[], float] = time.monotonic,
                 columns: Optional[int] = None):
        self.total = positive_int("ProgressBar", "total", total)
        self.width = None if width is None else positive_int("ProgressBar", "width", width)
        self.columns = (shutil.get_terminal_size().columns if columns is None
                        else positive_int("ProgressBar", "columns", columns))
        self.every = (max(1, total // 10) if every is None
                      else positive_int("ProgressBar", "every", every))
        if not callable(clock):
            raise TinynetError(f"ProgressBar: clock must be callable, got {clock!r}")
        self.stream = sys.stderr if stream is None else stream
        self.tty = _isatty(self.stream) if tty is None else bool(tty)
        self.clock = clock
        self.epoch = 0
        self._start = clock()
        self._last_draw: Optional[float] = None  # clock time of the last write
        self._shown = 0                          # length of the line on screen (TTY)
        self._pending: Optional[str] = None      # the newest line not yet written
        self._closed = False
        self._newest: Optional[tuple] = None     # (epoch, metrics, elapsed) of the last update
        self._written = ""                       # the last line written
        self._bar_width: Optional[int] = None    # the bar's length, set by the first line

    def update(self, epoch: int, **metrics: float) -> None:
        """Record that epoch (1-based) is done, with its metrics, and show it.

        Metrics print in the order given, as ``name value``: floats with 4
        decimals (or in e-notation when tiny or huge), ints as they are.

        Raises TinynetError for an epoch outside 1..total, a metric that is
        not a real number, or a bar that is closed.
        """
        if self._closed:
            raise TinynetError("ProgressBar.update: the bar is closed")
        if isinstance(epoch, bool) or not isinstance(epoch, int) or not 1 <= epoch <= self.total:
            raise TinynetError(
                f"ProgressBar.update: epoch must be an int in 1..{self.total}, got {epoch!r}")
        now = self.clock()
        self.epoch = epoch
        self._newest = (epoch, dict(metrics), now - self._start)
        self._pending = self._line(*self._newest)
        if self._due(epoch, now):
            self._write(now)

    def close(self) -> None:
        """Show the newest update if it was held back, and end the line.

        Only the first call does anything, so ``close`` after an early stop
        (epoch 37 of 100, say) still shows epoch 37.
        """
        if self._closed:
            return
        self._closed = True
        if self._newest is not None:
            final = self._line(*self._newest, final=True)  # no ETA: it is over
            if self._pending is not None or (self.tty and final != self._written):
                self._pending = final
                self._write(self._last_draw or 0.0)
        if self.tty and self._shown:
            self.stream.write("\n")
            _flush(self.stream)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ProgressBar(total={self.total}, epoch={self.epoch}, tty={self.tty})"

    def _due(self, epoch: int, now: float) -> bool:
        """Whether this update is written now or held back."""
        if epoch == self.total:
            return True
        if self.tty:
            return self._last_draw is None or now - self._last_draw >= _REDRAW_EVERY
        return epoch == 1 or epoch % self.every == 0

    def _write(self, now: float) -> None:
        line = self._pending or ""
        if self.tty:
            # Spaces cover the rest of a longer previous line.
            self.stream.write("\r" + line + " " * (self._shown - len(line)))
            self._shown = len(line)
        else:
            self.stream.write(line + "\n")
        _flush(self.stream)
        self._pending, self._last_draw, self._written = None, now, line

    def _line(self, epoch: int, metrics: dict, elapsed: float, final: bool = False) -> str:
        digits = len(str(self.total))  # a fixed width, so the bar does not move
        head = f"epoch {epoch:>{digits}}/{self.total}"
        tail = [f"{name} {_metric(name, value)}" for name, value in metrics.items()]
        tail.append(_duration(elapsed))
        if epoch < self.total and not final:
            tail.append("ETA " + _duration(elapsed / epoch * (self.total - epoch)))
        room = self.columns - 1  # the last column would wrap on some terminals
        if self._bar_width is None:  # fixed at the first line, so the bar does not jump;
            rest = len(head) + len(" ".join(tail)) + 4  # 2 spaces, 2 brackets
            slack = 8  # for losses that print longer later (0.0011 -> 9.993e-04)
            self._bar_width = self.width or max(10, min(30, room - rest - slack))
        width = self._bar_width
        filled = width * epoch // self.total
        line = " ".join([head, "[" + "#" * filled + "." * (width - filled) + "]"] + tail)
        return line[:room] if self.tty and self.width is None else line


def _metric(name: str, v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TinynetError(
            f"ProgressBar.update: metric {name} must be a real number, got {v!r}")
    if isinstance(v, numbers.Integral):
        return str(int(v))
    v = float(v)
    if not math.isfinite(v):  # shown, not raised: the trainer decides what NaN means
        return str(v)
    if v == 0.0 or 1e-3 <= abs(v) < 1e5:
        return f"{v:.4f}"
    return f"{v:.3e}"


def _duration(seconds: float) -> str:
    """'3.1s' under a minute, '2m05s' under an hour, '1h02m' beyond."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed file
        return False


def _flush(stream: Any) -> None:
    flush = getattr(stream, "flush", None)
    if flush is not None:
        flush()
