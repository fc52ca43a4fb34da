"""Saving and loading networks as JSON.

A model file is one JSON object::

    {"format": "tinynet", "version": 2, "loss": "cross_entropy",
     "layers": [{"type": "Dense",
                 "config": {"n_in": 4, "n_out": 8, "activation": "relu", "init": "he"},
                 "params": {"weights": [[...], ...], "biases": [...]}}, ...],
     "classes": [...] | null, "feature_names": [...] | null,
     "target_name": "..." | null, "standardizer": {"mean": [...], "std": [...]} | null,
     "table": {...} | null}

"table" is what the model knows of its training table (net.table, set by
tinynet.recipe: the column encoder, the source file); it is carried through
as it is, and tinynet.recipe checks it when it uses it.

A layer is rebuilt as ``layer_types()[type](**config)`` (every Layer
subclass registers itself, see tinynet.layers), and each of its ``params``
must then have the nested shape of the freshly built one: any layer type
that follows the protocol saves and loads with no code here. Version 1
files (Dense layers as {"type", "activation", "weights", "biases"}) still
load.

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
from typing import Any, Dict

from . import losses
from .checks import number
from .data import Standardizer
from .errors import TinynetError
from .files import read_text, write_atomic
from .layers import layer_types

__all__ = ["save", "load", "to_dict", "from_dict", "use_network", "FORMAT", "VERSION"]

FORMAT = "tinynet"
VERSION = 2
_READS = (1, 2)
_LABEL_TYPES = (str, int, float)
MAX_BYTES = 256 * 2 ** 20  # load reads at most this much: 256 MiB, ~10 million weights
_NETWORK: Dict[str, Any] = {}


def use_network(cls: Any) -> None:
    """Set the class from_dict builds: cls(layers, loss=name). tinynet.network
    calls it with Network, so that this module need not import network."""
    _NETWORK["cls"] = cls


def to_dict(net: Any) -> Dict[str, Any]:
    """Return the network as a JSON-ready dict (the model file's content).

    Raises TinynetError for a layer without config(), or metadata that JSON
    cannot hold.
    """
    layers = []
    for i, layer in enumerate(net.layers):
        if type(layer).__name__ not in layer_types() or not hasattr(layer, "config"):
            raise TinynetError(f"save: layer {i} ({type(layer).__name__}) cannot be saved; "
                               "only Layer subclasses with config() can")
        layers.append({"type": type(layer).__name__, "config": layer.config(),
                       "params": {name: getattr(layer, name) for name in layer.params}})
    classes = net.classes
    if classes is not None and not all(isinstance(c, _LABEL_TYPES) for c in classes):
        raise TinynetError("save: classes must be strings or numbers to go in JSON, "
                           f"got {classes!r}")
    std = net.standardizer
    return {"format": FORMAT, "version": VERSION, "loss": net.loss_function.name,
            "layers": layers, "classes": None if classes is None else list(classes),
            "feature_names": None if net.feature_names is None else list(net.feature_names),
            "target_name": net.target_name,
            "standardizer": None if std is None else std.to_dict(),
            "table": getattr(net, "table", None)}


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
    def fail(message: str) -> TinynetError:
        return TinynetError(f"load: {source}: {message}")

    if not isinstance(doc, dict):
        raise fail(f"expected a JSON object, got {type(doc).__name__}")
    if doc.get("format") != FORMAT:
        raise fail(f"not a tinynet model (format is {doc.get('format')!r}, expected {FORMAT!r})")
    version = doc.get("version")
    if version not in _READS or isinstance(version, bool):
        raise fail(f"unsupported version {version!r}; this tinynet reads versions 1 and 2")
    loss = _field(doc, "loss", str, fail)
    if loss not in losses.LOSSES:
        raise fail(f"unknown loss {loss!r}; valid: {', '.join(losses.LOSSES)}")
    layer_docs = _field(doc, "layers", list, fail)
    if not layer_docs:
        raise fail("'layers' is empty")
    read = _layer_v1 if version == 1 else _layer
    layers = [read(d, f"layers[{i}]", fail) for i, d in enumerate(layer_docs)]
    for i, (below, above) in enumerate(zip(layers, layers[1:])):
        if below.n_out != above.n_in:
            raise fail(f"layers[{i}] outputs {below.n_out} values but layers[{i + 1}] "
                       f"takes {above.n_in}")
    net = _NETWORK["cls"](layers, loss=loss)
    _metadata(net, doc, fail)
    return net


def _metadata(net: Any, doc: Dict[str, Any], fail) -> None:
    net.classes = _classes(doc, net.n_out, fail)
    net.feature_names = _names(doc, net.n_in, fail)
    target = doc.get("target_name")
    if target is not None and not isinstance(target, str):
        raise fail(f"'target_name' must be a string or null, got {target!r}")
    net.target_name = target
    net.standardizer = _standardizer(doc, net.n_in, fail)
    net.table = doc.get("table")
    if net.table is not None and not isinstance(net.table, dict):
        raise fail(f"'table' must be an object or null, got {type(net.table).__name__}")


def _field(doc: Dict[str, Any], key: str, kind: type, fail) -> Any:
    if key not in doc:
        raise fail(f"missing field {key!r}")
    value = doc[key]
    if not isinstance(value, kind):
        raise fail(f"{key!r} must be a {_json_name(kind)}, got {type(value).__name__}")
    return value


def _json_name(kind: type) -> str:
    return {list: "list", str: "string", dict: "object"}.get(kind, kind.__name__)


def _layer(d: Any, where: str, fail) -> Any:
    # version 2: {"type", "config", "params"}
    if not isinstance(d, dict):
        raise fail(f"{where} must be an object, got {type(d).__name__}")
    here = lambda m: fail(f"{where}: {m}")  # noqa: E731
    types = layer_types()
    kind = d.get("type")
    if not isinstance(kind, str) or kind not in types:
        raise here(f"unknown layer type {kind!r}; valid: {', '.join(sorted(types))}")
    config, params = _field(d, "config", dict, here), _field(d, "params", dict, here)
    try:
        layer = types[kind](**config)
    except TypeError as exc:  # a keyword the constructor does not take
        raise here(f"bad config {config!r}: {exc}") from None
    except TinynetError as exc:
        raise here(f"bad config: {exc}") from None
    for name in layer.params:
        value = params[name] if name in params else _field(params, name, list, here)
        setattr(layer, name, _like(value, getattr(layer, name), f"{where}.{name}", fail))
    return layer


def _layer_v1(d: Any, where: str, fail) -> Any:
    # version 1: a Dense layer as {"type", "activation", "weights", "biases"}
    if not isinstance(d, dict):
        raise fail(f"{where} must be an object, got {type(d).__name__}")
    here = lambda m: fail(f"{where}: {m}")  # noqa: E731
    if d.get("type") != "Dense":
        raise here(f"unknown layer type {d.get('type')!r}; valid: Dense")
    act = _field(d, "activation", str, here)
    weights = _field(d, "weights", list, here)
    biases = _field(d, "biases", list, here)
    n_in = len(weights) if weights else 1
    n_out = len(biases) if biases else 1
    if weights and isinstance(weights[0], list) and weights[0] and len(weights[0]) != n_out:
        raise here(f"biases has {n_out} entries, weights has {len(weights[0])} columns")
    doc = {"type": "Dense", "config": {"n_in": n_in, "n_out": n_out, "activation": act},
           "params": {"weights": weights, "biases": biases}}
    return _layer(doc, where, fail)


def _like(value: Any, model: Any, where: str, fail) -> Any:
    """Return value as floats if it has the nested shape of model (a list of
    floats or of lists, any depth); else raise, naming the first difference."""
    if not isinstance(value, list) or len(value) != len(model):
        got = f"{len(value)} entries" if isinstance(value, list) else type(value).__name__
        raise fail(f"{where} must be a list of {len(model)} entries, got {got}")
    if model and isinstance(model[0], list):
        return [_like(v, m, f"{where}[{i}]", fail) for i, (v, m) in enumerate(zip(value, model))]
    out = []
    for j, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise fail(f"{where}[{j}] must be a finite number, got {v!r}")
        try:
            out.append(number("load", f"{where}[{j}]", v))
        except TinynetError:
            raise fail(f"{where}[{j}] must be a finite number, got {_short(v)}") from None
    return out


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 24 else text[:21] + "..."


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
