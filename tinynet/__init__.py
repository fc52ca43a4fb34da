"""tinynet: a neural network from scratch in pure Python.

Matrices are plain lists of lists of floats; every operation is written out
by hand, following J. Loy's article "How to build your own Neural Network
from scratch in Python" (2018), and going further. See README.md.
"""

from .errors import ShapeError, TinynetError, TrainingDiverged

__version__ = "0.1.0"

__all__ = ["__version__", "TinynetError", "ShapeError", "TrainingDiverged"]
