"""Saving and loading networks as JSON.

A model file is one JSON object::

    {"format": "tinynet", "version": 1, "loss": "cross_entropy",
     "layers": [{"type": "Dense", "activation": "relu",
                 "weights": [[...], ...], "biases": [...]}, ...],
     "classes": [...] | null, "feature_names": [...] | null,
     "target_name": "..." | null, "standardizer": {"mean": [...], "std": [...]} | null}

Floats are written with repr(), which round-trips every float exactly, so a
loaded model predicts bit for bit what the saved one did. Loading only
parses JSON and checks every field; nothing in a file is ever executed
(unlike pickle), and at most MAX_BYTES are read. Saving goes through
tinynet.files.write_atomic, so a failed save leaves no half-written file and
an existing model untouched.

>>> import os, tempfile
>>> from tinynet.network import Network
>>> net = Network([2, 3, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> save(net, path)
>>> load(path).predict([[0.5, 0.5]]) == net.predict([[0.5, 0.5]])
True
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List

from . import activations, losses
from .data import Standardizer
from .errors import TinynetError
from .files import read_text, write_atomic
from .layers import Dense

__all__ = ["save", "load", "to_dict", "from_dict", "FORMAT", "VERSION"]

FORMAT = "tinynet"
VERSION = 1
_LABEL_TYPES = (str, int, float)
MAX_BYTES = 256 * 2 ** 20  # load reads at most this much: 256 MiB, ~10 million weights


def to_dict(net: Any) -> Dict[str, Any]:
    """Return the network as a JSON-ready dict (the model file's content).

    Raises TinynetError for a layer that is not Dense, or metadata that
    JSON cannot hold.
    """
    layers = []
    for i, layer in enumerate(net.layers):
        if not isinstance(layer, Dense):
            raise TinynetError(f"save: layer {i} ({type(layer).__name__}) cannot be saved; "
                               "only Dense layers can")
        layers.append({"type": "Dense", "activation": layer.activation.name,
                       "weights": layer.weights, "biases": layer.biases})
    classes = net.classes
    if classes is not None and not all(isinstance(c, _LABEL_TYPES) for c in classes):
        raise TinynetError("save: classes must be strings or numbers to go in JSON, "
                           f"got {classes!r}")
    std = net.standardizer
    return {"format": FORMAT, "version": VERSION, "loss": net.loss_function.name,
            "layers": layers, "classes": None if classes is None else list(classes),
            "feature_names": None if net.feature_names is None else list(net.feature_names),
            "target_name": net.target_name,
            "standardizer": None if std is None else std.to_dict()}


def save(net: Any, path: str) -> None:
    """Write net to path as JSON, atomically.

    Raises TinynetError if the folder does not exist or cannot be written,
    or if a weight is NaN or infinite; the target file is then untouched.
    """
    try:
        text = json.dumps(to_dict(net), allow_nan=False)
    except ValueError as exc:
        if isinstance(exc, TinynetError):
            raise
        raise TinynetError(f"save: the network has a NaN or infinite weight; "
                           f"not writing {path}") from None
    write_atomic(path, text, op="save")


def load(path: str) -> Any:
    """Return the Network saved at path.

    Raises TinynetError naming the file and the first problem: a missing
    file, a file over MAX_BYTES or not UTF-8, bad JSON (a truncated file), a
    missing or wrong field, a wrong shape, a non-numeric weight, an unknown
    activation or loss.
    """
    text = read_text(path, op="load", limit=MAX_BYTES)
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise TinynetError(
            f"load: {path} is not a tinynet model: it is not valid JSON ({exc})") from None
    return from_dict(doc, source=path)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows in a model")


def from_dict(doc: Any, *, source: str = "model") -> Any:
    """Return a Network built from a model dict, after checking every field.

    Raises TinynetError naming source and the first problem found.
    """
    from .network import Network

    def fail(message: str) -> TinynetError:
        return TinynetError(f"load: {source}: {message}")

    if not isinstance(doc, dict):
        raise fail(f"expected a JSON object, got {type(doc).__name__}")
    if doc.get("format") != FORMAT:
        raise fail(f"not a tinynet model (format is {doc.get('format')!r}, expected {FORMAT!r})")
    version = doc.get("version")
    if version != VERSION or isinstance(version, bool):
        raise fail(f"unsupported version {version!r}; this tinynet reads version {VERSION}")
    loss = _field(doc, "loss", str, fail)
    if loss not in losses.LOSSES:
        raise fail(f"unknown loss {loss!r}; valid: {', '.join(losses.LOSSES)}")
    layer_docs = _field(doc, "layers", list, fail)
    if not layer_docs:
        raise fail("'layers' is empty")
    layers = [_layer(d, f"layers[{i}]", fail) for i, d in enumerate(layer_docs)]
    for i, (below, above) in enumerate(zip(layers, layers[1:])):
        if below.n_out != above.n_in:
            raise fail(f"layers[{i}] outputs {below.n_out} values but layers[{i + 1}] "
                       f"takes {above.n_in}")
    net = Network(layers, loss=loss)
    net.classes = _classes(doc, net.n_out, fail)
    net.feature_names = _names(doc, net.n_in, fail)
    target = doc.get("target_name")
    if target is not None and not isinstance(target, str):
        raise fail(f"'target_name' must be a string or null, got {target!r}")
    net.target_name = target
    net.standardizer = _standardizer(doc, net.n_in, fail)
    return net


def _field(doc: Dict[str, Any], key: str, kind: type, fail) -> Any:
    if key not in doc:
        raise fail(f"missing field {key!r}")
    value = doc[key]
    if not isinstance(value, kind):
        raise fail(f"{key!r} must be a {_json_name(kind)}, got {type(value).__name__}")
    return value


def _json_name(kind: type) -> str:
    return {list: "list", str: "string", dict: "object"}.get(kind, kind.__name__)


def _layer(d: Any, where: str, fail) -> Dense:
    if not isinstance(d, dict):
        raise fail(f"{where} must be an object, got {type(d).__name__}")
    kind = d.get("type")
    if kind != "Dense":
        raise fail(f"{where}: unknown layer type {kind!r}; valid: Dense")
    act = _field(d, "activation", str, lambda m: fail(f"{where}: {m}"))
    if act not in activations.ACTIVATIONS:
        raise fail(f"{where}: unknown activation {act!r}; "
                   f"valid: {', '.join(activations.ACTIVATIONS)}")
    weights = _numbers(_field(d, "weights", list, lambda m: fail(f"{where}: {m}")),
                       f"{where}.weights", fail, depth=2)
    biases = _numbers(_field(d, "biases", list, lambda m: fail(f"{where}: {m}")),
                      f"{where}.biases", fail, depth=1)
    if len(biases) != len(weights[0]):
        raise fail(f"{where}: biases has {len(biases)} entries, weights has "
                   f"{len(weights[0])} columns")
    layer = Dense(len(weights), len(biases), act, init="xavier", seed=0)
    layer.weights, layer.biases = weights, biases
    return layer


def _numbers(value: Any, where: str, fail, depth: int) -> List[Any]:
    """A non-empty vector (depth 1) or rectangular matrix (depth 2) of finite floats."""
    if not isinstance(value, list) or not value:
        raise fail(f"{where} must be a non-empty list")
    if depth == 2:
        rows = [_numbers(row, f"{where}[{i}]", fail, 1) for i, row in enumerate(value)]
        for i, row in enumerate(rows):
            if len(row) != len(rows[0]):
                raise fail(f"{where}: row {i} has {len(row)} entries, row 0 has {len(rows[0])}")
        return rows
    out = []
    for j, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise fail(f"{where}[{j}] must be a finite number, got {v!r}")
        out.append(float(v))
    return out


def _classes(doc: Dict[str, Any], n_out: int, fail) -> Any:
    classes = doc.get("classes")
    if classes is None:
        return None
    if not isinstance(classes, list) or not all(
            isinstance(c, _LABEL_TYPES) and not isinstance(c, bool) for c in classes):
        raise fail(f"'classes' must be a list of strings or numbers, got {classes!r}")
    expected = 2 if n_out == 1 else n_out
    if len(classes) != expected:
        raise fail(f"'classes' has {len(classes)} labels, the output layer needs {expected}")
    return classes


def _names(doc: Dict[str, Any], n_in: int, fail) -> Any:
    names = doc.get("feature_names")
    if names is None:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise fail(f"'feature_names' must be a list of strings, got {names!r}")
    if len(names) != n_in:
        raise fail(f"'feature_names' has {len(names)} names, the network takes {n_in} inputs")
    return names


def _standardizer(doc: Dict[str, Any], n_in: int, fail) -> Any:
    spec = doc.get("standardizer")
    if spec is None:
        return None
    try:
        std = Standardizer.from_dict(spec)
    except TinynetError as exc:
        raise fail(f"'standardizer': {exc}") from None
    if len(std.mean) != n_in:
        raise fail(f"'standardizer' has {len(std.mean)} columns, the network takes {n_in}")
    return std
