"""tinynet: a neural network from scratch in pure Python.

Matrices are plain lists of lists of floats; every operation is written out
by hand, following J. Loy's article "How to build your own Neural Network
from scratch in Python" (2018), and going further. Rows are samples: x is
(n, n_in), weights are (n_in, n_out), biases are (n_out,).

>>> from tinynet import Network
>>> net = Network([2, 3, 1], seed=0)
>>> len(net.predict([[0.0, 1.0]])[0])
1

========================  ================================================
module                    what it holds
========================  ================================================
tinynet.matrix            the list-of-lists matrix operations
tinynet.activations       sigmoid, tanh, relu, ... beside their derivatives
tinynet.losses            sse, mse, cross-entropies beside their gradients
tinynet.layers            the layer protocol and Dense
tinynet.conv              Conv2D, MaxPool2D, AvgPool2D on flat image rows
tinynet.dropout           Dropout, only while training
tinynet.layerspec         "conv8:3,maxpool2,dense32" -> layers
tinynet.network           Network: forward, backprop, fit, save/load
tinynet.optim             SGD (momentum, Nesterov) and Adam
tinynet.fast              the fast forms, behind one door; reference()
tinynet.compiled          fit's door to a small network's step written out
tinynet.article           the article's NeuralNetwork class, line by line
tinynet.gradcheck         gradients against finite differences
tinynet.data              data sets, splits, one-hot, Standardizer, CSV:
                          .datasets, .preprocess, .tables
tinynet.metrics           accuracy, confusion matrix, precision/recall/F1
tinynet.plot              .terminal charts, .svg figures, their .scales
tinynet.recipe            from a table to a trained model, as the CLI does
tinynet.estimators        Classifier, Regressor: the recipe, scikit-learn style
tinynet.serialize         the JSON model format
tinynet.files             the one atomic file writer, a bounded reader
tinynet.checks            the shared checks on arguments
tinynet.cli               the command line: parsing and printing
========================  ================================================

The core modules hold one plain form of every operation; tinynet.fast holds
the fast ones (kernels generated per shape, math.sumprod loops) and picks
one per shape. ``with tinynet.reference():`` runs the plain forms only.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, List

__version__ = "0.1.0"

__all__ = [
    "__version__", "Network", "History", "Dense", "Layer", "SGD", "Adam",
    "Conv2D", "MaxPool2D", "AvgPool2D", "Dropout", "Classifier", "Regressor",
    "NeuralNetwork", "check_gradients", "numerical_gradients",
    "TinynetError", "ShapeError", "TrainingDiverged",
    "activations", "data", "fast", "losses", "matrix", "metrics", "optim", "reference",
]

# Where each name of __all__ lives. "import tinynet" imports none of them:
# each module is imported the first time one of its names is used (PEP 562),
# so the command line starts in a few milliseconds and can handle Ctrl-C
# from its first moment (see tinynet.__main__).
_MODULES = ("activations", "data", "fast", "losses", "matrix", "metrics", "optim")
_HOMES = {
    "Network": "network", "History": "network", "Dense": "layers", "Layer": "layers",
    "SGD": "optim", "Adam": "optim", "NeuralNetwork": "article",
    "Classifier": "estimators", "Regressor": "estimators", "reference": "fast",
    "Conv2D": "conv", "MaxPool2D": "conv", "AvgPool2D": "conv", "Dropout": "dropout",
    "check_gradients": "gradcheck", "numerical_gradients": "gradcheck",
    "TinynetError": "errors", "ShapeError": "errors", "TrainingDiverged": "errors",
}

if TYPE_CHECKING:  # what a type checker and an IDE see: the eager imports
    from . import activations, data, fast, losses, matrix, metrics, optim
    from .article import NeuralNetwork
    from .conv import AvgPool2D, Conv2D, MaxPool2D
    from .dropout import Dropout
    from .errors import ShapeError, TinynetError, TrainingDiverged
    from .estimators import Classifier, Regressor
    from .fast import reference
    from .gradcheck import check_gradients, numerical_gradients
    from .layers import Dense, Layer
    from .network import History, Network
    from .optim import SGD, Adam


def __getattr__(name: str) -> Any:
    """Return the public name, importing its module on first use."""
    if name in _MODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name in _HOMES:
        value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
