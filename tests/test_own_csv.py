"""Issue 12 end to end: messy tables through `tinynet train`, `evaluate` and `predict`
with the default flags, as a new user would run them."""

import csv
import json
import random
import xml.etree.ElementTree as ET

import pytest

from tinynet import Network, recipe
from tinynet.cli import main
from tests.messy import PENGUIN_COLUMNS, penguin_rows, write_table

SVG = "{http://www.w3.org/2000/svg}"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def penguins(tmp_path_factory):
    """A penguins-like table exported by R (row names, quoted, NA), trained once with
    the default flags and a held-out test set: (folder, csv path, model, stdout, stderr)."""
    folder = tmp_path_factory.mktemp("penguins")
    path = write_table(folder / "penguins.csv", PENGUIN_COLUMNS, penguin_rows(seed=1),
                       style="r")
    model = folder / "penguins.json"
    capture = pytest.CaptureFixture if False else None  # noqa: F841 (module fixture: no capsys)
    import contextlib
    import io
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["train", path, "--target", "species", "--test-split", "0.2",
                     "--save", str(model), "--plot", str(folder / "loss.svg")])
    assert code == 0, err.getvalue()
    return folder, path, model, out.getvalue(), err.getvalue()


def test_a_penguins_like_r_export_trains_with_default_flags(penguins):
    _, _, model, out, err = penguins
    assert "classes of 'species': Adelie, Chinstrap, Gentoo" in out
    test_line = next(line for line in out.splitlines() if line.startswith("test set"))
    accuracy = float(test_line.split("accuracy ")[1].split(",")[0])
    assert accuracy >= 0.97  # held out: never seen in training, nor for early stopping
    assert "row names" in err and "filled" in err and "the training median" in err
    net = Network.load(str(model))
    encoder = recipe.encoder_of(net)
    assert encoder.input_names == PENGUIN_COLUMNS[1:]
    assert "island=Dream" in net.feature_names and "sex=female" in net.feature_names


def test_evaluate_and_predict_apply_what_training_learned(penguins, capsys, tmp_path):
    folder, path, model, _, _ = penguins
    code, out, err = run(capsys, "evaluate", model, path, "--json")
    report = json.loads(out)
    assert code == 0 and report["n"] == 344
    counts = report["confusion_matrix"]
    assert report["accuracy"] == sum(counts[i][i] for i in range(3)) / 344
    assert "the file the model was trained on" in err
    # a pandas export of new rows, with an island never seen in training
    rows = penguin_rows(n=20, seed=9)
    for r in rows[:3]:
        r[1] = "Atlantis"
    new = write_table(tmp_path / "new.csv", PENGUIN_COLUMNS, rows, style="pandas")
    code, out, err = run(capsys, "predict", model, new, "--out", tmp_path / "p.csv")
    assert code == 0
    assert "column 'island': 3 rows with a category not seen in training" in err
    written = list(csv.reader(open(tmp_path / "p.csv")))
    assert written[0] == ["row", "predicted_species", "Adelie", "Chinstrap", "Gentoo"]
    assert [r[0] for r in written[1:]] == [str(i) for i in range(20)]  # the index, kept


def test_the_loss_plot_marks_the_kept_epoch_and_keeps_the_legend_off_the_curves(penguins):
    folder, _, model, out, _ = penguins
    root = ET.parse(folder / "loss.svg").getroot()
    kept = int(out.split("kept epoch ")[1].split(",")[0].split(")")[0])
    labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "kept-label"]
    assert labels == [f"kept epoch {kept}"]
    box = next(r for r in root.iter(SVG + "rect") if r.get("class") == "legend")
    x0, y0 = float(box.get("x")), float(box.get("y"))
    x1, y1 = x0 + float(box.get("width")), y0 + float(box.get("height"))
    for path in root.iter(SVG + "path"):
        if (path.get("class") or "").startswith("series"):
            points = [tuple(map(float, p.split(","))) for p in path.get("d")[1:].split("L")]
            assert not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points)


def regression_rows(n=80, seed=0, na_every=9):
    """price = 50 size + a district premium + noise; NA now and then, in the target too."""
    rng = random.Random(seed)
    premium = {"north": 300.0, "south": -200.0, "east": 0.0}
    rows = []
    for i in range(n):
        size, district = rng.uniform(1, 10), rng.choice(sorted(premium))
        price = 1000 + 50 * size + premium[district] + rng.gauss(0, 10)
        rows.append([f"{size:.2f}", district, "NA" if i % na_every == 4 else f"{price:.1f}"])
    return rows


def test_a_regressor_reports_r2_and_drops_rows_without_a_target(capsys, tmp_path):
    rows = regression_rows()
    path = write_table(tmp_path / "homes.csv", ["size", "district", "price"], rows)
    model = tmp_path / "homes.json"
    code, out, err = run(capsys, "train", path, "--save", model, "--quiet")
    dropped = sum(r[2] == "NA" for r in rows)
    assert code == 0 and "regression on 'price'" in out  # NA did not make it classes
    assert f"dropped {dropped} rows whose target 'price' is missing" in err
    code, out, err = run(capsys, "evaluate", model, path, "--json")
    report = json.loads(out)
    assert report["n"] == len(rows) - dropped and report["r2"] > 0.9
    assert report["mae"] <= report["rmse"]
    assert any("missing" in note for note in report["notes"])


def test_regression_quotes_the_cell_that_is_not_a_number(capsys, tmp_path):
    rows = regression_rows()
    rows[30][2] = "n.a."
    path = write_table(tmp_path / "bad.csv", ["size", "district", "price"], rows)
    code, _, err = run(capsys, "train", path, "--regression", "--quiet")
    assert code == 1 and "line 32: the target column 'price' must be numbers" in err
    assert "got 'n.a.'" in err


def test_exclude_dropna_and_the_na_list(capsys, tmp_path):
    rows = regression_rows(na_every=1000)
    rows[5][1] = "?"
    rows[6][0] = "missing"
    path = write_table(tmp_path / "h.csv", ["size", "district", "price"], rows)
    code, out, err = run(capsys, "train", path, "--dropna", "--quiet", "--epochs", "3",
                         "--na-values", "missing,?")
    assert code == 0 and "dropped 2 rows with missing cells (--dropna)" in err
    model = tmp_path / "m.json"
    code, out, err = run(capsys, "train", path, "--exclude", "district", "--quiet",
                         "--epochs", "3", "--save", model)
    assert code == 0 and Network.load(str(model)).feature_names == ["size"]


def test_warnings_for_many_classes_and_a_model_that_learned_nothing(capsys, tmp_path):
    rng = random.Random(1)
    many = [[rng.random(), f"c{i % 25}"] for i in range(100)]
    path = write_table(tmp_path / "many.csv", ["x", "k"], [[str(a), b] for a, b in many])
    code, _, err = run(capsys, "train", path, "--quiet", "--epochs", "2", "--patience", "0")
    assert code == 0 and "25 classes is a lot" in err
    # labels independent of the feature: nothing to learn
    noise = [[str(rng.random()), rng.choice("ab") if i % 10 else "a"] for i in range(60)]
    path = write_table(tmp_path / "noise.csv", ["x", "k"], noise)
    code, _, err = run(capsys, "train", path, "--quiet", "--lr", "0.5")
    assert code == 0 and "tinynet: warning:" in err
    assert ("early stopping kept epoch" in err or "predicts one class" in err
            or "no better than always answering" in err)


def test_a_few_integers_forced_to_regression_warn(capsys, tmp_path):
    rows = [[str(i / 10), str(i % 3)] for i in range(30)]
    path = write_table(tmp_path / "k.csv", ["x", "k"], rows)
    code, _, err = run(capsys, "train", path, "--regression", "--quiet", "--epochs", "3")
    assert code == 0 and "the target has only 3 distinct values" in err


def test_an_identifier_column_is_left_out_and_kept_for_predictions(capsys, tmp_path):
    rows = [[f"P{i:03d}", str(i % 7), "yes" if i % 7 > 2 else "no"] for i in range(40)]
    path = write_table(tmp_path / "ids.csv", ["passenger", "age", "survived"], rows)
    model = tmp_path / "m.json"
    code, _, err = run(capsys, "train", path, "--quiet", "--save", model, "--epochs", "5")
    assert code == 0 and "'passenger' left out: a different text in every row" in err
    code, out, _ = run(capsys, "predict", model, path)
    lines = out.splitlines()
    assert lines[0].startswith("passenger,predicted_survived")
    assert lines[1].startswith("P000,")
