"""Convolution networks end to end: chaining, gradients, training, save/load, the CLI.

The layers alone are tested in test_conv.py; here they sit in a Network.
The data are small and the seeds fixed, so every run trains the same way:
the accuracy thresholds are below what the runs reach (the digits CNN gets
0.74 after 4 quick epochs) and far above chance (0.1).
"""

import contextlib
import csv
import json
import math
import random
import xml.etree.ElementTree as ET

import pytest

import tinynet
from tinynet import Network, check_gradients, data, metrics
from tinynet.cli import main
from tinynet.conv import AvgPool2D, Conv2D, MaxPool2D
from tinynet.dropout import Dropout
from tinynet.errors import ShapeError, TinynetError
from tinynet.layers import Dense

SVG = "{http://www.w3.org/2000/svg}"


def shape_of(nested):
    return [shape_of(v) for v in nested] if isinstance(nested, list) else None


def small_cnn(seed=0, pool=MaxPool2D, activation="relu"):
    """conv 4x3x3 (padding 1) -> pool 2 -> dropout -> dense 10, on 1x8x8 images."""
    return Network([Conv2D((1, 8, 8), 4, 3, padding=1, activation=activation, seed=seed),
                    pool(None, 2), Dropout(0.2, seed=seed), Dense(None, 10, "softmax", seed=seed)],
                   loss="cross_entropy")


@pytest.fixture(scope="module")
def digits():
    """300 training and 100 held-out digits, pixels divided by 16."""
    x, labels = data.load_digits()
    x_train, x_test, d_train, d_test = data.train_test_split(x, labels, test_size=0.3, seed=0,
                                                             stratify=True)
    scale = lambda rows: [[v / 16.0 for v in row] for row in rows]  # noqa: E731
    y_train, _ = data.one_hot(d_train[:300], classes=list(range(10)))
    return scale(x_train[:300]), y_train, scale(x_test[:100]), d_test[:100]


# --- chaining ---------------------------------------------------------------------------

def test_layers_after_the_first_take_their_shape_from_the_one_before():
    net = small_cnn()
    conv, pool, drop, dense = net.layers
    assert (conv.out_shape, pool.in_shape, pool.out_shape) == ((4, 8, 8), (4, 8, 8), (4, 4, 4))
    assert drop.in_shape == drop.out_shape == (4, 4, 4)
    assert (dense.n_in, dense.n_out, net.n_out) == (64, 10, 10)
    assert len(net.predict([[0.5] * 64] * 3)[0]) == 10


def test_a_broken_chain_names_the_layer():
    with pytest.raises(ShapeError, match="layer 1 outputs 64 values but layer 2 takes 10"):
        Network([Conv2D((1, 8, 8), 4, 3, padding=1), MaxPool2D(None), Dense(10, 2)])
    with pytest.raises(TinynetError, match="layer 0 .*MaxPool2D.* needs its input shape"):
        Network([MaxPool2D(None), Dense(None, 2)])
    with pytest.raises(TinynetError, match="MaxPool2D: the window 2x2 does not fit the 1x1"):
        Network([Conv2D((1, 3, 3), 2, 3), MaxPool2D(None, 2), Dense(None, 2)])


# --- gradients --------------------------------------------------------------------------

def test_gradients_have_the_shape_of_every_parameter():
    net = small_cnn()
    rng = random.Random(0)
    x = [[rng.random() for _ in range(64)] for _ in range(3)]
    y = [[1.0 if j == i else 0.0 for j in range(10)] for i in range(3)]
    grads = net.gradients(x, y)
    assert [len(g) for g in grads] == [2, 0, 0, 2]
    for layer, layer_grads in zip(net.layers, grads):
        for name, g in zip(layer.params, layer_grads):
            assert shape_of(g) == shape_of(getattr(layer, name)), (layer, name)


def test_network_gradients_match_central_differences():
    # tanh and average pooling: smooth everywhere, so no kink sits near a nudge.
    net = Network([Conv2D((2, 5, 5), 3, 3, stride=2, padding=1, activation="tanh", seed=1),
                   AvgPool2D(None, 2, 1), Dense(None, 3, "softmax", seed=1)],
                  loss="cross_entropy")
    rng = random.Random(2)
    x = [[rng.uniform(-1, 1) for _ in range(50)] for _ in range(2)]
    y = [[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]]
    assert check_gradients(net, x, y).passed
    good = net.gradients(x, y)
    good[0][0][1][0][2][2] += 1e-3   # one conv weight's gradient, corrupted
    assert not check_gradients(net, x, y, analytic=good).passed


# --- training -----------------------------------------------------------------------------

def test_the_digits_cnn_learns(digits):
    x_train, y_train, x_test, d_test = digits
    net = small_cnn()
    history = net.fit(x_train, y_train, epochs=4, optimizer="adam", learning_rate=0.01,
                      batch_size=16, seed=0)
    assert history.loss[-1] < history.loss[0] / 2   # 2.14 -> 0.91 in this run
    accuracy = metrics.accuracy(d_test, [r.index(max(r)) for r in net.predict(x_test)])
    assert accuracy > 0.6   # 0.74 in this run


def test_fit_turns_dropout_on_only_while_it_trains(digits):
    x_train, y_train, _, _ = digits
    net = small_cnn()
    seen = []
    net.fit(x_train[:64], y_train[:64], epochs=2, batch_size=32, seed=0, optimizer="adam",
            callback=lambda epoch, logs: seen.append(net.layers[2].training))
    assert seen == [True, True] and net.layers[2].training is False
    assert net.predict(x_train[:5]) == net.predict(x_train[:5])   # no dropout in predict


def test_reference_and_fast_forms_train_the_same(digits):
    x_train, y_train, _, _ = digits
    weights = []
    for plain in (False, True):
        net = small_cnn(seed=3, pool=MaxPool2D)
        with tinynet.reference() if plain else contextlib.nullcontext():
            net.fit(x_train[:64], y_train[:64], epochs=2, batch_size=16, seed=0,
                    optimizer="adam", learning_rate=0.01)
        weights.append([v for layer in net.layers for name in layer.params
                        for v in _flat(getattr(layer, name))])
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(*weights))


def _flat(nested):
    for v in nested:
        if isinstance(v, list):
            yield from _flat(v)
        else:
            yield v


# --- save and load -----------------------------------------------------------------------

def test_save_load_round_trips_a_conv_network(digits, tmp_path):
    x_train, y_train, x_test, _ = digits
    net = small_cnn(pool=AvgPool2D)
    net.fit(x_train[:64], y_train[:64], epochs=1, batch_size=32, seed=0, optimizer="adam")
    net.save(tmp_path / "cnn.json")
    doc = json.loads((tmp_path / "cnn.json").read_text())
    assert [layer["type"] for layer in doc["layers"]] == ["Conv2D", "AvgPool2D", "Dropout", "Dense"]
    loaded = Network.load(tmp_path / "cnn.json")
    assert loaded.predict(x_test) == net.predict(x_test)   # bit for bit
    assert [layer.config() for layer in loaded.layers] == [layer.config() for layer in net.layers]


def test_version_1_model_files_still_load(tmp_path):
    v1 = {"format": "tinynet", "version": 1, "loss": "sse",
          "layers": [{"type": "Dense", "activation": "sigmoid",
                      "weights": [[0.5], [-0.25]], "biases": [0.1]}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(v1))
    net = Network.load(path)
    assert net.predict([[1.0, 2.0]]) == [[1.0 / (1.0 + math.exp(-(0.5 - 0.5 + 0.1)))]]


def test_a_conv_file_with_a_wrong_kernel_shape_is_refused(tmp_path):
    net = small_cnn()
    net.save(tmp_path / "cnn.json")
    doc = json.loads((tmp_path / "cnn.json").read_text())
    doc["layers"][0]["params"]["weights"][0][0].pop()   # a 2x3 kernel where 3x3 is due
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(TinynetError, match=r"weights\[0\]\[0\]"):
        Network.load(tmp_path / "bad.json")


# --- the command line ---------------------------------------------------------------------

def bars(seed, n=60):
    """4x4 images of 0..255: a bright horizontal or vertical bar at a random place."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        kind, at = ("horizontal", "vertical")[k % 2], rng.randrange(4)
        pixels = [rng.randrange(0, 40) for _ in range(16)]
        for i in range(4):
            q = at * 4 + i if kind == "horizontal" else i * 4 + at
            pixels[q] = rng.randrange(200, 256)
        rows.append(pixels + [kind])
    return rows


@pytest.fixture(scope="module")
def bar_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bars")
    path = folder / "bars.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"p{i}" for i in range(16)] + ["label"])
        writer.writerows(bars(0))
    model = folder / "bars.json"
    code = main(["train", str(path), "--target", "label", "--image", "1x4x4",
                 "--layers", "conv4:3:p1,maxpool2,dense8", "--epochs", "60", "--quiet",
                 "--seed", "0", "--save", str(model)])
    assert code == 0
    return folder, path, model


def test_cli_trains_an_image_model(bar_model, capsys):
    folder, path, model = bar_model
    doc = json.loads(model.read_text())
    assert [layer["type"] for layer in doc["layers"]] == ["Conv2D", "MaxPool2D", "Dense", "Dense"]
    assert doc["standardizer"]["std"] == [255.0] * 16   # 0..255 detected
    assert main(["evaluate", str(model), str(path)]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("accuracy ")[1].split()[0])
    assert accuracy > 0.9   # a bar's direction is easy; chance is 0.5


def test_cli_predicts_and_plots_an_image_model(bar_model, capsys):
    folder, path, model = bar_model
    assert main(["predict", str(model), str(path), "--out", str(folder / "p.csv")]) == 0
    with open(folder / "p.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][-2:] == ["horizontal", "vertical"] and len(rows) == 61
    assert main(["plot", str(model), str(path), str(folder / "filters.svg")]) == 0
    root = ET.parse(folder / "filters.svg").getroot()
    assert sum(r.get("class") == "weight" for r in root.iter(SVG + "rect")) == 4 * 9
    assert main(["plot", str(model), str(path), str(folder / "maps.svg"), "--row", "3"]) == 0
    root = ET.parse(folder / "maps.svg").getroot()
    assert sum(r.get("class") == "pixel" for r in root.iter(SVG + "rect")) == 16 + 4 * 16 + 4 * 4
    capsys.readouterr()


def test_cli_trains_on_the_digits_with_layers(capsys):
    assert main(["train", "digits", "--layers", "conv4:3,maxpool2", "--epochs", "1",
                 "--quiet", "--val-split", "0.2"]) == 0
    out = capsys.readouterr().out
    assert "network conv4:3,maxpool2 -> dense 10 on 1x8x8 images" in out
    assert "pixels divided by 16 (detected; set --scale N)" in out


@pytest.mark.parametrize("argv, message", [
    (["train", "iris", "--layers", "conv4"], "conv4' needs a kernel size"),
    (["train", "iris", "--layers", "pool2"], "cannot read 'pool2'"),
    (["train", "iris", "--image", "1x2x2"], "--image and --scale go with --layers"),
    (["train", "iris", "--layers", "dense4", "--image", "1x3x3"], "an image of 1x3x3 has 9 pixels"),
    (["train", "iris", "--layers", "dense4,conv2:1", "--image", "1x2x2"], "put image layers first"),
])
def test_cli_layer_errors_are_one_line(argv, message, capsys):
    assert main(argv) in (1, 2)
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_help_shows_the_layer_syntax(capsys):
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    text = " ".join(out.split())
    assert "--layers conv8:3,maxpool2,dense32" in text
    assert "(default: 300; 10 with --layers)" in text   # an epoch of images is slow
