"""The command line end to end: main(argv) on CSV files made here, every error path,
and one real `python -m tinynet` in a subprocess."""

import contextlib
import csv
import io
import json
import math
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import tinynet
from tinynet import Network
from tinynet.cli import main

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
FRUITS = {"apple": (7.0, 7.0), "banana": (3.0, 18.0), "cherry": (2.0, 2.0)}


def run(capsys, *argv):
    """(exit code, stdout, stderr) of one command line."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def fruit_rows(seed, per_class=12):
    """Three clusters far apart (centres >= 5 apart, sd 0.5): any sane classifier
    separates them, so the tests can expect near-perfect accuracy."""
    rng = random.Random(seed)
    rows = [[round(rng.gauss(w, 0.5), 3), round(rng.gauss(l, 0.5), 3), name]
            for name, (w, l) in FRUITS.items() for _ in range(per_class)]
    rng.shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def fruit(tmp_path_factory):
    """A classifier trained once on a CSV of text labels: (folder, csv, model, summary)."""
    folder = tmp_path_factory.mktemp("fruit")
    path = write_csv(folder / "fruit.csv", ["width", "length", "fruit"], fruit_rows(1))
    model = folder / "fruit.json"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["train", str(path), "--save", str(model), "--epochs", "80",
                     "--batch-size", "8", "--lr", "0.05", "--quiet",
                     "--plot", str(folder / "loss.svg")])
    assert code == 0
    return folder, path, model, out.getvalue()


# --- train, evaluate, predict on text labels --------------------------------------

def test_train_prints_a_summary_and_saves_the_metadata(fruit):
    folder, _, model, summary = fruit
    assert "classes of 'fruit': apple, banana, cherry" in summary
    # 36 rows, 0.2 held out: ceil(7.2) = 8 (see data.train_test_split)
    assert "28 rows" in summary and "8 held out for validation" in summary
    assert f"saved the model to {model}" in summary
    assert "accuracy: training" in summary
    net = Network.load(str(model))
    assert net.classes == ["apple", "banana", "cherry"]
    assert net.feature_names == ["width", "length"] and net.target_name == "fruit"
    assert net.sizes == [2, 16, 3]
    # the standardizer comes from the training rows: its means lie among the centres
    assert net.standardizer is not None
    assert 2.0 < net.standardizer.mean[0] < 7.0 and 2.0 < net.standardizer.mean[1] < 18.0


def test_evaluate_prints_accuracy_and_a_confusion_matrix_with_class_names(fruit, capsys):
    folder, path, model, _ = fruit
    code, out, err = run(capsys, "evaluate", model, path)
    # scoring on the training file is allowed, but said to flatter the model
    assert code == 0 and err.startswith("tinynet: warning: this is the file the model was "
                                        "trained on") and err.count("\n") == 1
    accuracy = float(out.split("accuracy ")[1].split()[0])
    assert accuracy >= 0.9
    lines = out.splitlines()
    header = lines.index("confusion matrix (rows: true class, columns: predicted class):")
    assert lines[header + 1].split() == ["apple", "banana", "cherry"]
    rows = [line.split() for line in lines[header + 2:header + 5]]
    assert [r[0] for r in rows] == ["apple", "banana", "cherry"]
    assert [sum(map(int, r[1:])) for r in rows] == [12, 12, 12]


def test_evaluate_json_is_consistent(fruit, capsys):
    _, path, model, _ = fruit
    code, out, _ = run(capsys, "evaluate", model, path, "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"n", "accuracy", "balanced_accuracy", "macro_f1", "loss", "classes",
                           "confusion_matrix", "notes", "warnings"}
    assert report["n"] == 36 and report["classes"] == ["apple", "banana", "cherry"]
    counts = report["confusion_matrix"]
    assert [sum(row) for row in counts] == [12, 12, 12]
    assert report["accuracy"] == sum(counts[i][i] for i in range(3)) / 36
    assert report["accuracy"] >= 0.9 and math.isfinite(report["loss"]) and report["loss"] >= 0


def test_predict_writes_a_label_and_one_probability_per_class(fruit, capsys):
    _, path, model, _ = fruit
    code, out, _ = run(capsys, "predict", model, path)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["predicted_fruit", "apple", "banana", "cherry"]
    assert len(rows) == 37
    truth = [r[2] for r in read_rows(path)[1:]]
    for row in rows[1:]:
        p = [float(v) for v in row[1:]]
        assert math.isclose(sum(p), 1.0, abs_tol=1e-5)
        assert row[0] == rows[0][1 + p.index(max(p))]
    right = sum(row[0] == t for row, t in zip(rows[1:], truth))
    assert right >= 0.9 * 36


def test_predict_picks_columns_by_name_and_needs_no_target(fruit, capsys, tmp_path):
    folder, path, model, _ = fruit
    rows = read_rows(path)[1:]
    swapped = write_csv(tmp_path / "new.csv", ["length", "extra", "width"],
                        [[r[1], "0", r[0]] for r in rows])
    _, original, _ = run(capsys, "predict", model, path)
    code, out, _ = run(capsys, "predict", model, swapped)
    assert code == 0 and out == original


def test_predict_out_writes_the_same_csv_to_a_file(fruit, capsys, tmp_path):
    _, path, model, _ = fruit
    _, to_stdout, _ = run(capsys, "predict", model, path)
    code, out, err = run(capsys, "predict", model, path, "--out", tmp_path / "p.csv")
    assert code == 0 and out == ""
    assert (tmp_path / "p.csv").read_text() == to_stdout
    assert "36 predictions" in err


def test_loss_plot_is_svg_with_a_train_and_a_validation_series(fruit):
    folder = fruit[0]
    root = ET.parse(folder / "loss.svg").getroot()
    assert root.tag == SVG + "svg"
    series = [p.get("class") for p in root.iter(SVG + "path")
              if (p.get("class") or "").startswith("series")]
    assert series == ["series train", "series validation"]


def test_evaluate_plot_writes_a_confusion_matrix(fruit, capsys, tmp_path):
    _, path, model, _ = fruit
    code, _, _ = run(capsys, "evaluate", model, path, "--plot", tmp_path / "cm.svg")
    assert code == 0
    root = ET.parse(tmp_path / "cm.svg").getroot()
    cells = [r for r in root.iter(SVG + "rect") if r.get("class") == "cell"]
    assert len(cells) == 9


# --- inference of the task, regression, files without a header -----------------------

def test_regression_on_a_numeric_target(capsys, tmp_path):
    rng = random.Random(2)
    rows = []
    for _ in range(40):
        a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
        rows.append([a, b, 300.0 + 40.0 * a - 25.0 * b])  # large values, linear
    path = write_csv(tmp_path / "r.csv", ["a", "b", "price"], rows)
    model = tmp_path / "r.json"
    code, out, _ = run(capsys, "train", path, "--save", model, "--quiet", "--epochs", "150",
                       "--batch-size", "8")
    assert code == 0
    assert "regression on 'price'" in out and "rmse: training" in out
    net = Network.load(str(model))
    assert net.classes is None and net.loss_function.name == "mse" and net.n_out == 1
    code, out, _ = run(capsys, "evaluate", model, path, "--json")
    report = json.loads(out)
    assert set(report) == {"n", "r2", "mae", "rmse", "mse", "loss", "notes", "warnings"}
    assert report["n"] == 40 and report["r2"] > 0.95
    variance = sum((r[2] - 300.0) ** 2 for r in rows) / 40  # about 40^2 + 25^2 ~ 3000
    assert report["mse"] < 0.05 * variance  # the target's scale was learned
    code, out, _ = run(capsys, "predict", model, path)
    lines = out.splitlines()
    assert lines[0] == "predicted_price" and len(lines) == 41
    assert abs(float(lines[1]) - rows[0][2]) < 0.25 * math.sqrt(variance)


def test_few_integers_mean_classes_and_a_flag_forces_regression(capsys, tmp_path):
    rows = [[i % 3 + 0.1 * (i % 5), float(i % 3)] for i in range(30)]
    path = write_csv(tmp_path / "k.csv", ["x", "k"], rows)
    code, out, _ = run(capsys, "train", path, "--save", tmp_path / "c.json", "--quiet",
                       "--epochs", "5")
    assert code == 0 and "classes of 'k': 0, 1, 2" in out
    assert Network.load(str(tmp_path / "c.json")).classes == [0, 1, 2]
    code, out, _ = run(capsys, "train", path, "--save", tmp_path / "r.json", "--quiet",
                       "--epochs", "5", "--regression")
    assert code == 0 and "regression on 'k'" in out
    assert Network.load(str(tmp_path / "r.json")).classes is None


def test_features_choose_columns_and_go_in_the_model(capsys, tmp_path):
    rows = [[r[2], "red" if r[2] == "cherry" else "other", r[0], r[1]] for r in fruit_rows(4)]
    path = write_csv(tmp_path / "f.csv", ["fruit", "colour", "width", "length"], rows)
    model = tmp_path / "m.json"
    code, out, _ = run(capsys, "train", path, "--target", "0", "--features", "length,width",
                       "--save", model, "--quiet", "--epochs", "3")
    assert code == 0 and "classes of 'fruit': apple, banana, cherry" in out
    net = Network.load(str(model))
    assert net.feature_names == ["length", "width"] and net.target_name == "fruit"
    code, out, _ = run(capsys, "evaluate", model, path, "--json")
    assert code == 0 and json.loads(out)["n"] == 36


def test_a_file_without_a_header_works_for_every_command(capsys, tmp_path):
    rows = [[x, 1 - x, int(x > 0.5)] for x in (i / 29 for i in range(30))]
    path = write_csv(tmp_path / "plain.csv", None, rows)
    model = tmp_path / "m.json"
    assert run(capsys, "train", path, "--save", model, "--quiet", "--epochs", "5")[0] == 0
    code, out, _ = run(capsys, "evaluate", model, path, "--json")
    assert code == 0 and json.loads(out)["n"] == 30
    code, out, _ = run(capsys, "predict", model, path)  # the label column is ignored
    assert code == 0 and len(out.splitlines()) == 31


def test_progress_goes_to_stderr_unless_quiet(capsys, tmp_path):
    path = write_csv(tmp_path / "f.csv", ["width", "length", "fruit"], fruit_rows(3, 4))
    code, out, err = run(capsys, "train", path, "--epochs", "20", "--patience", "0")
    assert code == 0 and "not saved" in out
    shown = [line.split()[1] for line in err.splitlines()]
    # not a TTY: whole lines, the first epoch, then every few, then the last
    assert "\r" not in err and shown[0] == "1/20" and shown[-1] == "20/20"
    assert len(shown) < 20
    assert "val_loss" in err and "[#" not in out
    code, out, err = run(capsys, "train", path, "--epochs", "3", "--quiet")
    assert code == 0 and err == ""


# --- plot, gradcheck, datasets, demo, version, help ------------------------------------

def test_progress_redraws_in_place_on_a_terminal(capsys, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["train", "xor", "--epochs", "5", "--val-split", "0"]) == 0
    progress = "".join(line for line in terminal.getvalue().splitlines(keepends=True)
                       if not line.startswith("tinynet: "))
    assert progress.startswith("\r") and progress.count("\n") == 1 and progress.endswith("\n")
    assert progress.rstrip().split("\r")[-1].startswith("epoch 5/5")


def test_plot_draws_the_decision_boundary_of_a_moons_classifier(capsys, tmp_path):
    model, picture = tmp_path / "moons.json", tmp_path / "moons.svg"
    assert run(capsys, "train", "moons", "--save", model, "--quiet", "--epochs", "10")[0] == 0
    code, out, _ = run(capsys, "plot", model, "moons", picture)
    assert code == 0 and str(picture) in out
    root = ET.parse(picture).getroot()
    points = [c for c in root.iter(SVG + "circle") if "point" in (c.get("class") or "")]
    assert len(points) == 200  # the built-in moons has 200 points
    assert any(r.get("class") == "region" for r in root.iter(SVG + "rect"))


@pytest.mark.parametrize("loss", ["mse", "sse", "cross_entropy", "binary_cross_entropy"])
def test_gradcheck_passes(capsys, loss):
    code, out, _ = run(capsys, "gradcheck", "--loss", loss, "--hidden", "3,2", "--seed", "4")
    assert code == 0 and out.splitlines()[-1] == "passed"
    assert "[3, 3, 2, 2]" in out


def test_gradcheck_fails_when_backprop_is_wrong(capsys, monkeypatch):
    real = Network.gradients

    def broken(self, x, y):
        grads = real(self, x, y)
        grads[0][1][0] += 0.01  # one bias gradient off
        return grads

    monkeypatch.setattr(Network, "gradients", broken)
    code, out, _ = run(capsys, "gradcheck")
    assert code == 1 and "FAILED" in out


def test_datasets_lists_all_seven(capsys):
    code, out, _ = run(capsys, "datasets")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")
              and not line.startswith("   ")]
    assert listed == ["xor", "moons", "circles", "spirals", "gaussians", "iris", "digits"]
    assert "150 x 4" in out and "1797 x 64" in out and "Fisher" in out


def test_version(capsys):
    assert run(capsys, "--version")[:2] == (0, f"tinynet {tinynet.__version__}\n")


@pytest.mark.parametrize("command", ["demo", "train", "evaluate", "predict", "plot",
                                     "gradcheck", "datasets"])
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and out.startswith(f"usage: tinynet {command}")


def test_no_arguments_and_demo_run_the_article_demo(capsys):
    for argv in ([], ["demo"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "1500 iterations" in out and "prediction" in out


@pytest.mark.subprocess
def test_python_dash_m_tinynet_in_a_subprocess():
    def tinynet_(*argv):
        return subprocess.run([sys.executable, "-m", "tinynet", *argv], cwd=str(ROOT),
                              capture_output=True, text=True, timeout=60)
    done = tinynet_("--version")
    assert done.returncode == 0 and done.stdout == f"tinynet {tinynet.__version__}\n"
    done = tinynet_()
    assert done.returncode == 0 and "prediction" in done.stdout and done.stderr == ""


# --- errors: one line on stderr, exit 2 for usage and 1 for data ------------------------

def check_error(result, code, *fragments):
    got, out, err = result
    assert got == code, err
    assert err.startswith("tinynet: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


@pytest.mark.parametrize("argv, fragment", [
    (["train", "iris", "--lr", "0"], "argument --lr: expected a number > 0, got '0'"),
    (["train", "iris", "--lr", "nan"], "argument --lr"),
    (["train", "iris", "--epochs", "-1"], "argument --epochs: expected a positive integer"),
    (["train", "iris", "--batch-size", "0"], "argument --batch-size"),
    (["train", "iris", "--hidden", "16,x"], "argument --hidden"),
    (["train", "iris", "--hidden", "0"], "argument --hidden"),
    (["train", "iris", "--val-split", "1"], "argument --val-split"),
    (["train", "iris", "--patience", "-1"], "argument --patience"),
    (["train", "iris", "--l2", "-0.1"], "argument --l2"),
    (["train", "iris", "--activation", "softmax"], "argument --activation"),
    (["train", "iris", "--classification", "--regression"], "not allowed with"),
    (["train"], "DATA"),
    (["train", "iris", "--target", "species"], "--target and --features apply to CSV files"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["evaluate", "model.json"], "DATA"),
])
def test_usage_errors_exit_2(capsys, argv, fragment):
    check_error(run(capsys, *argv), 2, fragment)


def test_a_classification_loss_on_a_numeric_target_is_a_usage_error(capsys, tmp_path):
    path = write_csv(tmp_path / "r.csv", ["a", "y"], [[i, i * 0.37] for i in range(20)])
    check_error(run(capsys, "train", path, "--loss", "cross_entropy"), 2,
                "--loss cross_entropy needs class labels")


@pytest.fixture
def files(tmp_path):
    """Broken inputs, by name."""
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "ragged.csv").write_text("a,b,c\n1,2,x\n4,5\n")
    (tmp_path / "text.csv").write_text("age,height,kind\n30,1.8,a\nabc,1.7,b\n")
    (tmp_path / "header.csv").write_text("a,b,c\n")
    (tmp_path / "other.json").write_text('{"weights": [1, 2]}')
    (tmp_path / "garbage.json").write_text("this is not JSON")
    return tmp_path


@pytest.mark.parametrize("argv, fragments", [
    (["train", "{d}/missing.csv"], ["no such file", "missing.csv"]),
    (["train", "nosuchset"], ["'nosuchset' is neither a file nor a built-in data set"]),
    (["train", "{d}/empty.csv"], ["empty.csv is empty"]),
    (["train", "{d}/header.csv"], ["header but no data rows"]),
    (["train", "{d}/ragged.csv"], ["line 3 has 2 columns, expected 3"]),
    (["train", "{d}/text.csv", "--regression", "--quiet"],
     ["line 2: the target column 'kind' must be numbers for a regressor, got 'a'"]),
    (["train", "{d}/text.csv", "--target", "colour"], ["no column 'colour'", "'age'"]),
    (["train", "{d}/text.csv", "--target", "7"], ["target index 7 is out of range"]),
    (["train", "iris", "--save", "{d}/no/such/folder/m.json"], ["does not exist"]),
    (["evaluate", "{d}/other.json", "iris"], ["not a tinynet model"]),
    (["evaluate", "{d}/garbage.json", "iris"], ["not valid JSON"]),
    (["evaluate", "{d}/missing.json", "iris"], ["cannot read", "missing.json"]),
    (["predict", "{d}/ragged.csv", "iris"], ["not valid JSON"]),
])
def test_data_errors_exit_1(capsys, files, argv, fragments):
    argv = [a.format(d=files) for a in argv]
    check_error(run(capsys, *argv), 1, *fragments)


def test_errors_with_a_trained_model(fruit, capsys, tmp_path):
    _, path, model, _ = fruit
    rows = read_rows(path)
    no_length = write_csv(tmp_path / "a.csv", ["width", "fruit"],
                          [[r[0], r[2]] for r in rows[1:]])
    check_error(run(capsys, "predict", model, no_length), 1, "no column 'length'")
    unlabelled = write_csv(tmp_path / "b.csv", ["width", "length"], [r[:2] for r in rows[1:]])
    check_error(run(capsys, "evaluate", model, unlabelled), 1,
                "no column 'fruit'", "or use predict")
    new_fruit = write_csv(tmp_path / "c.csv", rows[0], rows[1:] + [["1", "1", "durian"]])
    check_error(run(capsys, "evaluate", model, new_fruit), 1,
                "'durian'", "not one of the model's classes (apple, banana, cherry)")
    check_error(run(capsys, "evaluate", model, "iris"), 1, "4 feature columns", "takes 2")
    check_error(run(capsys, "predict", model, path, "--out", tmp_path / "no" / "p.csv"), 1,
                "No such file or directory")


def test_plot_needs_a_two_feature_classifier(capsys, tmp_path):
    model = tmp_path / "iris.json"
    assert run(capsys, "train", "iris", "--save", model, "--quiet", "--epochs", "1")[0] == 0
    check_error(run(capsys, "plot", model, "iris", tmp_path / "x.svg"), 1,
                "needs a classifier with 2 features", "4 features")
    assert not (tmp_path / "x.svg").exists()


def test_ctrl_c_exits_130_with_a_short_message(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(Network, "fit", interrupted)
    check_error(run(capsys, "train", "xor", "--quiet"), 130, "interrupted")


def test_a_closed_stdout_pipe_ends_quietly(monkeypatch, capsys):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["datasets"]) == 1
    monkeypatch.undo()
    assert capsys.readouterr().err == ""
