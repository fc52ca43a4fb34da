"""Reliability (issue 11): every bad input gets a clear error, nothing is ever lost.

One section per class of the issue:
A. outputs never destroy inputs or earlier results;
B. loading never hangs or explodes;
C. bad paths are TinynetError, not TypeError;
D. the command line under stress (closed streams, Ctrl-C, huge networks);
E. no silent nonsense (NaN predictions, NaN targets, tiny spreads, stale ETA).
The hypothesis fuzz of every public entry point is in test_fuzz.py.
"""

import gzip
import io
import json
import math
import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from tinynet import Network, TinynetError, recipe, serialize
from tinynet.cli import main
from tinynet.data import Standardizer, labels_to_indices, one_hot, read_csv
from tinynet.files import MAX_GZIP_RATIO, check_writable, read_text, write_atomic
from tinynet.metrics import accuracy
from tinynet.progress import ProgressBar

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and signals")
# Emscripten's in-memory file system (Pyodide) makes files as asked, ignoring the umask.
UMASK_APPLIES = sys.platform != "emscripten"
PROCESSES = pytest.mark.skipif(sys.platform in ("emscripten", "wasi"),
                               reason="no child processes on WebAssembly")
FIFOS = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
PYTHON = sys.executable
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err, *fragments):
    assert err.startswith("tinynet: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


def csv_file(path, text="a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n"):
    path.write_text(text)
    return path


def small_model(path):
    net = Network([2, 2], output_activation="softmax", loss="cross_entropy", seed=0)
    net.classes, net.feature_names, net.target_name = ["x", "y"], ["a", "b"], "label"
    net.save(str(path))
    return path


def spawn(args, **kwargs):
    env = dict(os.environ, PYTHONPATH=SRC)
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, **kwargs)


# --- A. outputs never destroy inputs or earlier results ------------------------------

@pytest.mark.parametrize("argv, option", [
    (["train", "{d}", "--save", "{d}"], "--save"),
    (["train", "{d}", "--plot", "{d}"], "--plot"),
    (["train", "{d}", "--save", "{link}"], "--save"),       # a symlink to the input
    (["train", "{d}", "--save", "{sub}/../d.csv"], "--save"),
    (["predict", "{m}", "{d}", "--out", "{d}"], "--out"),
    (["predict", "{m}", "{d}", "--out", "{m}"], "--out"),
    (["evaluate", "{m}", "{d}", "--plot", "{m}"], "--plot"),
    (["plot", "{m}", "{d}", "{m}"], "OUT.svg"),
    (["plot", "{m}", "{d}", "{hard}"], "OUT.svg"),          # a hard link to the model
    (["train", "{d}", "--save", "{o}", "--plot", "{o}"], "--plot"),
])
@POSIX
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(capsys, tmp_path, argv,
                                                                  option):
    d, m = csv_file(tmp_path / "d.csv"), small_model(tmp_path / "m.json")
    (tmp_path / "sub").mkdir()
    os.symlink(str(d), str(tmp_path / "link.csv"))
    if "{hard}" in argv:
        if not hasattr(os, "link"):
            pytest.skip("no hard links here (Emscripten's file system)")
        os.link(str(m), str(tmp_path / "hard.json"))
    names = {"d": d, "m": m, "link": tmp_path / "link.csv", "sub": tmp_path / "sub",
             "hard": tmp_path / "hard.json", "o": tmp_path / "o.json"}
    before = {p: p.read_bytes() for p in (d, m)}
    code, _, err = run(capsys, *[a.format(**names) for a in argv])
    assert code == 2
    one_error_line(err, option, "is the same file as", "choose another name")
    assert {p: p.read_bytes() for p in (d, m)} == before
    assert not (tmp_path / "o.json").exists()


def test_an_unwritable_save_is_found_before_training(capsys, tmp_path, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(recipe, "train", no_training)
    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    os.chmod(str(locked), 0o444)
    code, _, err = run(capsys, "train", "xor", "--save", locked)
    assert code == 1
    one_error_line(err, "--save", "locked.json", "read-only")
    code, _, err = run(capsys, "train", "xor", "--plot", tmp_path / "no" / "loss.svg")
    assert code == 1
    one_error_line(err, "--plot", "does not exist")
    if not ROOT:  # root may write in a read-only folder
        folder = tmp_path / "ro"
        folder.mkdir()
        os.chmod(str(folder), 0o555)
        code, _, err = run(capsys, "train", "xor", "--save", folder / "m.json")
        assert code == 1
        one_error_line(err, "--save", "Permission denied")


def test_check_writable_leaves_nothing_behind(tmp_path):
    check_writable(tmp_path / "m.json", op="--save")
    assert os.listdir(str(tmp_path)) == []


def test_predictions_on_a_full_disk_keep_the_old_file(capsys, tmp_path, monkeypatch):
    d, m = csv_file(tmp_path / "d.csv"), small_model(tmp_path / "m.json")
    out = tmp_path / "p.csv"
    out.write_text("the old predictions\n")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, _, err = run(capsys, "predict", m, d, "--out", out)
    assert code == 1
    one_error_line(err, "--out", "p.csv", "No space left on device")
    assert out.read_text() == "the old predictions\n"
    assert sorted(os.listdir(str(tmp_path))) == ["d.csv", "m.json", "p.csv"]


def unloadable_networks():
    """Networks save must refuse, because load would refuse the file."""
    def net():
        n = Network([2, 3], output_activation="softmax", loss="cross_entropy", seed=0)
        n.classes, n.feature_names = ["a", "b", "c"], ["u", "v"]
        return n

    short = net()
    short.classes = ["a", "b"]                  # 2 classes, 3 outputs
    numbered = net()
    numbered.feature_names = [1, 2]             # names must be strings
    wide = net()
    wide.standardizer = Standardizer().fit([[1.0, 2.0, 3.0], [2.0, 3.0, 5.0]])  # 3 of 2
    huge = net()
    huge.layers[0].weights[0][0] = 10 ** 400    # no float holds it
    return [("classes", short), ("feature_names", numbered), ("standardizer", wide),
            ("weights", huge)]


@pytest.mark.parametrize("field, bad", unloadable_networks())
def test_save_refuses_what_load_would_refuse_and_keeps_the_old_file(tmp_path, field, bad):
    path = tmp_path / "m.json"
    small_model(path)
    before = path.read_bytes()
    with pytest.raises(TinynetError, match="save: not writing .*m.json.*load could not read"):
        bad.save(str(path))
    assert path.read_bytes() == before
    assert os.listdir(str(tmp_path)) == ["m.json"]


@POSIX
def test_save_writes_through_a_symlink_to_its_target(tmp_path):
    real = tmp_path / "real.json"
    small_model(real)
    link = tmp_path / "link.json"
    os.symlink(str(real), str(link))
    net = Network([2, 3, 2], seed=1)
    net.save(str(link))
    assert os.path.islink(str(link))
    assert serialize.load(str(real)).sizes == [2, 3, 2]


@POSIX
@FIFOS
def test_save_keeps_the_mode_and_refuses_read_only_and_special_files(tmp_path):
    path = tmp_path / "m.json"
    small_model(path)
    os.chmod(str(path), 0o600)
    Network([2, 1], seed=0).save(str(path))
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    os.chmod(str(path), 0o444)
    before = path.read_bytes()
    with pytest.raises(TinynetError, match="save: .*m.json.* is read-only; not replacing it"):
        Network([2, 1], seed=0).save(str(path))
    assert path.read_bytes() == before
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    with pytest.raises(TinynetError, match="save: .*fifo.* is a FIFO .*not replacing it"):
        Network([2, 1], seed=0).save(str(fifo))
    assert stat.S_ISFIFO(os.lstat(str(fifo)).st_mode)
    with pytest.raises(TinynetError, match="is a folder"):
        write_atomic(tmp_path, "x", op="demo")


@POSIX
def test_the_writer_never_touches_the_umask(tmp_path, monkeypatch):
    def no_umask(mask):
        raise AssertionError("os.umask changes the umask of every thread")

    old = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", no_umask)
        write_atomic(tmp_path / "new.txt", "x", op="demo")
        check_writable(tmp_path / "other.txt", op="demo")
    finally:
        monkeypatch.undo()
        os.umask(old)
    if UMASK_APPLIES:
        assert stat.S_IMODE(os.stat(str(tmp_path / "new.txt")).st_mode) == 0o640


KILL_CHILD = textwrap.dedent("""
    import sys
    from tinynet import Network
    nets = [Network([40, 200, 10], seed=s) for s in (1, 2)]
    print("ready", flush=True)
    i = 0
    while True:
        nets[i % 2].save(sys.argv[1])
        i += 1
""")


@PROCESSES
@POSIX
@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_kill_9_during_save_leaves_the_old_file_or_the_new_one(tmp_path, delay):
    import time

    path = tmp_path / "m.json"
    expected = []
    for seed in (1, 2):
        Network([40, 200, 10], seed=seed).save(str(path))
        expected.append(path.read_bytes())
    env = dict(os.environ, PYTHONPATH=SRC)
    child = subprocess.Popen([PYTHON, "-c", KILL_CHILD, str(path)], stdout=subprocess.PIPE,
                             env=env)
    try:
        assert child.stdout.readline() == b"ready\n"
        time.sleep(delay)  # a different moment of a save each time; none may break it
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert path.read_bytes() in expected
    leftovers = [f for f in os.listdir(str(tmp_path)) if f != "m.json"]
    assert all(f.startswith(".tinynet-") and f.endswith(".tmp") for f in leftovers)


# --- B. loading never hangs or explodes -------------------------------------------------

@POSIX
@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
@FIFOS
def test_special_files_are_refused_before_they_are_read(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    for read in (serialize.load, read_csv, lambda p: read_text(p, op="demo")):
        with pytest.raises(TinynetError, match="not a regular file"):
            read(special)


@POSIX
@FIFOS
def test_a_train_on_a_fifo_exits_1(capsys, tmp_path):
    os.mkfifo(str(tmp_path / "d.csv"))
    code, _, err = run(capsys, "train", tmp_path / "d.csv")
    assert code == 1
    one_error_line(err, "FIFO", "not a regular file")


def test_a_model_file_over_the_bound_is_refused_by_its_size(tmp_path):
    path = tmp_path / "m.json"
    with open(str(path), "wb") as f:
        f.truncate(2 ** 30)  # 1 GiB, sparse: refused by its size, not read
    with pytest.raises(TinynetError, match=r"is larger than 67108864 bytes \(1.0 GiB\)"):
        serialize.load(str(path))
    small_model(path)
    size = path.stat().st_size
    with pytest.raises(TinynetError, match=f"larger than {size - 1} bytes"):
        serialize.load(str(path), max_bytes=size - 1)
    assert serialize.load(str(path), max_bytes=size).sizes == [2, 2]
    with pytest.raises(TinynetError, match="max_bytes must be a positive integer"):
        serialize.load(str(path), max_bytes=0)


def test_the_cli_bound_on_input_files(capsys, tmp_path):
    d, m = csv_file(tmp_path / "d.csv"), small_model(tmp_path / "m.json")
    code, _, err = run(capsys, "predict", m, d, "--max-file-mb", "0.0001")
    assert code == 1
    one_error_line(err, "load", "m.json", "larger than 104 bytes")
    code, _, err = run(capsys, "train", d, "--max-file-mb", "0.00001")
    assert code == 1
    one_error_line(err, "d.csv", "larger than 10 bytes")


def test_a_gzip_bomb_is_refused_while_it_is_decompressed(tmp_path):
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(b"\n" * 2 ** 25, 9))  # 32 MiB of newlines in ~32 KB
    assert bomb.stat().st_size < 40000
    with pytest.raises(TinynetError, match=f"expands past .*{MAX_GZIP_RATIO} times its size"):
        read_csv(bomb)
    plain = tmp_path / "big.csv.gz"
    plain.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 1000))
    with pytest.raises(TinynetError, match="refusing .*big.csv.gz.*expands past 100 bytes"):
        read_csv(plain, max_bytes=100)
    assert len(read_csv(plain)[0]) == 1000


def test_the_shipped_gzip_data_set_reads_within_the_bounds():
    assert len(recipe.read_table("digits").x) == 1797


# --- C. paths are str or os.PathLike --------------------------------------------------

@pytest.mark.parametrize("path", [None, 0, 1, 3.5, b"m.json", ["m.json"]])
def test_save_and_load_accept_only_str_and_path_like(tmp_path, path):
    net = Network([2, 1], seed=0)
    for call in (lambda: net.save(path), lambda: serialize.save(net, path),
                 lambda: serialize.load(path), lambda: Network.load(path)):
        with pytest.raises(TinynetError, match=r"needs a file name \(str or os.PathLike\)"):
            call()


@PROCESSES
def test_load_0_does_not_touch_stdin():
    child = spawn([PYTHON, "-c", "from tinynet import serialize\n"
                   "try:\n    serialize.load(0)\nexcept ValueError as e:\n    print(e)\n"
                   "import sys, os\nos.fstat(0)\nprint('stdin open')"], input="{}")
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines() == [
        "load: needs a file name (str or os.PathLike), got int 0", "stdin open"]


# --- D. the command line under stress -------------------------------------------------------

@PROCESSES
@POSIX
def test_closed_stderr_still_trains_and_saves(tmp_path):
    child = spawn(["sh", "-c", f'"{PYTHON}" -m tinynet train xor --epochs 20 '
                               f'--save m.json 2>&-'], cwd=str(tmp_path))
    assert child.returncode == 0
    assert "saved the model to m.json" in child.stdout
    assert serialize.load(str(tmp_path / "m.json")).n_in == 3


@PROCESSES
@POSIX
def test_closed_stdout_and_stderr_still_save(tmp_path):
    child = spawn(["sh", "-c", f'"{PYTHON}" -m tinynet train xor --epochs 20 '
                               f'--save m.json >&- 2>&-'], cwd=str(tmp_path))
    assert child.returncode == 0
    assert serialize.load(str(tmp_path / "m.json")).n_in == 3


@PROCESSES
@POSIX
@pytest.mark.parametrize("command", ["datasets", "gradcheck", "predict m.json xor",
                                     "evaluate m.json xor"])
def test_closed_stdout_fails_with_one_line(tmp_path, command):
    small_xor = Network([3, 2], output_activation="softmax", loss="cross_entropy", seed=0)
    small_xor.save(str(tmp_path / "m.json"))
    child = spawn(["sh", "-c", f'"{PYTHON}" -m tinynet {command} >&-'], cwd=str(tmp_path))
    assert child.returncode == 1
    one_error_line(child.stderr, "standard output is closed")


def test_ctrl_c_during_a_command_exits_130_with_one_line(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(recipe, "train", interrupted)
    code, _, err = run(capsys, "train", "xor", "--quiet")
    assert code == 130
    one_error_line(err, "interrupted")


IMPORT_INTERRUPT = textwrap.dedent("""
    import sys

    MODULE = sys.argv[1]

    class Interrupt:
        # Ctrl-C at the moment a module starts to import: inside the imports
        # that take the first tenths of a second.
        def find_spec(self, name, path=None, target=None):
            if name == MODULE:
                raise KeyboardInterrupt
            return None

    sys.meta_path.insert(0, Interrupt())
    sys.argv[1:] = ["datasets"]
    if {entry!r} == "console":
        from tinynet.__main__ import main  # what the console script runs
        sys.exit(main())
    import runpy
    runpy.run_module("tinynet", run_name="__main__")
""")


@PROCESSES
@pytest.mark.parametrize("entry", ["console", "python -m"])
@pytest.mark.parametrize("module", ["tinynet.cli", "tinynet.matrix", "tinynet.network",
                                    "tinynet.plot.svg"])
def test_ctrl_c_while_importing_exits_130_with_one_line(entry, module):
    child = spawn([PYTHON, "-c", IMPORT_INTERRUPT.format(entry=entry), module])
    assert child.returncode == 130, child.stderr
    assert child.stderr == "tinynet: error: interrupted\n"


SIGNAL_CHILD = textwrap.dedent("""
    import sys

    class Go:
        # say "go" as the imports begin, so the parent's Ctrl-C lands in them
        # or in the training after them, never before tinynet runs
        def find_spec(self, name, path=None, target=None):
            if name == "tinynet.matrix":
                sys.stdout.write("go\\n")
                sys.stdout.flush()
            return None

    sys.meta_path.insert(0, Go())
    from tinynet.__main__ import main
    sys.exit(main(["train", "moons", "--epochs", "100000", "--patience", "0", "--quiet"]))
""")


@PROCESSES
@POSIX
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.3, 1.0])
def test_a_real_ctrl_c_at_any_moment_exits_130(delay, tmp_path):
    import time

    env = dict(os.environ, PYTHONPATH=SRC)
    child = subprocess.Popen([PYTHON, "-c", SIGNAL_CHILD], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=str(tmp_path))
    try:
        assert child.stdout.readline() == b"go\n"
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 130, err
    assert err.decode() == "tinynet: error: interrupted\n"


def test_a_huge_network_is_refused_before_any_weight_is_made(capsys):
    code, _, err = run(capsys, "train", "iris", "--hidden", "100000,100000")
    assert code == 1
    one_error_line(err, "4-100000-100000-3 network has 10,000,900,003 parameters",
                   "about 1 TB", "--max-params")
    # 3-4-2: (3 + 1) * 4 + (4 + 1) * 2 = 26 parameters
    code, _, err = run(capsys, "train", "xor", "--hidden", "4", "--max-params", "25",
                       "--val-split", "0")
    assert code == 1
    one_error_line(err, "has 26 parameters", "the limit is 25")
    code, _, _ = run(capsys, "train", "xor", "--hidden", "4", "--max-params", "26",
                     "--epochs", "1", "--quiet")
    assert code == 0


def test_parameter_count_follows_the_layer_sizes():
    assert recipe.parameter_count([3, 4, 2]) == 4 * 4 + 5 * 2
    assert recipe.parameter_count([5]) == 0
    net, _ = recipe.build_network(recipe.read_table("xor"), "classification", hidden=[7])
    assert recipe.parameter_count(net.sizes) == sum(
        len(layer.weights) * len(layer.biases) + len(layer.biases) for layer in net.layers)


# --- E. no silent nonsense -----------------------------------------------------------------

def exploding_regressor(path):
    net = Network([1, 1], output_activation="identity", loss="mse", seed=0)
    net.layers[0].weights, net.layers[0].biases = [[1e300]], [0.0]
    net.feature_names, net.target_name = ["x"], "y"
    net.save(str(path))
    return path


def test_a_nan_or_inf_prediction_is_an_error_naming_the_row(capsys, tmp_path):
    m = exploding_regressor(tmp_path / "m.json")
    d = csv_file(tmp_path / "d.csv", "x,y\n0.5,1\n1e10,2\n")
    code, out, err = run(capsys, "predict", m, d)
    assert code == 1 and out == ""
    one_error_line(err, "d.csv line 3 gives inf", "x 1e10")
    code, _, err = run(capsys, "predict", m, d, "--out", tmp_path / "p.csv")
    assert code == 1 and not (tmp_path / "p.csv").exists()
    code, _, err = run(capsys, "evaluate", m, d, "--json")
    assert code == 1
    one_error_line(err, "d.csv line 3 gives inf")


def test_evaluate_json_is_valid_json_even_when_the_mse_overflows(capsys, tmp_path):
    m = exploding_regressor(tmp_path / "m.json")
    d = csv_file(tmp_path / "d.csv", "x,y\n1e-10,1e300\n-1e-10,-1e300\n")
    code, out, _ = run(capsys, "evaluate", m, d, "--json")
    assert code == 0

    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    report = json.loads(out, parse_constant=no_constants)
    assert report["mse"] is None and report["n"] == 2


def test_a_feature_spread_of_1e_300_variance_predicts_finite_numbers(capsys, tmp_path):
    rows = "".join(f"{1e-150 * (i % 2)},{i % 3},{i % 2}\n" for i in range(30))
    d = csv_file(tmp_path / "d.csv", "tiny,other,label\n" + rows)
    m = tmp_path / "m.json"
    assert run(capsys, "train", d, "--save", m, "--epochs", "5", "--quiet")[0] == 0
    assert serialize.load(str(m)).standardizer.std[0] == 1.0
    code, out, _ = run(capsys, "predict", m, d)
    assert code == 0 and "nan" not in out.lower() and "inf" not in out.lower()


def test_a_model_file_with_a_near_zero_std_is_refused(tmp_path):
    net = Network([2, 1], seed=0)
    net.standardizer = Standardizer().fit([[0.0, 1.0], [2.0, 3.0]])
    doc = serialize.to_dict(net)
    doc["standardizer"]["std"][1] = 5e-324
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(TinynetError, match=r"'std' entry 1 must be >= 1e-100, got 5e-324"):
        serialize.load(str(path))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_inf_labels_and_targets_are_errors(bad):
    with pytest.raises(TinynetError, match="labels\\[0\\] is .*must not be NaN or infinite"):
        one_hot([bad, bad])
    with pytest.raises(TinynetError, match="must not be NaN or infinite"):
        labels_to_indices([1.0, bad], [1.0, 2.0])
    with pytest.raises(TinynetError, match="must not be NaN or infinite"):
        accuracy([bad], [1.0])
    x = [[float(i)] for i in range(12)]
    numbers = recipe.Table(x, [float(i % 2) for i in range(11)] + [bad], ["x"], "y", "api")
    all_bad = recipe.Table(x, [bad] * 12, ["x"], "y", "api")
    for task in ("regression", "classification", None):
        if math.isnan(bad):  # a missing value: the row is left out, and counted
            _, _, report = recipe.train(numbers, task=task, epochs=1)
            assert sum(report["rows"].values()) == 11
            assert "dropped 1 row whose target 'y' is missing" in report["notes"]
        else:  # never a class called 'inf'
            with pytest.raises(TinynetError, match="api data row 12: the target column 'y' "
                                                   "has .*inf'; a target must be a finite"):
                recipe.train(numbers, task=task, epochs=1)
        with pytest.raises(TinynetError, match="no rows left|must be a finite"):
            recipe.train(all_bad, task=task, epochs=1)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("stream", [io.StringIO, Terminal])
def test_after_an_early_stop_the_last_progress_line_has_no_eta(stream):
    out = stream()
    bar = ProgressBar(100, stream=out, clock=Clock())
    for epoch in range(1, 31):  # epoch 30 is printed with an ETA, then training stops
        bar.update(epoch, loss=1.0)
    bar.close()
    last = out.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("epoch  30/100") and "ETA" not in last


def test_a_progress_bar_without_a_stream_trains_quietly(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    bar = ProgressBar(2)
    bar.update(1, loss=1.0)
    bar.close()
    closed = io.StringIO()
    bar = ProgressBar(3, stream=closed, tty=False)
    closed.close()
    bar.update(1, loss=1.0)  # the stream went away under it: no error
    bar.close()
