"""The examples run: each one in --quick mode, started the way a reader starts it.

Each example runs in a subprocess from the repository root as
``python -S examples/NAME.py --quick``. With -S there are no site-packages,
so an installed tinynet is out of sight: the example must find the package
through its own sys.path line, as in a fresh checkout. The checks use facts
that do not come from the code under test: the sizes of the data sets and
splits, the XOR targets, and that gradient descent lowers the loss.

Where there are no subprocesses (Pyodide, ``sys.platform == "emscripten"``)
each example runs in-process instead, with ``runpy`` and its stdout captured.
test_in_process_runner_matches_the_subprocess keeps that path honest here.
"""

import contextlib
import io
import os
import pathlib
import re
import runpy
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
TIMEOUT = 120  # seconds; each example takes about one in --quick mode


def run_example(name, *args):
    """Return the stdout of examples/NAME.py --quick ARGS; fail on a non-zero exit."""
    if sys.platform == "emscripten":
        return run_example_in_process(name, *args)
    return run_example_in_a_subprocess(name, *args)


def run_example_in_process(name, *args):
    """Return the stdout of examples/NAME.py --quick ARGS, run with runpy in this process."""
    path = str(ROOT / "examples" / name)
    out, argv, cwd = io.StringIO(), sys.argv, os.getcwd()
    sys.argv = [path, "--quick", *args]
    try:
        os.chdir(str(ROOT))
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
    except SystemExit as exit:
        assert exit.code in (None, 0), f"{name} exited {exit.code}"
    finally:
        sys.argv = argv
        os.chdir(cwd)
    return out.getvalue()


def run_example_in_a_subprocess(name, *args):
    """Return the stdout of examples/NAME.py --quick ARGS as a reader runs it."""
    command = [sys.executable, "-S", str(ROOT / "examples" / name), "--quick", *args]
    proc = subprocess.run(command, cwd=str(ROOT), capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert proc.returncode == 0, f"{name} exited {proc.returncode}:\n{proc.stderr}"
    return proc.stdout


def held_out_accuracy(out, what):
    match = re.search(r"^held-out accuracy: (\d\.\d{4}) \((\d+) " + what + r"\)$", out, re.M)
    assert match, out
    accuracy, n = float(match.group(1)), int(match.group(2))
    assert 0.0 <= accuracy <= 1.0
    return accuracy, n


def matrix_rows(out, header):
    """Return the integer rows of the text table that follows the header line."""
    lines = out.split(header, 1)[1].splitlines()[2:]
    rows = []
    for line in lines:
        cells = line.split()
        if not cells or not all(c.isdigit() for c in cells[1:]):
            break
        rows.append([int(c) for c in cells[1:]])
    return rows


def test_article_xor():
    out = run_example("article_xor.py")
    assert "The article's NeuralNetwork" in out and "tinynet.Network" in out
    # Both tables list the article's four rows with the XOR targets.
    table = re.findall(r"^  ([01] [01] 1)\s+(\d\.\d{4})\s+([01])$", out, re.M)
    assert [(row, target) for row, _, target in table] == [
        ("0 0 1", "0"), ("0 1 1", "1"), ("1 0 1", "1"), ("1 1 1", "0")] * 2
    assert all(0.0 < float(p) < 1.0 for _, p, _ in table)  # a sigmoid never reaches 0 or 1
    # Gradient descent lowers the loss of both networks.
    losses = [float(v) for v in re.findall(r"^  iteration\s+\d+  loss (\S+)$", out, re.M)]
    half = len(losses) // 2
    assert half > 1 and losses[half - 1] < losses[0] and losses[-1] < losses[half]
    assert out.count("training time: ") == 2


def test_moons_boundary(tmp_path):
    out = run_example("moons_boundary.py", "--out-dir", str(tmp_path / "figures"))
    _, n_test = held_out_accuracy(out, "points")
    assert n_test == 60  # 30% of 200
    assert "training time: " in out
    boundary = ET.parse(tmp_path / "figures" / "moons_boundary.svg").getroot()
    curve = ET.parse(tmp_path / "figures" / "moons_loss.svg").getroot()
    assert boundary.tag == curve.tag == SVG + "svg"
    points = [c for c in boundary.iter(SVG + "circle") if "point" in c.get("class", "")]
    assert len(points) == n_test  # the held-out points are drawn
    assert any(r.get("class") == "region" for r in boundary.iter(SVG + "rect"))
    assert [p.get("class") for p in curve.iter(SVG + "path")] == ["series train"]
    assert f"wrote {(tmp_path / 'figures' / 'moons_boundary.svg').resolve()}" in out


def test_iris(tmp_path):
    svg = tmp_path / "confusion.svg"
    out = run_example("iris.py", "--svg", str(svg))
    _, n_test = held_out_accuracy(out, "flowers")
    assert n_test == 45  # 30% of 150
    assert "training time: " in out
    # Stratified: 15 of each species' 50 flowers are held out.
    counts = matrix_rows(out, "confusion matrix")
    assert [sum(row) for row in counts] == [15, 15, 15]
    for name in ("setosa", "versicolor", "virginica", "macro avg"):
        assert re.search(rf"^\s*{name}\s+\d\.\d{{3}}", out, re.M), name
    root = ET.parse(svg).getroot()
    cells = [t for t in root.iter(SVG + "text") if t.get("class") == "count"]
    assert sorted(int(t.text) for t in cells) == sorted(v for row in counts for v in row)


def test_digits():
    out = run_example("digits.py")
    _, n_test = held_out_accuracy(out, "images")
    assert n_test == 100
    assert "training time: " in out
    assert len(re.findall(r"^  epoch\s+\d+  loss ", out, re.M)) == 3
    counts = matrix_rows(out, "confusion matrix")
    assert len(counts) == 10 and all(len(row) == 10 for row in counts)
    assert sum(map(sum, counts)) == n_test


def test_digits_cnn():
    out = run_example("digits_cnn.py")
    results = re.findall(r"^seed 0  (CNN|MLP)  held-out accuracy: (\d\.\d{4}) \((\d+) images\)  "
                         r"training time: \d+\.\d s$", out, re.M)
    assert [(name, int(n)) for name, _, n in results] == [("CNN", 100), ("MLP", 100)]
    assert all(0.0 <= float(a) <= 1.0 for _, a, _ in results)
    assert out.count(" mean held-out accuracy: ") == 2


@pytest.mark.subprocess
def test_in_process_runner_matches_the_subprocess():
    # The runpy path that Pyodide uses prints what the subprocess prints,
    # apart from the measured training times.
    def untimed(out):
        return re.sub(r"training time: .*", "training time: -", out)
    assert untimed(run_example_in_process("article_xor.py")) == untimed(
        run_example_in_a_subprocess("article_xor.py"))
