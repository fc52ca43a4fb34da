"""Smoke tests: the benchmark scripts run end to end, so they cannot rot.

Tiny sizes and one run each; no timing is asserted, only that every section
is there, the JSON is written, and a missing NumPy is reported, not fatal.
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPARE_NUMPY = os.path.join(ROOT, "benchmarks", "compare_numpy.py")
COMPARE_INTERPRETERS = os.path.join(ROOT, "benchmarks", "compare_interpreters.py")
TINY = ["--quick", "--sizes", "2,3", "--iterations", "5", "--digits-rows", "40",
        "--repeats", "1", "--budget", "0.0005", "--warmup", "0"]
# Run the script with NumPy made unimportable, as on an interpreter without it.
WITHOUT_NUMPY = ("import runpy, sys; sys.modules['numpy'] = None; "
                 "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def _run(args, timeout=120):
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.subprocess
def test_compare_numpy_runs_without_numpy(tmp_path):
    out_json = tmp_path / "results.json"
    out = _run(["-c", WITHOUT_NUMPY, COMPARE_NUMPY, *TINY, "--json", str(out_json)])
    assert "NumPy: not installed" in out and "NumPy is missing" in out
    for section in ("## a. matmul", "## b. elementwise sigmoid", "## c. the article's training",
                    "## d. one epoch of 64-32-10", "## f. scaling", "## g. peak memory",
                    "## h. the first epoch", "## targets"):
        assert section in out
    assert "## e. crossover" not in out  # needs NumPy
    results = json.loads(out_json.read_text())
    assert results["meta"]["numpy"] is None
    assert [r["shape"] for r in results["matmul"]] == [[2, 2, 2], [3, 3, 3]]
    assert results["article"]["iterations"] == 5
    assert results["digits"]["rows"] == 40 and results["digits"]["batches"] == 2
    verdicts = {t["target"]: t["verdict"] for t in results["targets"]}
    assert verdicts["article class vs the article's NumPy"] == "n/a"
    assert [(c["batch"], c["width"]) for c in results["scaling"]["cells"]] == [
        (2, 2), (3, 2), (2, 3), (3, 3)]
    assert {"none", "tinynet"} <= set(results["memory"]) and "numpy" not in results["memory"]
    assert all(mb > 0 for mb in results["memory"].values())
    assert len(results["cold"]["epochs"]) == 4 and results["cold"]["warm"] > 0


@pytest.mark.subprocess
def test_compare_numpy_runs_with_numpy(tmp_path):
    pytest.importorskip("numpy")
    out_json = tmp_path / "results.json"
    out = _run([COMPARE_NUMPY, *TINY, "--json", str(out_json),
                "--only", "matmul,article,digits,crossover,scaling"])
    assert "## e. crossover" in out and "NumPy wins from" in out
    results = json.loads(out_json.read_text())
    assert results["meta"]["numpy"]
    assert {"numpy", "numpy_conversion", "vs_numpy"} <= set(results["matmul"][0])
    assert "article_vs_numpy" in results["article"] and "vs_numpy" in results["digits"]
    assert "fit_vs_numpy" in results["article"]
    assert {"sgd", "adam"} <= set(results["digits"])
    assert all("numpy" in results["digits"][opt] for opt in ("sgd", "adam"))
    assert all("numpy" in cell for cell in results["scaling"]["cells"])
    for name in ("micrograd", "torch"):  # each framework's rows, when it is installed
        installed = importlib.util.find_spec(name) is not None
        assert (name in results["article"]) == installed
    assert all(t["verdict"] in ("met", "MISSED", "n/a") for t in results["targets"])


@pytest.mark.subprocess
def test_compare_numpy_help():
    assert "--quick" in _run([COMPARE_NUMPY, "--help"])


@pytest.mark.subprocess
def test_compare_interpreters_on_this_interpreter_only(tmp_path):
    out_json = tmp_path / "all.json"
    missing = str(tmp_path / "no-such-python")
    out = _run([COMPARE_INTERPRETERS, "--only", sys.executable, "--only", missing,
                "--json", str(out_json), "--", "--only", "matmul,article", *TINY[1:]])
    assert "| interpreter |" in out
    assert sys.executable in out
    assert "skipped: not installed" in out
    results = json.loads(out_json.read_text())
    assert set(results) == {sys.executable}
    version = ".".join(map(str, sys.version_info[:3]))
    assert results[sys.executable]["meta"]["python"].startswith(version)


def test_compare_interpreters_finds_the_interpreters_it_looks_for():
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import compare_interpreters
    finally:
        sys.path.pop(0)
    names = [name for name, _ in compare_interpreters.interpreters()]
    assert names == [f"CPython 3.{m}" for m in range(8, 14)] + ["PyPy 3"]
