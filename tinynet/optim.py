"""Optimizers: how a gradient becomes a step.

Each optimizer updates every parameter p of every layer from its gradient g:

- SGD:       v <- momentum v - lr g;  p <- p + v
             (nesterov: p <- p + momentum v - lr g); plain gradient descent
             when momentum = 0: p <- p - lr g.
- Adam:      m <- b1 m + (1 - b1) g;  s <- b2 s + (1 - b2) g^2
             p <- p - lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)

With ``weight_decay`` = lambda > 0, the gradient of the L2 penalty
(lambda / 2) sum w^2, that is lambda w, is added to the gradient of every
parameter a layer names in its ``decay`` (Dense: the weights, not the
biases). Parameters may be nested lists of any depth.

Each optimizer carries its default learning rate (``default_learning_rate``).

>>> opt = SGD(0.1)
>>> opt.update_vector("w", [1.0, 2.0], [10.0, -10.0])
[0.0, 3.0]
"""

from __future__ import annotations

import math
from typing import Any, Dict, Hashable, List, Optional, Sequence, Union

from .checks import number
from .errors import TinynetError
from .fast import define
from .matrix import Vector

__all__ = ["Optimizer", "SGD", "Adam", "get", "names", "default_learning_rate", "OPTIMIZERS"]


def _positive(op: str, name: str, value: Any, *, allow_zero: bool = False,
              below_one: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok and isinstance(value, int):
        value = number(op, name, value)  # an int too large for a float is refused
    ok = ok and math.isfinite(value)
    ok = ok and (value >= 0 if allow_zero else value > 0) and (value < 1 or not below_one)
    if not ok:
        need = ">= 0" if allow_zero else "> 0"
        need += " and < 1" if below_one else ""
        raise TinynetError(f"{op}: {name} must be a number {need}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: ``step(layers)`` updates every layer's parameters in place
    of the old lists (each parameter attribute is replaced by a new list)."""

    default_learning_rate = 0.1

    def __init__(self, learning_rate: float, weight_decay: float = 0.0):
        name = type(self).__name__
        self.learning_rate = _positive(name, "learning_rate", learning_rate)
        self.weight_decay = _positive(name, "weight_decay", weight_decay, allow_zero=True)
        self.state: Dict[Hashable, Any] = {}

    def step(self, layers: Sequence[Any]) -> None:
        """Update each layer's parameters from the gradients in layer.grads."""
        for i, layer in enumerate(layers):
            decayed = getattr(layer, "decay", ())
            for name in layer.params:
                decay = self.weight_decay if name in decayed else 0.0
                value = self.update((i, name), getattr(layer, name), layer.grads[name], decay)
                setattr(layer, name, value)

    def update(self, key: Hashable, p: list, g: list, decay: float = 0.0) -> list:
        """Return the updated parameter p (nested lists, any depth) given its gradient g."""
        if p and isinstance(p[0], list):  # a matrix or deeper: piece by piece
            return [self.update((key, r), p_row, g_row, decay)
                    for r, (p_row, g_row) in enumerate(zip(p, g))]
        return self.update_vector(key, p, g, decay)

    def update_vector(self, key: Hashable, p: Vector, g: Sequence[float],
                      decay: float = 0.0) -> Vector:  # pragma: no cover - abstract
        """Return the updated vector p given its gradient g; state is keyed by key."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the moving averages (for a fresh training run)."""
        self.state.clear()


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    >>> SGD(0.5, momentum=0.9).update_vector("b", [0.0], [1.0])
    [-0.5]

    Raises TinynetError for a learning rate <= 0 or momentum outside [0, 1).
    """

    default_learning_rate = 0.1

    def __init__(self, learning_rate: float = 0.1, momentum: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.momentum = _positive("SGD", "momentum", momentum, allow_zero=True, below_one=True)
        if nesterov and not self.momentum:
            raise TinynetError("SGD: nesterov needs momentum > 0, got momentum=0")
        self.nesterov = bool(nesterov)

    def step(self, layers: Sequence[Any]) -> None:
        """Update each layer's parameters from the gradients in layer.grads."""
        if self.momentum or self.weight_decay or not _plain(self):
            super().step(layers)
            return
        # Plain gradient descent, p <- p - lr g (what fit and step use by
        # default): one op per parameter (through the door, a kernel written
        # out for its shape) instead of update_vector per row. Same
        # arithmetic as update_vector, to the bit.
        lr = self.learning_rate
        for layer in layers:
            grads = layer.grads
            for name in layer.params:
                setattr(layer, name, _descend(lr, getattr(layer, name), grads[name]))

    def update_vector(self, key, p, g, decay=0.0):
        lr, mu = self.learning_rate, self.momentum
        if decay:
            g = [gi + decay * pi for gi, pi in zip(g, p)]
        if not mu:
            return [pi - lr * gi for pi, gi in zip(p, g)]
        v = self.state.get(key)
        if v is None:
            v = [0.0] * len(p)
        v = [mu * vi - lr * gi for vi, gi in zip(v, g)]
        self.state[key] = v
        if self.nesterov:
            return [pi + mu * vi - lr * gi for pi, vi, gi in zip(p, v, g)]
        return [pi + vi for pi, vi in zip(p, v)]

    def __repr__(self) -> str:
        return (f"SGD(learning_rate={self.learning_rate}, momentum={self.momentum}, "
                f"nesterov={self.nesterov}, weight_decay={self.weight_decay})")


def _plain(opt: SGD) -> bool:
    # A subclass that overrides update or update_vector gets the general path.
    cls = type(opt)
    return cls.update is Optimizer.update and cls.update_vector is SGD.update_vector


def _descend_plain(lr: float, p: list, g: list) -> list:
    # p - lr g for a matrix: (r, c) - lr * (r, c)
    return [[pi - lr * gi for pi, gi in zip(p_row, g_row)] for p_row, g_row in zip(p, g)]


def _descend_vector_plain(lr: float, p: Vector, g: Sequence[float]) -> Vector:
    # p - lr g for a vector: (m,) - lr * (m,)
    return [pi - lr * gi for pi, gi in zip(p, g)]


_descend_matrix = define("descend", _descend_plain, "len(p), len(p[0])")
_descend_vector = define("descend_vector", _descend_vector_plain, "1, len(p)")


def _descend(lr: float, p: list, g: list) -> list:
    # p - lr g for a parameter of any depth: deeper than a matrix, piece by piece
    if not p or not isinstance(p[0], list):
        return _descend_vector(lr, p, g)
    if p[0] and isinstance(p[0][0], list):
        return [_descend(lr, pi, gi) for pi, gi in zip(p, g)]
    return _descend_matrix(lr, p, g)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): momentum plus a per-weight step size.

    >>> [round(v, 6) for v in Adam(0.1).update_vector("w", [1.0], [5.0])]
    [0.9]

    Raises TinynetError for a learning rate <= 0, betas outside [0, 1) or
    eps <= 0.
    """

    default_learning_rate = 0.001

    def __init__(self, learning_rate: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(learning_rate, weight_decay)
        self.beta1 = _positive("Adam", "beta1", beta1, allow_zero=True, below_one=True)
        self.beta2 = _positive("Adam", "beta2", beta2, allow_zero=True, below_one=True)
        self.eps = _positive("Adam", "eps", eps)

    def step(self, layers):
        # t counts steps; the bias corrections 1 - beta^t are shared by all weights.
        t = self.state.get("t", 0) + 1
        self.state["t"] = t
        self._correction1 = 1.0 - self.beta1 ** t
        self._correction2 = 1.0 - self.beta2 ** t
        super().step(layers)

    def update_vector(self, key, p, g, decay=0.0):
        if "t" not in self.state:  # called directly, outside step()
            self.state["t"] = 1
            self._correction1, self._correction2 = 1.0 - self.beta1, 1.0 - self.beta2
        b1, b2, eps = self.beta1, self.beta2, self.eps
        if decay:
            g = [gi + decay * pi for gi, pi in zip(g, p)]
        m, s = self.state.get(key) or ([0.0] * len(p), [0.0] * len(p))
        m = [b1 * mi + (1.0 - b1) * gi for mi, gi in zip(m, g)]
        s = [b2 * si + (1.0 - b2) * gi * gi for si, gi in zip(s, g)]
        self.state[key] = (m, s)
        lr1 = self.learning_rate / self._correction1
        c2 = self._correction2
        sqrt = math.sqrt
        return [pi - lr1 * mi / (sqrt(si / c2) + eps) for pi, mi, si in zip(p, m, s)]

    def __repr__(self) -> str:
        return (f"Adam(learning_rate={self.learning_rate}, beta1={self.beta1}, "
                f"beta2={self.beta2}, eps={self.eps}, weight_decay={self.weight_decay})")


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def names() -> List[str]:
    """Return the optimizer names get() knows.

    >>> names()
    ['sgd', 'adam']
    """
    return list(OPTIMIZERS)


def _class(name: Any) -> type:
    cls = OPTIMIZERS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise TinynetError(
            f"optimizer: unknown name {name!r}; valid names: {', '.join(OPTIMIZERS)}")
    return cls


def default_learning_rate(name: str) -> float:
    """Return the learning rate the optimizer called name uses when given none.

    >>> default_learning_rate("sgd"), default_learning_rate("adam")
    (0.1, 0.001)

    Raises TinynetError for an unknown name, listing the valid ones.
    """
    return _class(name).default_learning_rate


def get(name: Union[str, Optimizer], learning_rate: Optional[float] = None,
        **options: Any) -> Optimizer:
    """Return an optimizer: an instance as is, or a new one made from its name,
    with its own default learning rate when learning_rate is None.

    >>> get("adam", 0.01)
    Adam(learning_rate=0.01, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.0)

    Raises TinynetError for an unknown name, listing the valid ones.
    """
    if isinstance(name, Optimizer):
        return name
    cls = _class(name)
    options["learning_rate"] = (cls.default_learning_rate if learning_rate is None
                                else learning_rate)
    return cls(**options)
