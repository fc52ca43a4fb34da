"""The playground's settings: read from a URL query, written back, shown as Python.

The page keeps its whole state in the query string, so a link reproduces a
run, e.g. ``?dataset=moons&hidden=8,8&activation=tanh&lr=0.03&epochs=200``.
This module is the one parser of that string: the page's worker calls
``parse_query`` and shows its error message, if any, in the page.

===========  ==========  ====================================================
setting      default     meaning
===========  ==========  ====================================================
dataset      moons       xor, moons, circles, spirals or gaussians
n            200         points in the data set, 10..2000
noise        0.1         standard deviation of the noise, 0..1
test         0.3         fraction of the points held out for testing
hidden       8,8         widths of the hidden layers (empty: none), 1..32
activation   tanh        hidden activation: tanh, sigmoid, relu, leaky_relu
output       bce         bce: sigmoid + binary cross-entropy; softmax:
                         softmax + cross-entropy; sse: sigmoid + sse
optimizer    sgd         sgd or adam
lr           0.03        learning rate
batch        10          rows per step (capped at the training set's size)
l2           0           L2 penalty: the optimizer's weight_decay
epochs       200         epochs to train when autorun=1
seed         0           the seed of the data, the split and the weights
autorun      0           1: train for ``epochs`` as soon as the page loads
added        (empty)     points added by clicking: x,y,class;x,y,class...
===========  ==========  ====================================================

>>> s = parse_query("dataset=circles&hidden=4&lr=0.1")
>>> s["dataset"], s["hidden"], s["lr"], s["activation"]
('circles', [4], 0.1, 'tanh')
>>> to_query(s)[:43]
'dataset=circles&n=200&noise=0.1&test=0.3&hi'
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import parse_qsl, urlencode

from .. import data
from ..errors import TinynetError

__all__ = ["DATASETS", "ACTIVATIONS", "OUTPUTS", "OPTIMIZERS", "DEFAULTS",
           "parse_query", "to_query", "data_module", "data_call", "python_code"]

DATASETS = ["xor", "moons", "circles", "spirals", "gaussians"]
ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky_relu"]
# output setting -> (output activation, loss)
OUTPUTS = {"bce": ("sigmoid", "binary_cross_entropy"),
           "softmax": ("softmax", "cross_entropy"),
           "sse": ("sigmoid", "sse")}
OPTIMIZERS = ["sgd", "adam"]
MAX_HIDDEN_LAYERS, MAX_WIDTH, MAX_ADDED = 6, 32, 500

DEFAULTS: Dict[str, Any] = {
    "dataset": "moons", "n": 200, "noise": 0.1, "test": 0.3, "hidden": [8, 8],
    "activation": "tanh", "output": "bce", "optimizer": "sgd", "lr": 0.03,
    "batch": 10, "l2": 0.0, "epochs": 200, "seed": 0, "autorun": 0, "added": [],
}


def _fail(name: str, needs: str, text: str) -> TinynetError:
    return TinynetError(f"playground: {name} must be {needs}, got {text!r}")


def _choice(options: List[str]) -> Callable[[str, str], str]:
    def parse(name: str, text: str) -> str:
        if text not in options:
            raise _fail(name, "one of " + ", ".join(options), text)
        return text
    return parse


def _integer(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise _fail(name, f"an integer from {low} to {high}", text) from None
        if not low <= value <= high:
            raise _fail(name, f"an integer from {low} to {high}", text)
        return value
    return parse


def _real(low: float, high: float, *, open_low: bool = False) -> Callable[[str, str], float]:
    needs = f"a number {'>' if open_low else '>='} {low} and <= {high}"

    def parse(name: str, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise _fail(name, needs, text) from None
        above = low < value if open_low else low <= value
        if not (math.isfinite(value) and above and value <= high):
            raise _fail(name, needs, text)
        return value
    return parse


def _hidden(name: str, text: str) -> List[int]:
    if text.strip() == "":
        return []
    width = _integer(1, MAX_WIDTH)
    widths = [width(name, part) for part in text.split(",")]
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise _fail(name, f"at most {MAX_HIDDEN_LAYERS} widths", text)
    return widths


def _added(name: str, text: str) -> List[Tuple[float, float, int]]:
    if text.strip() == "":
        return []
    coordinate, label = _real(-10.0, 10.0), _integer(0, 1)
    points = []
    for part in text.split(";"):
        fields = part.split(",")
        if len(fields) != 3:
            raise _fail(name, "points x,y,class separated by ';'", part)
        points.append((coordinate(name, fields[0]), coordinate(name, fields[1]),
                       label(name, fields[2])))
    if len(points) > MAX_ADDED:
        raise _fail(name, f"at most {MAX_ADDED} points", f"{len(points)} points")
    return points


PARSERS: Dict[str, Callable[[str, str], Any]] = {
    "dataset": _choice(DATASETS), "n": _integer(10, 2000), "noise": _real(0.0, 1.0),
    "test": _real(0.05, 0.9), "hidden": _hidden, "activation": _choice(ACTIVATIONS),
    "output": _choice(list(OUTPUTS)), "optimizer": _choice(OPTIMIZERS),
    "lr": _real(0.0, 10.0, open_low=True), "batch": _integer(1, 2000),
    "l2": _real(0.0, 1.0), "epochs": _integer(1, 10000), "seed": _integer(0, 2 ** 31 - 1),
    "autorun": _integer(0, 1), "added": _added,
}


def parse_query(query: str) -> Dict[str, Any]:
    """Return the settings of a URL query string, defaults filled in.

    A leading '?' is ignored; a setting given twice keeps its last value.

    >>> parse_query("?hidden=&seed=3")["hidden"], parse_query("seed=3")["seed"]
    ([], 3)
    >>> parse_query("lr=fast")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: playground: lr must be a number > 0.0 and <= 10.0, got 'fast'

    Raises TinynetError for an unknown setting or a value out of its range;
    the message names the setting, what it must be, and what it got.
    """
    settings = dict(DEFAULTS)
    for name, text in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if name not in PARSERS:
            raise TinynetError(f"playground: unknown setting {name!r}; valid settings: "
                               + ", ".join(PARSERS))
        settings[name] = PARSERS[name](name, text)
    return settings


def to_query(settings: Dict[str, Any]) -> str:
    """Return the query string of settings, every setting in a fixed order.

    parse_query(to_query(s)) == s for settings that parse_query returned.

    >>> s = parse_query("added=0.5,-1,1")
    >>> parse_query(to_query(s)) == s
    True
    """
    def text(name: str, value: Any) -> str:
        if name == "hidden":
            return ",".join(map(str, value))
        if name == "added":
            return ";".join(f"{x:g},{y:g},{c}" for x, y, c in value)
        return f"{value:g}" if isinstance(value, float) else str(value)
    return urlencode([(name, text(name, settings[name])) for name in PARSERS], safe=",;")


def data_module(dataset: str) -> str:
    """Return where the data set's generator lives: "data" (tinynet.data) or "session".

    tinynet.data.xor is the article's 4-row table, not a point cloud, so the
    playground's xor is its own.

    >>> data_module("moons"), data_module("xor")
    ('data', 'session')
    """
    return "data" if dataset != "xor" and hasattr(data, dataset) else "session"


def data_call(settings: Dict[str, Any]) -> str:
    """Return the Python expression that builds the settings' data set.

    >>> data_call(parse_query("dataset=circles&n=100"))
    'data.circles(100, noise=0.1, seed=0)'
    """
    s = settings
    return (f"{data_module(s['dataset'])}.{s['dataset']}"
            f"({s['n']}, noise={s['noise']:g}, seed={s['seed']})")


def python_code(settings: Dict[str, Any]) -> str:
    """Return a Python script that trains the settings' network outside the page.

    It runs with tinynet installed. With full batches (batch >= the training
    set) it repeats the page's run exactly; with mini-batches the shuffles
    differ, because the page trains a few epochs at a time.

    >>> print(python_code(parse_query("hidden=4")).splitlines()[-2])
    net.fit(x_train, y_train, epochs=200, optimizer=optim.SGD(0.03), batch_size=10, seed=0)

    Raises nothing for settings that parse_query returned.
    """
    s = settings
    activation, loss = OUTPUTS[s["output"]]
    sizes = [2, *s["hidden"], 2 if s["output"] == "softmax" else 1]
    targets = ("data.one_hot(labels, classes=[0, 1])[0]" if s["output"] == "softmax"
               else "[[float(c)] for c in labels]")
    decay = f", weight_decay={s['l2']:g}" if s["l2"] else ""
    optimizer = f"optim.{'Adam' if s['optimizer'] == 'adam' else 'SGD'}({s['lr']:g}{decay})"
    lines = ["from tinynet import Network, data, metrics, optim",
             "from tinynet.matrix import class_indices"]
    if data_module(s["dataset"]) == "session":
        lines.append("from tinynet.playground import session")
    lines += ["", f"x, labels = {data_call(s)}"]
    if s["added"]:
        lines += [f"x += {[[x, y] for x, y, _ in s['added']]}",
                  f"labels += {[c for _, _, c in s['added']]}"]
    lines += [f"y = {targets}",
              "x_train, x_test, y_train, y_test = data.train_test_split(",
              f"    x, y, test_size={s['test']:g}, seed={s['seed']})",
              f"net = Network({sizes}, activation={s['activation']!r},",
              f"              output_activation={activation!r}, loss={loss!r}, seed={s['seed']})",
              f"net.fit(x_train, y_train, epochs={s['epochs']}, optimizer={optimizer}, "
              f"batch_size={s['batch']}, seed={s['seed']})",
              "print(metrics.accuracy(class_indices(y_test), net.predict_classes(x_test)))"]
    return "\n".join(lines)
