"""tinynet.progress: the progress bar on a fake terminal and a plain stream, with a fake clock."""

import io
import math
import sys

import pytest

from tinynet import TinynetError
from tinynet.progress import ProgressBar


class Terminal(io.StringIO):
    """A stream that says it is a TTY."""

    def isatty(self):
        return True


class Clock:
    """A clock that moves only when told: bar.update reads it, tests set it."""

    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t


def run(bar, clock, epochs, step, **metrics):
    for epoch in epochs:
        clock.t += step
        bar.update(epoch, **metrics)


# --- on a terminal ---------------------------------------------------------------

def test_tty_redraws_in_place_and_ends_the_line_on_close():
    out, clock = Terminal(), Clock()
    bar = ProgressBar(5, stream=out, clock=clock)
    run(bar, clock, range(1, 6), 1.0, loss=0.5)
    assert "\n" not in out.getvalue()
    bar.close()
    text = out.getvalue()
    assert text.count("\r") == 5 and text.endswith("\n") and text.count("\n") == 1
    final = text.split("\r")[-1]
    assert final.startswith("epoch 5/5 [" + "#" * 30 + "]")
    assert "loss 0.5000" in final and "5.0s" in final and "ETA" not in final


def test_tty_redraws_at_most_ten_times_a_second_and_always_the_last_epoch():
    # An epoch every 1/64 s (exact in binary): a redraw is due once 0.1 s has
    # passed since the last, that is every 7 epochs: epochs 1, 8, ..., 99,
    # then 100 because it is the last.
    out, clock = Terminal(), Clock()
    with ProgressBar(100, stream=out, clock=clock) as bar:
        run(bar, clock, range(1, 101), 1 / 64)
    lines = out.getvalue().rstrip("\n").split("\r")[1:]
    shown = [int(line.split()[1].split("/")[0]) for line in lines]
    assert shown == list(range(1, 100, 7)) + [100]


def test_tty_pads_over_a_longer_previous_line():
    out, clock = Terminal(), Clock()
    bar = ProgressBar(3, stream=out, clock=clock)
    clock.t = 1.0
    bar.update(1, a_very_long_metric_name=1.0)
    clock.t = 2.0
    bar.update(2)
    first, second = out.getvalue().split("\r")[1:]
    assert len(second) == len(first) and second.endswith(" ")
    assert "a_very_long" not in second


def test_close_writes_the_newline_once_and_nothing_without_updates():
    out, clock = Terminal(), Clock()
    bar = ProgressBar(2, stream=out, clock=clock)
    bar.close()
    assert out.getvalue() == ""
    out, clock = Terminal(), Clock()
    bar = ProgressBar(2, stream=out, clock=clock)
    run(bar, clock, [1, 2], 1.0)
    bar.close()
    bar.close()
    assert out.getvalue().count("\n") == 1


def test_close_shows_an_update_that_was_held_back():
    # An early stop: epoch 3 came 0.01 s after epoch 2, too soon to redraw.
    out, clock = Terminal(), Clock()
    bar = ProgressBar(10, stream=out, clock=clock)
    run(bar, clock, [1, 2, 3], 0.01)
    assert " 3/10" not in out.getvalue()
    bar.close()
    assert out.getvalue().rstrip("\n").split("\r")[-1].startswith("epoch  3/10")


# --- on a plain stream ------------------------------------------------------------

@pytest.mark.parametrize("total, every, expected", [
    (100, None, [1] + list(range(10, 101, 10))),
    (100, 25, [1, 25, 50, 75, 100]),
    (5, None, [1, 2, 3, 4, 5]),
    (7, 3, [1, 3, 6, 7]),
    (1, None, [1]),
])
def test_plain_lines_follow_every(total, every, expected):
    out, clock = io.StringIO(), Clock()
    with ProgressBar(total, stream=out, every=every, clock=clock) as bar:
        run(bar, clock, range(1, total + 1), 0.5, loss=1.0)
    text = out.getvalue()
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert [int(line.split()[1].split("/")[0]) for line in lines] == expected
    assert lines[0].startswith(f"epoch {1:>{len(str(total))}}/{total} [")
    assert lines[-1].startswith(f"epoch {total}/{total} [")


def test_plain_close_prints_the_epoch_of_an_early_stop():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar(100, stream=out, clock=clock)
    run(bar, clock, range(1, 38), 1.0)
    bar.close()
    bar.close()
    assert out.getvalue().splitlines()[-1].startswith("epoch  37/100")
    assert len(out.getvalue().splitlines()) == 5  # 1, 10, 20, 30, then 37


def test_tty_flag_overrides_isatty():
    out, clock = Terminal(), Clock()
    with ProgressBar(2, stream=out, tty=False, clock=clock) as bar:
        run(bar, clock, [1, 2], 1.0)
    assert "\r" not in out.getvalue() and len(out.getvalue().splitlines()) == 2


# --- the contents of a line ---------------------------------------------------------

def test_line_has_bar_metrics_elapsed_and_eta():
    # Started at t=10, epoch 3 of 10 done at t=16: 6 s elapsed, 2 s an epoch,
    # 7 epochs to go: ETA 14 s.
    out, clock = io.StringIO(), Clock(10.0)
    bar = ProgressBar(10, stream=out, width=10, every=3, clock=clock)
    clock.t = 16.0
    bar.update(3, loss=0.123, val_loss=0.2, accuracy=0.9)
    assert out.getvalue() == ("epoch  3/10 [###.......] loss 0.1230 val_loss 0.2000 "
                              "accuracy 0.9000 6.0s ETA 14.0s\n")


def test_long_times_and_odd_metrics_are_readable():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar(2, stream=out, clock=clock)
    clock.t = 125.0
    bar.update(1, loss=math.nan, tiny=1.5e-6, huge=2.5e7, batch=3)
    line = out.getvalue()
    assert "loss nan" in line and "tiny 1.500e-06" in line and "huge 2.500e+07" in line
    assert "batch 3 " in line and "2m05s ETA 2m05s" in line
    clock.t = 7500.0
    bar.update(2)
    assert "2h05m" in out.getvalue()


def test_default_stream_is_stderr_at_call_time(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    clock = Clock()
    with ProgressBar(1, clock=clock) as bar:
        bar.update(1, loss=1.0)
    assert err.getvalue().startswith("epoch 1/1")


def test_stream_without_isatty_is_plain():
    class Sink:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

    sink, clock = Sink(), Clock()
    with ProgressBar(1, stream=sink, clock=clock) as bar:
        bar.update(1)
    assert "".join(sink.parts).endswith("\n") and "\r" not in "".join(sink.parts)


def test_repr():
    bar = ProgressBar(4, stream=io.StringIO(), clock=Clock())
    assert repr(bar) == "ProgressBar(total=4, epoch=0, tty=False)"


# --- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"total": 0}, {"total": -3}, {"total": 2.0}, {"total": True}, {"total": None},
    {"total": 5, "width": 0}, {"total": 5, "every": 0}, {"total": 5, "clock": 3.0},
])
def test_bad_settings_are_rejected(kwargs):
    with pytest.raises(TinynetError, match="ProgressBar"):
        ProgressBar(stream=io.StringIO(), **kwargs)


@pytest.mark.parametrize("epoch, metrics", [
    (0, {}), (6, {}), (2.0, {}), (None, {}), (1, {"loss": "0.5"}), (1, {"loss": None}),
])
def test_bad_updates_are_rejected(epoch, metrics):
    bar = ProgressBar(5, stream=io.StringIO(), clock=Clock())
    with pytest.raises(TinynetError, match="ProgressBar.update"):
        bar.update(epoch, **metrics)


def test_update_after_close_is_rejected():
    bar = ProgressBar(5, stream=io.StringIO(), clock=Clock())
    bar.close()
    with pytest.raises(TinynetError, match="closed"):
        bar.update(1)


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_a_terminal_line_never_reaches_the_last_column(columns):
    # long losses too: the bar shrinks, then the line is cut, so it never wraps
    out, clock = Terminal(), Clock()
    bar = ProgressBar(1000, stream=out, clock=clock, columns=columns)
    run(bar, clock, range(1, 1001), 1.0, loss=123456.789, val_loss=0.000123456)
    bar.close()
    lines = [line.rstrip() for line in out.getvalue().replace("\n", "").split("\r") if line]
    assert lines and all(len(line) <= columns - 1 for line in lines)
    wide = ProgressBar(10, stream=Terminal(), clock=Clock(), columns=200)
    assert "[" + "#" * 30 + "]" in wide._line(10, {"loss": 1.0}, 1.0)  # at most 30


def test_the_last_line_after_an_early_stop_has_no_eta():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar(100, stream=out, clock=clock, tty=False)
    run(bar, clock, range(1, 38), 1.0, loss=0.5)
    bar.close()
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("epoch  37/100") and "ETA" not in last
