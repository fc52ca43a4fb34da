"""Layer specs: a network's hidden layers written in one short string.

The command line's ``--layers`` takes layers separated by commas:

=================  =========================================================
spec               layer
=================  =========================================================
conv8:3            Conv2D, 8 filters of 3x3 (stride 1, no padding, ReLU)
conv16:5:s2:p2     Conv2D, 16 filters of 5x5, stride 2, padding 2
maxpool2           MaxPool2D over 2x2 windows (stride 2)
avgpool3:s1        AvgPool2D over 3x3 windows, stride 1
dense32            Dense with 32 units (the hidden activation)
dropout0.25        Dropout of rate 0.25 (only while training)
=================  =========================================================

``parse("conv8:3,maxpool2,dense32")`` checks the spec; ``build`` makes the
layers for an input image shape, each taking the shape the one before it
gives, and adds the output layer.

>>> parse("conv8:3,maxpool2,dense32")
[('conv', 8, {'kernel_size': 3}), ('maxpool', 2, {}), ('dense', 32, {})]
>>> [repr(layer) for layer in build("conv4:3,maxpool2", (1, 8, 8), 10, seed=0)]
["Conv2D((1, 8, 8), 4, (3, 3), stride=(1, 1), padding=(0, 0), activation='relu')", 'MaxPool2D((4, 6, 6), size=2, stride=2)', "Dense(36, 10, activation='softmax')"]
"""

from __future__ import annotations

import math
import random
import re
from typing import Any, Dict, List, Sequence, Tuple

from .checks import describe, rng as make_rng
from .conv import AvgPool2D, Conv2D, MaxPool2D
from .dropout import Dropout
from .errors import TinynetError
from .layers import Dense, Layer

__all__ = ["parse", "build", "parse_image", "EXAMPLE"]

EXAMPLE = "conv8:3,maxpool2,dense32"
_KINDS = ("conv", "maxpool", "avgpool", "dense", "dropout")
_TOKEN = re.compile(r"(conv|maxpool|avgpool|dense|dropout)([0-9.]+)((?::[a-z]?[0-9]+)*)$")
Spec = Tuple[str, Any, Dict[str, int]]


def parse(text: str) -> List[Spec]:
    """Return the layers of a spec as (kind, size, options) triples.

    >>> parse("conv16:5:s2:p2,dropout0.5")
    [('conv', 16, {'kernel_size': 5, 'stride': 2, 'padding': 2}), ('dropout', 0.5, {})]
    >>> parse("conv8")
    Traceback (most recent call last):
        ...
    tinynet.errors.TinynetError: layers: 'conv8' needs a kernel size, like conv8:3

    Raises TinynetError for a part that is not one of the forms above.
    """
    if not isinstance(text, str) or not text.strip():
        raise TinynetError(f"layers: needs a spec like {EXAMPLE!r}, got {describe(text)}")
    return [_part(part.strip().lower()) for part in text.split(",")]


def _part(part: str) -> Spec:
    match = _TOKEN.match(part)
    if not match:
        raise TinynetError(f"layers: cannot read {part!r}; each layer is one of "
                           f"convF:K[:sS][:pP], maxpoolN[:sS], avgpoolN[:sS], denseN, dropoutR "
                           f"(e.g. {EXAMPLE})")
    kind, size, rest = match.group(1), match.group(2), match.group(3)
    options = _options(part, kind, [o for o in rest.split(":") if o])
    if kind == "dropout":
        return kind, float(size), options
    if not size.isdigit() or int(size) < 1:
        raise TinynetError(f"layers: {part!r}: {kind} needs a whole number >= 1, got {size}")
    if kind == "conv" and "kernel_size" not in options:
        raise TinynetError(f"layers: {part!r} needs a kernel size, like {kind}{size}:3")
    return kind, int(size), options


def _options(part: str, kind: str, items: List[str]) -> Dict[str, int]:
    # conv: K (the kernel), sS, pP; pools: sS; dense and dropout: none.
    allowed = {"conv": "sp", "maxpool": "s", "avgpool": "s"}.get(kind, "")
    options: Dict[str, int] = {}
    for item in items:
        key = {"s": "stride", "p": "padding"}.get(item[0]) if item[0].isalpha() else "kernel_size"
        if (key == "kernel_size" and kind != "conv") or (key != "kernel_size" and
                                                         item[0] not in allowed):
            raise TinynetError(f"layers: {part!r}: {kind} takes no option {item!r}")
        options[key] = int(item.lstrip("sp"))
    return options


def build(text: str, image: Sequence[int], n_out: int, *, activation: str = "relu",
          output_activation: str = "softmax", seed: Any = 0) -> List[Layer]:
    """Return the layers of the spec for images of shape (C, H, W), then a
    Dense output layer of n_out units.

    Image layers take the shape the layer before gives; the first dense
    layer flattens it (C*H*W inputs). No image layer may follow a dense one.

    Raises TinynetError for a bad spec, a layer that does not fit the shape
    before it (its message names the layer), or an image layer after a dense one.
    """
    rng = make_rng("layers", seed)
    layers: List[Layer] = []
    shape: Tuple[int, ...] = tuple(image)
    for kind, size, options in parse(text):
        layer = _layer(kind, size, options, shape, activation, rng)
        layers.append(layer)
        shape = tuple(getattr(layer, "out_shape", None) or (layer.n_out,))
    layers.append(Dense(math.prod(shape), n_out, output_activation, rng=rng))
    return layers


def _layer(kind: str, size: Any, options: Dict[str, int], shape: Tuple[int, ...],
           activation: str, rng: random.Random) -> Layer:
    if kind in ("conv", "maxpool", "avgpool") and len(shape) != 3:
        raise TinynetError(f"layers: {kind}{size} needs images, but the layer before it "
                           f"gives {math.prod(shape)} flat values; put image layers first")
    seed = rng.randrange(2 ** 31)
    if kind == "conv":
        return Conv2D(shape, size, options["kernel_size"], stride=options.get("stride", 1),
                      padding=options.get("padding", 0), activation=activation, seed=seed)
    if kind in ("maxpool", "avgpool"):
        pool = MaxPool2D if kind == "maxpool" else AvgPool2D
        return pool(shape, size, options.get("stride"))
    if kind == "dropout":
        return Dropout(size, seed=seed, in_shape=shape)
    return Dense(math.prod(shape), size, activation, rng=rng)


def parse_image(text: str) -> Tuple[int, int, int]:
    """Return (channels, height, width) from "1x28x28" (or "28x28": 1 channel).

    >>> parse_image("3x32x32"), parse_image("8x8")
    ((3, 32, 32), (1, 8, 8))

    Raises TinynetError for anything else.
    """
    parts = text.lower().split("x") if isinstance(text, str) else []
    if len(parts) == 2:
        parts = ["1"] + parts
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise TinynetError(f"image: needs CHANNELSxHEIGHTxWIDTH like 1x28x28, "
                           f"got {describe(text)}")
    return int(parts[0]), int(parts[1]), int(parts[2])
