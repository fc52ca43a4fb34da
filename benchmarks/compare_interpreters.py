"""Run tinynet's benchmark on every Python on this machine; print one table.

    python benchmarks/compare_interpreters.py            # compare_numpy.py --quick on each
    python benchmarks/compare_interpreters.py --full     # the full run on each (slow)
    python benchmarks/compare_interpreters.py --only "$(command -v python3)" -- --sizes 2,4

The interpreters: each CPython 3.8-3.13 that pyenv has (the newest patch of
each minor, under ``$(pyenv root)/versions``) and ``pypy3`` on the PATH. Each
runs this checkout's ``benchmarks/compare_numpy.py`` with PYTHONPATH pointing
at the checkout, so nothing needs installing; NumPy figures appear where
that interpreter has NumPy. An interpreter that is not there is listed as
skipped. Arguments after ``--`` go to compare_numpy.py.

To measure NumPy fairly, unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
this command alone if they are set (``env -u OPENBLAS_CORETYPE -u
OPENBLAS_L2_SIZE python benchmarks/compare_interpreters.py``).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCHMARK = os.path.join(HERE, "compare_numpy.py")
MINORS = range(8, 14)   # CPython 3.8 .. 3.13
TIMEOUT = 3600          # seconds for one interpreter's run


def pyenv_root() -> str:
    root = os.environ.get("PYENV_ROOT")
    if not root and shutil.which("pyenv"):
        try:
            root = subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            root = None
    return root or os.path.expanduser("~/.pyenv")


def _version_key(path: str) -> Tuple[int, ...]:
    match = re.search(r"/3\.\d+\.(\d+)[^/]*/bin/python$", path)
    return (int(match.group(1)),) if match else (0,)


def interpreters() -> List[Tuple[str, Optional[str]]]:
    """Return (name, path or None) for each interpreter wanted, in order."""
    found: List[Tuple[str, Optional[str]]] = []
    root = pyenv_root()
    for minor in MINORS:
        paths = glob.glob(os.path.join(root, "versions", f"3.{minor}.*", "bin", "python"))
        paths = [p for p in paths if re.search(rf"/3\.{minor}\.\d+/bin/python$", p)]
        found.append((f"CPython 3.{minor}", max(paths, key=_version_key) if paths else None))
    found.append(("PyPy 3", shutil.which("pypy3")))
    return found


def run(python: str, bench_args: Sequence[str]) -> Dict[str, Any]:
    """Run compare_numpy.py under python; return its JSON results (or an error)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "results.json")
        try:
            proc = subprocess.run([python, BENCHMARK, "--json", out, *bench_args], env=env,
                                  capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.SubprocessError) as err:
            return {"error": str(err)}
        if proc.returncode != 0 or not os.path.exists(out):
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            return {"error": f"exit {proc.returncode}: {lines[-1] if lines else 'no output'}"}
        with open(out) as f:
            return json.load(f)


def _x(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _t(seconds: Optional[float], scale: float, unit: str) -> str:
    return "-" if seconds is None else f"{seconds * scale:,.1f} {unit}"


def row(name: str, results: Dict[str, Any]) -> List[str]:
    """One table row from compare_numpy.py's JSON."""
    meta = results["meta"]
    square = [r for r in results.get("matmul", []) if len(set(r["shape"])) == 1]
    worst = max(square, key=lambda r: r["vs_best"]) if square else None
    largest = square[-1] if square else None
    article = results.get("article", {})
    digits = results.get("digits", {})
    cold = results.get("cold", {})
    verdicts = [t["verdict"] for t in results.get("targets", [])]
    judged = [v for v in verdicts if v != "n/a"]
    return [
        name, meta["python"], meta["numpy"] or "-",
        f"{_x(worst['vs_best'])} (n={worst['shape'][0]})" if worst else "-",
        (f"{_x(largest['textbook_speedup'])} (n={largest['shape'][0]})" if largest else "-"),
        _t(article.get("article class"), 1e6, "µs"), _x(article.get("article_vs_numpy")),
        _t(article.get("Network"), 1e6, "µs"), _x(article.get("network_vs_numpy")),
        _t(article.get("fit"), 1e6, "µs"), _x(article.get("fit_vs_numpy")),
        _t(digits.get("network"), 1e3, "ms"), _x(digits.get("vs_best_fused")),
        _x(digits.get("vs_numpy")),
        _t(cold.get("cold"), 1e3, "ms"), _t(cold.get("warm"), 1e3, "ms"),
        _x(cold.get("cold_vs_warm")),
        f"{judged.count('met')}/{len(judged)}" if judged else "-",
    ]


HEADER = ["interpreter", "version", "NumPy", "matmul / best pure (worst n)",
          "textbook / matmul (largest n)", "article class, per iteration",
          "vs NumPy", "Network([3, 4, 1]), per step", "vs NumPy", "its fit, per epoch", "vs NumPy",
          "digits epoch", "vs best step", "vs NumPy", "fit: first epoch (cold)",
          "warm epoch", "cold / warm", "targets met"]


def table(rows: List[List[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |",
             "|" + "|".join("---" if i < 3 else "---:" for i in range(len(HEADER))) + "|"]
    lines += ["| " + " | ".join(r + [""] * (len(HEADER) - len(r))) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run benchmarks/compare_numpy.py on every interpreter here; print one table.",
        epilog="Arguments after -- are passed to compare_numpy.py.")
    parser.add_argument("--full", action="store_true",
                        help="the full benchmark on each interpreter instead of --quick")
    parser.add_argument("--only", metavar="PYTHON", action="append",
                        help="run just this interpreter (repeatable), e.g. the current one")
    parser.add_argument("--json", metavar="PATH", help="also write every result as JSON to PATH")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: List[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    args = parser.parse_args(argv)
    bench_args = ([] if args.full else ["--quick"]) + extra
    wanted = [(p, p) for p in args.only] if args.only else interpreters()
    rows, everything = [], {}
    for name, path in wanted:
        if path is None or not os.path.exists(path):
            rows.append([name, "skipped: not installed"])
            continue
        print(f"running {name} ({path}) ...", file=sys.stderr, flush=True)
        results = run(path, bench_args)
        everything[name] = results
        if "error" in results:
            rows.append([name, f"failed: {results['error']}"])
        else:
            meta = results["meta"]
            label = name if not args.only else f"{meta['implementation']} ({name})"
            rows.append(row(label, results))
    cpu = next((r["meta"]["cpu"] for r in everything.values() if "meta" in r), "unknown CPU")
    print(f"# tinynet on every interpreter ({'full' if args.full else 'quick'} runs, {cpu})\n")
    print(table(rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(everything, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
