"""tinynet's exceptions.

Every error tinynet raises on bad input is a :class:`TinynetError`, which is a
``ValueError``, so ``except ValueError`` in calling code keeps working. The
message names the operation, what it needs and what it got:

>>> from tinynet.matrix import matmul
>>> matmul([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[1.0]] * 4)
Traceback (most recent call last):
    ...
tinynet.errors.ShapeError: matmul: inner dimensions differ: (2, 3) @ (4, 1)
"""

__all__ = ["TinynetError", "ShapeError", "TrainingDiverged"]


class TinynetError(ValueError):
    """Bad input to tinynet: the message names the operation and the problem."""


class ShapeError(TinynetError):
    """Matrices whose shapes do not fit the operation."""


class TrainingDiverged(TinynetError):
    """The loss became NaN or infinite during training."""
