"""Regenerate every SVG figure that docs/tutorial.md shows.

Run it from the repository root:

    python docs/make_figures.py              # writes docs/img/*.svg
    python docs/make_figures.py --out DIR    # writes them into DIR instead

Each figure is computed from scratch with the same data, seeds and settings
as the tutorial's doctests, so the pictures show the runs the text describes.
The training plots are drawn by tinynet.plot (LossPlot, DecisionBoundaryPlot,
ConfusionMatrixPlot); the network diagram and the sigmoid curve are drawn
here, as plain SVG elements. Standard library and tinynet only; about a
second on CPython.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:  # run as a script from a checkout: find tinynet without installing
    sys.path.insert(0, ROOT)

from tinynet import Network, metrics  # noqa: E402
from tinynet.activations import sigmoid  # noqa: E402
from tinynet.article import NeuralNetwork  # noqa: E402
from tinynet.data import (Standardizer, load_iris, moons, one_hot,  # noqa: E402
                          train_test_split, xor)
from tinynet.files import write_atomic  # noqa: E402
from tinynet.plot.svg import element, number  # noqa: E402  (the plots' SVG writers)
from tinynet.plot import (ConfusionMatrixPlot, DecisionBoundaryPlot,  # noqa: E402
                          LossPlot)

SVG_NS = "http://www.w3.org/2000/svg"
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#999999"


# --- the training runs (the same as the tutorial's) --------------------------

def article_losses(iterations: int = 1500, seed: int = 1) -> List[float]:
    """Return the sum-of-squares loss before each update of the article's
    network on its XOR data (tutorial, section 6)."""
    x, y = xor()
    nn = NeuralNetwork(x, y, seed=seed)
    losses = []
    for _ in range(iterations):
        nn.feedforward()
        losses.append(nn.loss())
        nn.backprop()
    return losses


def moons_network() -> Tuple[Network, List[List[float]], List[int]]:
    """Return the softmax classifier of section 8.4, trained, and its data."""
    x, labels = moons(200, noise=0.1, seed=0)
    y, _ = one_hot(labels)
    net = Network([2, 8, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=0)
    net.fit(x, y, epochs=30, optimizer="adam", learning_rate=0.05, batch_size=20, seed=0)
    return net, x, labels


@functools.lru_cache(maxsize=None)  # two figures share the run
def iris_run():
    """Return (history, confusion counts, classes) of section 8.5's iris run."""
    x, labels = load_iris()
    x_train, x_test, l_train, l_test = train_test_split(
        x, labels, test_size=0.3, seed=2, stratify=True)
    y_train, classes = one_hot(l_train)
    y_test, _ = one_hot(l_test, classes)
    net = Network([4, 8, 3], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=0)
    net.standardizer = Standardizer().fit(x_train)
    history = net.fit(x_train, y_train, epochs=50, optimizer="adam", learning_rate=0.01,
                      batch_size=16, seed=0, validation_data=(x_test, y_test))
    predicted = [classes[i] for i in net.predict_classes(x_test)]
    counts, _ = metrics.confusion_matrix(l_test, predicted, classes=classes)
    return history, counts, classes


# --- the figures -------------------------------------------------------------

def article_loss_svg() -> str:
    return LossPlot(article_losses(), title="The article's network: loss per iteration",
                    xlabel="iteration", ylabel="sum of squared errors").svg


def moons_boundary_svg() -> str:
    net, x, labels = moons_network()
    return DecisionBoundaryPlot(net.predict_classes, x, labels, classes=["class 0", "class 1"],
                                title="Softmax classifier on the moons (2 -> 8 -> 2)").svg


def iris_loss_svg() -> str:
    history, _, _ = iris_run()
    return LossPlot(history.loss, val_loss=history.val_loss,
                    title="Iris: cross-entropy per epoch", ylabel="cross-entropy").svg


def iris_confusion_svg() -> str:
    _, counts, classes = iris_run()
    return ConfusionMatrixPlot(counts, classes, title="Iris: 45 test flowers").svg


def network_svg() -> str:
    """The article's 3 -> 4 -> 1 network: inputs, hidden units, output, weights."""
    width, height = 600, 330
    columns = [  # (x, node labels, caption)
        (110.0, ["x\u2081", "x\u2082", "1"], "input x: 3 values"),
        (300.0, ["\u03c3"] * 4, "hidden layer: 4 units"),
        (490.0, ["\u0177"], "output \u0177: 1 value"),
    ]
    top, bottom, radius = 70.0, 250.0, 18.0

    def centres(k: int) -> List[float]:
        gap = (bottom - top) / 4
        middle = (top + bottom) / 2
        return [middle + (i - (k - 1) / 2) * gap for i in range(k)]

    out = [_svg_head(width, height, "The article's 2-layer network")]
    out.append(element("text", {"x": width / 2, "y": 28, "text-anchor": "middle", "font-size": 15},
                   "The article's 2-layer network: 3 \u2192 4 \u2192 1"))
    for (x0, labels0, _), (x1, labels1, _) in zip(columns, columns[1:]):
        for y0 in centres(len(labels0)):
            for y1 in centres(len(labels1)):
                out.append(element("line", {"x1": x0 + radius, "y1": y0, "x2": x1 - radius,
                                        "y2": y1, "stroke": GREY, "stroke-width": 1.2}))
    for text, x in (("W\u2081: 3 \u00d7 4", 205.0), ("W\u2082: 4 \u00d7 1", 395.0)):
        out.append(element("text", {"x": x, "y": 58, "text-anchor": "middle", "fill": "#444444"},
                       text))
    fills = ["#FFFFFF", "#DCEBF5", "#FBEBCC"]
    for (x, labels, caption), fill in zip(columns, fills):
        for label, y in zip(labels, centres(len(labels))):
            out.append(element("circle", {"cx": x, "cy": y, "r": radius, "fill": fill,
                                      "stroke": "#333333", "stroke-width": 1.5}))
            out.append(element("text", {"x": x, "y": y + 5, "text-anchor": "middle",
                                    "font-size": 14}, label))
        out.append(element("text", {"x": x, "y": bottom + 50, "text-anchor": "middle"}, caption))
    out.append(element("text", {"x": 110.0, "y": bottom + 68, "text-anchor": "middle",
                            "fill": "#444444"}, "(the third is always 1)"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def sigmoid_svg() -> str:
    """sigmoid(z) and its slope a (1 - a) for z in [-8, 8]."""
    width, height = 600, 340
    left, right, top, bottom = 64.0, width - 24.0, 48.0, height - 56.0
    z_lo, z_hi, y_lo, y_hi = -8.0, 8.0, -0.05, 1.05

    def px(z: float) -> float:
        return left + (z - z_lo) * (right - left) / (z_hi - z_lo)

    def py(v: float) -> float:
        return bottom - (v - y_lo) * (bottom - top) / (y_hi - y_lo)

    zs = [z_lo + i * (z_hi - z_lo) / 320 for i in range(321)]
    out = [_svg_head(width, height, "The sigmoid and its slope")]
    out.append(element("text", {"x": width / 2, "y": 26, "text-anchor": "middle", "font-size": 15},
                   "\u03c3(z) = 1 / (1 + e\u207b\u1dbb) and its slope \u03c3(z) (1 \u2212 \u03c3(z))"))
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        dash = {"stroke-dasharray": "5 4"} if v in (0.0, 1.0) else {}
        out.append(element("line", {"x1": left, "y1": py(v), "x2": right, "y2": py(v),
                                "stroke": "#BBBBBB" if dash else "#E5E5E5", **dash}))
        out.append(element("text", {"x": left - 8, "y": py(v) + 4, "text-anchor": "end"}, f"{v:g}"))
    for z in (-8, -4, 0, 4, 8):
        out.append(element("line", {"x1": px(z), "y1": bottom, "x2": px(z), "y2": bottom + 5,
                                "stroke": "#333333"}))
        out.append(element("text", {"x": px(z), "y": bottom + 18, "text-anchor": "middle"}, str(z)))
    out.append(element("line", {"x1": left, "y1": bottom, "x2": right, "y2": bottom,
                            "stroke": "#333333"}))
    out.append(element("line", {"x1": left, "y1": top, "x2": left, "y2": bottom,
                            "stroke": "#333333"}))
    out.append(element("text", {"x": (left + right) / 2, "y": bottom + 40, "text-anchor": "middle"},
                   "z (the weighted sum of a unit's inputs)"))
    for name, f, colour, dash in (("\u03c3(z)", sigmoid, BLUE, None),
                                  ("slope \u03c3(z) (1 \u2212 \u03c3(z))",
                                   lambda z: sigmoid(z) * (1.0 - sigmoid(z)), ORANGE, "7 4")):
        points = "L".join(f"{number(px(z))},{number(py(f(z)))}" for z in zs)
        attrs = {"d": "M" + points, "fill": "none", "stroke": colour, "stroke-width": 2.5}
        if dash:
            attrs["stroke-dasharray"] = dash
        out.append(element("path", attrs))
    # z = ln 99 is where sigmoid reaches 0.99; the slope there is 0.0099
    z99 = math.log(99.0)
    out.append(element("circle", {"cx": px(z99), "cy": py(0.99), "r": 4, "fill": BLUE}))
    for i, text in enumerate(("\u03c3(4.6) = 0.99", "slope there: 0.0099")):
        out.append(element("text", {"x": px(6.0), "y": py(0.8) + 16 * i, "text-anchor": "middle"},
                       text))
    legend = [("\u03c3(z): never exactly 0 or 1", BLUE, None),
              ("slope: 0.25 at z = 0, almost 0 far out", ORANGE, "7 4")]
    for i, (text, colour, dash) in enumerate(legend):
        y = py(0.85) + 20 * i  # the empty corner left of the curve
        attrs = {"x1": left + 12, "y1": y, "x2": left + 40, "y2": y, "stroke": colour,
                 "stroke-width": 2.5}
        if dash:
            attrs["stroke-dasharray"] = dash
        out.append(element("line", attrs))
        out.append(element("text", {"x": left + 48, "y": y + 4}, text))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# file name -> the function that draws it, in the order the tutorial shows them
FIGURES: Dict[str, Callable[[], str]] = {
    "network.svg": network_svg,
    "sigmoid.svg": sigmoid_svg,
    "article-loss.svg": article_loss_svg,
    "moons-boundary.svg": moons_boundary_svg,
    "iris-loss.svg": iris_loss_svg,
    "iris-confusion.svg": iris_confusion_svg,
}


# --- small SVG helpers -------------------------------------------------------

def _svg_head(width: int, height: int, title: str) -> str:
    return "\n".join([
        f'<svg xmlns="{SVG_NS}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        element("title", {}, title),
        element("rect", {"width": width, "height": height, "fill": "white"})])


# --- the command line --------------------------------------------------------

def main(argv: Optional[Sequence[str]] = None) -> int:
    """Write the figures (all, or those named) into --out; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "img"),
                        help="folder to write the SVG files into (default: docs/img)")
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"figures to make (default: all): {', '.join(FIGURES)}")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in FIGURES]
    if unknown:
        parser.error(f"unknown figure {unknown[0]!r}; choose from {', '.join(FIGURES)}")
    os.makedirs(args.out, exist_ok=True)
    for name in args.names or FIGURES:
        path = os.path.join(args.out, name)
        write_atomic(path, FIGURES[name](), op="make_figures")
        print(f"wrote {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
