"""Measurements that need a fresh process: peak memory, and the first epoch.

compare_numpy.py runs this file once per measurement, with the same
interpreter, so that nothing it already imported, compiled or (on PyPy)
JIT-compiled counts:

    python benchmarks/isolated.py memory FRAMEWORK [ROWS]   # -> {"maxrss_mb": ...}
    python benchmarks/isolated.py epochs COUNT [ROWS]       # -> {"epochs": [seconds, ...]}

memory: the child loads the digits, trains one SGD epoch of the 64-32-10
network (batch 32) with FRAMEWORK (tinynet, numpy, torch, sklearn or
"none", which trains nothing), and reports its peak resident set size
(the whole process, interpreter and imports included: VmHWM from
/proc/self/status on Linux, else getrusage's ru_maxrss). epochs: the child times COUNT epochs of tinynet's Network.fit on
the digits, one by one from the first, which includes compiling the kernels
and, on PyPy, warming up the JIT.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MEMORY_FRAMEWORKS = ("none", "tinynet", "numpy", "torch", "sklearn")
TIMEOUT = 900


def run(*args: str) -> Optional[Dict[str, Any]]:
    """Run this file in a fresh process of this interpreter; return its JSON (None on error)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), *args], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    # Linux keeps ru_maxrss across exec, so a child forked from a large
    # parent reports the parent's size: read this process's own high-water
    # mark, VmHWM, where there is one.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2 ** 10  # KiB
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2 ** 20 if sys.platform == "darwin" else peak / 2 ** 10  # bytes / KiB


def _digits(rows: Optional[int]):
    from tinynet.data import load_digits, one_hot
    x, labels = load_digits()
    if rows:
        x, labels = x[:rows], labels[:rows]
    x = [[v / 16.0 for v in row] for row in x]
    return x, one_hot(labels, classes=list(range(10)))[0], labels


def _network():
    from tinynet.network import Network
    return Network([64, 32, 10], activation="relu", output_activation="softmax",
                   loss="cross_entropy", seed=1)


def memory(framework: str, rows: Optional[int]) -> Dict[str, Any]:
    """Train one SGD epoch of the digits with framework; return the peak RSS."""
    sys.path.insert(0, HERE)
    x, y, labels = _digits(rows)
    batches = [(x[i:i + 32], y[i:i + 32]) for i in range(0, len(x), 32)]
    start = [p for layer in _network().get_parameters() for p in layer.values()]
    if framework == "tinynet":
        _network().fit(x, y, epochs=1, batch_size=32, learning_rate=0.1, seed=1)
    elif framework == "numpy":
        import numpy as np
        from compare_numpy import numpy_digits_step
        step, params = numpy_digits_step(np), [np.array(p) for p in start]
        for xb, yb in batches:
            step(np.array(xb), np.array(yb), params, 0.1, {})
    elif framework == "torch":
        import frameworks
        frameworks.torch_digits_epoch(batches, start, 0.1, "sgd")()
    elif framework == "sklearn":
        import frameworks
        frameworks.sklearn_digits_epoch(x, labels, 0.1, "sgd", 32)()
    elif framework != "none":
        raise SystemExit(f"isolated.py: unknown framework {framework!r}")
    return {"maxrss_mb": _peak_mb()}


def epochs(count: int, rows: Optional[int]) -> Dict[str, Any]:
    """Time count epochs of Network.fit on the digits, from the first."""
    x, y, _ = _digits(rows)
    times: List[float] = []
    last = [time.perf_counter()]

    def tick(epoch, logs):
        now = time.perf_counter()
        times.append(now - last[0])
        last[0] = now

    _network().fit(x, y, epochs=count, batch_size=32, learning_rate=0.1, seed=1, callback=tick)
    return {"epochs": times}


def main(argv: List[str]) -> int:
    what, arg, rows = argv[0], argv[1], int(argv[2]) if len(argv) > 2 else None
    out = memory(arg, rows) if what == "memory" else epochs(int(arg), rows)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
