"""Save and load: exact round trips, atomic writes, and every corrupt file."""

import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinynet import TinynetError
from tinynet.data import Standardizer
from tinynet.network import Network
from tinynet import serialize
from tinynet.serialize import from_dict, load, save, to_dict

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    net = Network(sizes, activation=draw(st.sampled_from(ACTS)),
                  output_activation=draw(st.sampled_from(ACTS)),
                  loss=draw(st.sampled_from(["sse", "mse"])), seed=draw(st.integers(0, 10**6)))
    for layer in net.layers:  # awkward floats: tiny, large, negative zero
        layer.biases = [draw(st.floats(-1e6, 1e6)) for _ in layer.biases]
    return net


@settings(max_examples=50)
@given(net=networks())
def test_round_trip_is_bit_for_bit(net, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("m") / "model.json")
    save(net, path)
    loaded = load(path)
    assert loaded.get_parameters() == net.get_parameters()
    assert repr(loaded) == repr(net)
    x = [[0.25 * (i + j) for j in range(net.n_in)] for i in range(3)]
    assert loaded.predict(x) == net.predict(x)


def test_metadata_round_trips(tmp_path):
    net = Network([2, 3, 3], activation="relu", output_activation="softmax",
                  loss="cross_entropy", seed=0)
    net.classes = ["cat", "dog", "emu"]
    net.feature_names = ["height", "weight"]
    net.target_name = "animal"
    net.standardizer = Standardizer().fit([[1.0, 2.0], [3.0, 5.0]])
    path = tmp_path / "m.json"
    net.save(str(path))
    loaded = Network.load(str(path))
    assert (loaded.classes, loaded.feature_names, loaded.target_name) == (
        ["cat", "dog", "emu"], ["height", "weight"], "animal")
    assert loaded.standardizer.to_dict() == net.standardizer.to_dict()
    assert loaded.predict([[2.0, 2.0]]) == net.predict([[2.0, 2.0]])
    doc = json.loads(path.read_text())
    assert doc["format"] == "tinynet" and doc["version"] == 2
    assert set(doc["layers"][0]) == {"type", "config", "params"}


def test_save_into_a_missing_folder_fails_cleanly_and_keeps_the_old_file(tmp_path):
    net = Network([2, 1], seed=0)
    target = tmp_path / "model.json"
    net.save(str(target))
    before = target.read_bytes()
    with pytest.raises(TinynetError, match="save: cannot write .*missing.*model.json"):
        net.save(str(tmp_path / "missing" / "model.json"))
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]


def test_failed_save_leaves_existing_file_untouched(tmp_path):
    good = Network([2, 1], seed=0)
    target = tmp_path / "model.json"
    good.save(str(target))
    before = target.read_bytes()
    bad = Network([2, 1], seed=0)
    bad.layers[0].weights[0][0] = float("nan")
    with pytest.raises(TinynetError, match="save: the network has a NaN or infinite weight"):
        bad.save(str(target))
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]


def _model():
    net = Network([2, 3, 1], seed=0)
    net.classes = [0, 1]
    return to_dict(net)


def _corrupt(edit):
    doc = json.loads(json.dumps(_model()))
    edit(doc)
    return doc


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.pop("layers"), "missing field 'layers'"),
    (lambda d: d.pop("loss"), "missing field 'loss'"),
    (lambda d: d.update(format="keras"), "not a tinynet model (format is 'keras'"),
    (lambda d: d.update(version=3), "unsupported version 3"),
    (lambda d: d.update(loss="hinge"), "unknown loss 'hinge'"),
    (lambda d: d.update(layers=[]), "'layers' is empty"),
    (lambda d: d.update(layers={"a": 1}), "'layers' must be a list, got dict"),
    (lambda d: d["layers"][0].update(type="Conv9D"), "layers[0]: unknown layer type 'Conv9D'"),
    (lambda d: d["layers"][1]["config"].update(activation="swish"),
     "layers[1]: bad config: activation: unknown name 'swish'"),
    (lambda d: d["layers"][1]["config"].update(colour="red"), "layers[1]: bad config"),
    (lambda d: d["layers"][1].pop("config"), "layers[1]: missing field 'config'"),
    (lambda d: d["layers"][0]["params"].pop("weights"), "layers[0]: missing field 'weights'"),
    (lambda d: d["layers"][0]["params"]["weights"][1].__setitem__(2, "x"),
     "layers[0].weights[1][2] must be a finite number, got 'x'"),
    (lambda d: d["layers"][0]["params"]["weights"][1].__setitem__(2, True),
     "layers[0].weights[1][2] must be a finite number, got True"),
    (lambda d: d["layers"][0]["params"]["weights"][1].__setitem__(2, 10 ** 400),
     "layers[0].weights[1][2] must be a finite number, got 1000"),
    (lambda d: d["layers"][0]["params"]["weights"][1].pop(),
     "layers[0].weights[1] must be a list of 3 entries, got 2 entries"),
    (lambda d: d["layers"][0]["params"]["biases"].pop(),
     "layers[0].biases must be a list of 3 entries, got 2 entries"),
    (lambda d: (d["layers"][1]["config"].update(n_in=4),
                d["layers"][1]["params"].update(weights=[[1.0]] * 4)),
     "layers[0] outputs 3 values but layers[1] takes 4"),
    (lambda d: d["layers"][0]["params"].update(biases=None), "layers[0].biases must be a list"),
    (lambda d: d.update(classes=["a", "b", "c"]), "'classes' has 3 labels, the output layer needs 2"),
    (lambda d: d.update(classes=[[1], [2]]), "'classes' must be a list of strings or numbers"),
    (lambda d: d.update(feature_names=["a"]), "'feature_names' has 1 names, the network takes 2"),
    (lambda d: d.update(standardizer={"mean": [0.0, 0.0]}), "'standardizer':"),
    (lambda d: d.update(target_name=3), "'target_name' must be a string or null"),
])
def test_corrupt_models_name_the_first_problem(edit, message, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_corrupt(edit)))
    with pytest.raises(TinynetError) as info:
        load(str(path))
    assert str(info.value).startswith(f"load: {path}: ")
    assert message in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("", "is not valid JSON"),
    ('{"format": "tinynet", "version": 1, "layers": [{"type"', "is not valid JSON"),
    ("[1, 2]", "expected a JSON object, got list"),
    ('{"format": "tinynet", "version": 1, "loss": "sse", "layers": [{"type": "Dense", '
     '"activation": "sigmoid", "weights": [[NaN]], "biases": [0.0]}]}', "is not valid JSON"),
])
def test_broken_files(text, message, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(TinynetError, match="load: .*" + message):
        load(str(path))


def test_truncated_real_model(tmp_path):
    path = tmp_path / "m.json"
    Network([3, 4, 1], seed=0).save(str(path))
    text = path.read_text()
    for cut in (1, len(text) // 2, len(text) - 1):
        path.write_text(text[:cut])
        with pytest.raises(TinynetError, match="is not valid JSON"):
            load(str(path))


def test_missing_file_and_binary_file(tmp_path):
    with pytest.raises(TinynetError, match="load: cannot read .*nope.json"):
        load(str(tmp_path / "nope.json"))
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"\x80\x81\xff")
    with pytest.raises(TinynetError, match="load: .*model.bin.* is not UTF-8 text"):
        load(str(binary))


def test_loading_never_executes_code(tmp_path):
    # A pickle-style payload is just a string to JSON: it fails validation.
    path = tmp_path / "evil.json"
    path.write_text(json.dumps({"format": "tinynet", "version": 1, "loss": "sse",
                                "layers": "__import__('os').system('touch pwned')"}))
    with pytest.raises(TinynetError, match="'layers' must be a list"):
        load(str(path))
    assert not (tmp_path / "pwned").exists()


def test_from_dict_rejects_non_objects():
    with pytest.raises(TinynetError, match="load: model: expected a JSON object, got str"):
        from_dict("hello")


@pytest.mark.skipif(sys.platform == "emscripten", reason="Emscripten's file system ignores the umask")
def test_saved_model_is_readable_like_any_new_file(tmp_path):
    path = tmp_path / "m.json"
    Network([2, 1], seed=0).save(str(path))
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_load_refuses_a_file_over_the_bound(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    Network([2, 1], seed=0).save(str(path))
    size = path.stat().st_size
    monkeypatch.setattr(serialize, "MAX_BYTES", size - 1)
    with pytest.raises(TinynetError, match=f"load: .*model.json.* is larger than {size - 1} bytes"):
        load(str(path))
    monkeypatch.setattr(serialize, "MAX_BYTES", size)
    assert load(str(path)).predict([[0.0, 1.0]]) == Network([2, 1], seed=0).predict([[0.0, 1.0]])


def test_version_1_files_still_load():
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    doc = to_dict(net)
    doc["version"] = 1
    doc["layers"] = [{"type": "Dense", "activation": layer.activation.name,
                      "weights": layer.weights, "biases": layer.biases} for layer in net.layers]
    loaded = from_dict(json.loads(json.dumps(doc)))
    assert loaded.get_parameters() == net.get_parameters()
    doc["layers"][0]["biases"] = [0.0]
    with pytest.raises(TinynetError, match="layers\\[0\\]: biases has 1 entries, weights has 3"):
        from_dict(doc)


def test_any_registered_layer_type_round_trips_with_parameters_of_any_depth():
    # A layer type defined here, in one place, saves and loads with no change
    # to serialize: a (2, 2, 2) kernel parameter beside a vector.
    from tinynet.layers import Layer

    class Cube(Layer):
        params = ("kernel", "bias")

        def __init__(self, n: int = 8):
            self.in_shape, self.out_shape = (n,), (n,)
            self.kernel = [[[0.5, 1.5], [2.5, 3.5]], [[4.5, 5.5], [6.5, 7.5]]]
            self.bias = [0.25]

        def forward(self, x):
            return x

        def backward(self, delta, input_grad=True):
            return delta

        def config(self):
            return {"n": self.n_in}

    net = Network([Cube(8), Network([8, 2], seed=0).layers[0]])
    net.layers[0].kernel[1][1][1] = -9.0
    doc = json.loads(json.dumps(to_dict(net)))
    assert doc["layers"][0] == {"type": "Cube", "config": {"n": 8},
                                "params": {"kernel": net.layers[0].kernel, "bias": [0.25]}}
    assert from_dict(doc).get_parameters() == net.get_parameters()
    doc["layers"][0]["params"]["kernel"][1][0] = [1.0]
    with pytest.raises(TinynetError, match="kernel\\[1\\]\\[0\\] must be a list of 2 entries"):
        from_dict(doc)
