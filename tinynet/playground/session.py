"""The playground's training session: the data, the network, and what the page draws.

The page's Web Worker runs this module inside Pyodide. It uses tinynet's
public API only (Network, fit with a callback, predict, data, metrics,
optim), so the page shows the library itself at work. Everything a session
returns is plain JSON-ready data: lists, numbers and strings.

Shapes: the points x are (n, 2); the targets y are (n, 1) for a sigmoid
output or (n, 2) one-hot for softmax; the heat map is (GRID, GRID), row 0 at
the top, each cell P(class 1) at the cell's centre.

>>> s = Session("dataset=xor&n=40&hidden=4&epochs=5")
>>> progress = s.train(5)
>>> s.epoch, len(progress["loss"]), len(progress["boundary"])
(5, 5, 40)
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from .. import Network, data, metrics, optim
from ..checks import number, positive_int, rng
from ..errors import TinynetError
from ..matrix import class_indices
from .settings import OUTPUTS, data_module, parse_query, python_code, to_query

__all__ = ["xor", "make_data", "Session", "GRID"]

GRID = 40  # heat map cells per side


def _synthetic(op: str, n: Any, noise: Any, seed: Any):
    n, noise = positive_int(op, "n", n), number(op, "noise", noise)
    if n < 2 or noise < 0.0:
        raise TinynetError(f"{op}: needs n >= 2 and noise >= 0, got n={n}, noise={noise}")
    return n, noise, rng(op, seed)


def xor(n: int = 200, *, noise: float = 0.1,
        seed: Optional[int] = None) -> Tuple[List[List[float]], List[int]]:
    """Return n points in the square [-1.1, 1.1]^2, class 1 where x*y < 0.

    The XOR of the signs: the two quadrants where the signs differ are
    class 1. Each coordinate is drawn uniformly from [0.1, 1.1] and given a
    random sign, so points keep 0.1 from the axes; then N(0, noise^2) is
    added.

    >>> x, labels = xor(4, noise=0.0, seed=0)
    >>> [int(a * b < 0) for a, b in x] == labels
    True

    Raises TinynetError unless n >= 2 is an integer and noise >= 0.
    """
    n, noise, r = _synthetic("xor", n, noise, seed)
    x, labels = [], []
    for _ in range(n):
        a, b = (r.choice((-1.0, 1.0)) * r.uniform(0.1, 1.1) for _ in range(2))
        labels.append(int(a * b < 0))
        x.append([a + r.gauss(0.0, noise), b + r.gauss(0.0, noise)])
    return x, labels


OWN_DATA = {"xor": xor}


def make_data(settings: Dict[str, Any]) -> Tuple[List[List[float]], List[int]]:
    """Return (x, labels) of the settings' data set, with the added points last.

    >>> x, labels = make_data({"dataset": "moons", "n": 10, "noise": 0.0, "seed": 0,
    ...                        "added": [(0.0, 3.0, 1)]})
    >>> len(x), x[-1], labels[-1]
    (11, [0.0, 3.0], 1)
    """
    name = settings["dataset"]
    maker = getattr(data, name) if data_module(name) == "data" else OWN_DATA[name]
    x, labels = maker(settings["n"], noise=settings["noise"], seed=settings["seed"])
    for a, b, c in settings.get("added", []):
        x.append([a, b])
        labels.append(c)
    return x, labels


def _targets(labels: List[int], output: str) -> List[List[float]]:
    if output == "softmax":
        return data.one_hot(labels, classes=[0, 1])[0]  # (n, 2)
    return [[float(c)] for c in labels]                 # (n, 1)


def _bounds(x: List[List[float]]) -> List[float]:
    """Return [low, high], a square around every point with a 10% margin."""
    low = min(min(row) for row in x)
    high = max(max(row) for row in x)
    margin = 0.1 * (high - low) or 1.0
    return [round(low - margin, 3), round(high + margin, 3)]


class Session:
    """One training run of the settings in a URL query.

    ``Session(query)`` builds the data, splits it, and builds the network,
    exactly as the Python code in ``describe()["code"]`` does; ``train(k)``
    trains k more epochs; ``add_point`` adds a training point.

    >>> Session("hidden=3,2").net.sizes
    [2, 3, 2, 1]

    Raises TinynetError for a bad query (see settings.parse_query).
    """

    def __init__(self, query: str = ""):
        s = self.settings = parse_query(query)
        x, labels = make_data(s)
        self.bounds = _bounds(x)
        activation, loss = OUTPUTS[s["output"]]
        y = _targets(labels, s["output"])
        self.x_train, self.x_test, self.y_train, self.y_test = data.train_test_split(
            x, y, test_size=s["test"], seed=s["seed"])
        self.net = Network([2, *s["hidden"], len(y[0])], activation=s["activation"],
                           output_activation=activation, loss=loss, seed=s["seed"])
        optimizer = optim.Adam if s["optimizer"] == "adam" else optim.SGD
        self.optimizer = optimizer(s["lr"], weight_decay=s["l2"])  # keeps its state across train()
        self.epoch = 0

    def __repr__(self) -> str:
        return f"Session({to_query(self.settings)!r}, epoch={self.epoch})"

    def train(self, epochs: int) -> Dict[str, Any]:
        """Train epochs more epochs; return their losses and the new picture.

        The keys: ``loss`` and ``test_loss`` (one per epoch trained now), and
        everything ``progress()`` returns. The shuffles are seeded by the
        settings' seed and the epoch reached, so the same query and the same
        chunks of epochs give the same run.

        Raises TrainingDiverged if the loss becomes NaN or infinite.
        """
        epochs = positive_int("Session.train", "epochs", epochs)
        losses: Dict[str, List[float]] = {"loss": [], "test_loss": []}

        def record(epoch: int, logs: Dict[str, float]) -> None:
            losses["loss"].append(logs["loss"])
            losses["test_loss"].append(logs["val_loss"])
        batch_size = min(self.settings["batch"], len(self.x_train))
        self.net.fit(self.x_train, self.y_train, epochs=epochs, optimizer=self.optimizer,
                     batch_size=batch_size, seed=self.settings["seed"] + self.epoch,
                     validation_data=(self.x_test, self.y_test), callback=record)
        self.epoch += epochs
        return {**losses, **self.progress()}

    def add_point(self, x: float, y: float, label: int) -> Dict[str, Any]:
        """Add the point (x, y) of class label to the training set; return describe().

        The point also joins the settings' ``added`` list, so the query keeps it.

        Raises TinynetError for a label other than 0 or 1 or a coordinate
        that is not a finite number.
        """
        point = [number("Session.add_point", "x", x), number("Session.add_point", "y", y)]
        if label not in (0, 1) or isinstance(label, bool):
            raise TinynetError(f"Session.add_point: label must be 0 or 1, got {label!r}")
        self.x_train.append(point)
        self.y_train.extend(_targets([label], self.settings["output"]))
        self.settings["added"] = self.settings["added"] + [(round(point[0], 3), round(point[1], 3), label)]
        return self.describe()

    def accuracy(self) -> float:
        """Return the test accuracy: the fraction of test points classified right.

        >>> 0.0 <= Session("n=20").accuracy() <= 1.0
        True
        """
        truth = class_indices(self.y_test)
        return metrics.accuracy(truth, self.net.predict_classes(self.x_test))

    def boundary(self, grid: int = GRID) -> List[List[float]]:
        """Return the (grid, grid) heat map of P(class 1), row 0 at the top.

        Cell (r, c) is the network's output at the centre of that cell of the
        square self.bounds; with softmax, the second output.

        >>> heat = Session("n=20").boundary(3)
        >>> len(heat), len(heat[0]), all(0.0 <= p <= 1.0 for row in heat for p in row)
        (3, 3, True)
        """
        low, high = self.bounds
        step = (high - low) / grid
        centres = [low + (i + 0.5) * step for i in range(grid)]
        cells = [[a, b] for b in reversed(centres) for a in centres]  # (grid * grid, 2)
        p = [row[-1] for row in self.net.predict(cells)]              # P(class 1)
        return [[round(v, 3) for v in p[r * grid:(r + 1) * grid]] for r in range(grid)]

    def progress(self) -> Dict[str, Any]:
        """Return what changes while training: epoch, accuracy, heat map, weights.

        >>> sorted(Session("n=20").progress())
        ['accuracy', 'accuracy_text', 'boundary', 'epoch', 'weights']
        """
        weights = [[[round(w, 4) for w in row] for row in layer["weights"]]
                   for layer in self.net.get_parameters()]  # each (n_in, n_out)
        accuracy = self.accuracy()
        return {"epoch": self.epoch, "accuracy": accuracy, "accuracy_text": f"{accuracy:.3f}",
                "boundary": self.boundary(), "weights": weights}

    def describe(self) -> Dict[str, Any]:
        """Return what is fixed until a reset: settings, query, code, points, bounds.

        Points are [x, y, class]; ``train`` and ``test`` are the split's parts.

        >>> d = Session("n=20&test=0.25").describe()
        >>> len(d["train"]), len(d["test"]), d["sizes"]
        (15, 5, [2, 8, 8, 1])
        """
        def labelled(x, y):
            return [[round(a, 4), round(b, 4), label]
                    for (a, b), label in zip(x, class_indices(y))]
        settings = dict(self.settings, added=[list(p) for p in self.settings["added"]])
        return {"settings": settings, "query": to_query(self.settings),
                "code": python_code(self.settings), "bounds": self.bounds,
                "sizes": self.net.sizes, "train": labelled(self.x_train, self.y_train),
                "test": labelled(self.x_test, self.y_test)}
