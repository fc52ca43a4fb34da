"""A small Dense network trained by its whole step written out as Python.

This is the door (tinynet/fast/door.py) for whole training steps: the glue
between a Network and the generated step of tinynet/fast/step.py, which
computes what the layers compute, step for step, 2-3x faster on the
article's network. ``Network.fit`` asks ``CompiledSteps.of(net, optimizer)``
for it and trains through the layers where it gets None: inside
``tinynet.reference()``, for layers other than Dense, activations, losses or
optimizers other than tinynet's own, and above the step's size limit.

Between steps a CompiledSteps holds the parameters, and the optimizer's
running values, as the plain lists the step takes; ``sync`` puts them back.

>>> from tinynet import Network, data
>>> net = Network([3, 4, 1], seed=1)
>>> CompiledSteps.of(net, optim.SGD(0.5)) is not None
True
>>> from tinynet import reference
>>> with reference():
...     CompiledSteps.of(net, optim.SGD(0.5)) is None
True
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable, Dict, Hashable, List, Optional, Sequence, Tuple

from . import activations, losses, optim
from .errors import TrainingDiverged
from .fast import in_reference
from .fast import step as compiled_step
from .layers import Dense
from .matrix import Matrix

__all__ = ["CompiledSteps", "as_plain", "set_plain_state"]


class CompiledSteps:
    """fit's steps by the step written out for the network (tinynet/fast/step.py).

    Between steps it holds the parameters, and the optimizer's running
    values, as the plain lists the compiled step takes; sync puts them back
    on the layers (and the optimizer).
    """

    def __init__(self, spec, hyper, params, state):
        self.spec, self.hyper, self.params, self.state = spec, hyper, params, state
        self.step = compiled_step.compile_step(spec)

    @classmethod
    def of(cls, net: Any, optimizer: optim.Optimizer) -> Optional["CompiledSteps"]:
        """Return the compiled steps for net, or None where they do not apply:
        inside reference(), for layers other than Dense, for activations, a
        loss or an optimizer other than tinynet's own, or above the size limit."""
        layers = net.layers
        if in_reference() or not all(type(layer) is Dense for layer in layers):
            return None
        acts = tuple(layer.activation.name for layer in layers)
        if (not all(name in compiled_step.ACTIVATIONS and layer.activation is activations.get(name)
                    for name, layer in zip(acts, layers))
                or net.loss_function is not losses.LOSSES.get(net.loss_function.name)
                or not compiled_step.fits(net.sizes)):
            return None
        plain = as_plain(optimizer, layers)
        if plain is None:
            return None
        kind, hyper, state = plain
        spec = compiled_step.Spec(tuple(net.sizes), acts, net.loss_function.name, kind,
                                  hyper[1] > 0.0)
        params = [getattr(layer, name) for layer in layers for name in layer.params]
        return cls(spec, hyper, params, state)

    def train_step(self, x: Matrix, y: Matrix) -> Tuple[float, Matrix]:
        """One step on the batch (x, y); return the loss and y_hat, as _train_step does."""
        loss, y_hat, self.params, self.state = self.step(x, y, self.params, self.state,
                                                         self.hyper)
        return loss, y_hat

    def epochs(self, x: Matrix, y: Matrix, count: int) -> List[float]:
        """count steps on the whole batch (x, y); return the loss of each."""
        spec = self.spec  # a small batch is written out row by row, with no loop
        if compiled_step.fits_whole(spec.sizes, len(x)):
            spec = spec._replace(rows=len(x))
        epochs = compiled_step.compile_step(spec, form="epochs")
        losses, self.params, self.state = epochs(x, y, self.params, self.state, self.hyper,
                                                 count)
        return losses

    def fit_whole(self, net: Any, optimizer: optim.Optimizer, x: Matrix, y: Matrix,
                  epochs: int, check: Callable[[int], None]) -> Optional[List[float]]:
        """Make every epoch in one call on the whole batch; return the losses.

        check(epoch) raises TrainingDiverged for exploded parameters. If the
        loss or the parameters went wrong, net and optimizer are put back as
        they were and None is returned: the caller replays the run through
        the layers, which names the epoch where it diverged.
        """
        start, state = net.get_parameters(), copy.deepcopy(optimizer.state)
        losses = self.epochs(x, y, epochs)
        self.sync(net, optimizer)
        try:
            if not math.isfinite(losses[-1]):
                raise TrainingDiverged("Network.fit: the loss is not finite")
            check(len(losses))
        except TrainingDiverged:
            net.set_parameters(start)
            optimizer.state = state
            return None
        return losses

    def sync(self, net: Any, optimizer: Optional[optim.Optimizer] = None) -> None:
        """Put the parameters back on net's layers (and the state into optimizer)."""
        params = iter(self.params)
        for layer in net.layers:
            for name in layer.params:
                setattr(layer, name, next(params))
        if optimizer is not None:
            set_plain_state(optimizer, net.layers, self.state)


# --- the optimizer's running values as plain lists ------------------------------
# The step written out for a small network keeps the optimizer's running values as
# nested lists shaped like the parameters [W1, b1, W2, b2, ...]; these two functions
# convert them from and to the optimizer's state dict, keyed as Optimizer.update keys it.

def as_plain(opt: optim.Optimizer, layers: Sequence[Any]) -> Optional[Tuple[str, Tuple[float, ...], Any]]:
    """Return (kind, hyperparameters, state) for tinynet.fast.step, or None
    when opt is not exactly SGD or Adam (a subclass may change the update).

    >>> as_plain(optim.SGD(0.5), [])
    ('sgd', (0.5, 0.0), None)
    """
    params = [((i, name), getattr(layer, name)) for i, layer in enumerate(layers)
              for name in layer.params]
    if type(opt) is optim.Adam:
        moments = [_from_state(opt.state, key, p, 0) for key, p in params]
        second = [_from_state(opt.state, key, p, 1) for key, p in params]
        return ("adam", (opt.learning_rate, opt.weight_decay, opt.beta1, opt.beta2, opt.eps),
                (opt.state.get("t", 0), moments, second))
    if type(opt) is not optim.SGD:
        return None
    hyper = (opt.learning_rate, opt.weight_decay)
    if not opt.momentum:
        return "sgd", hyper, None
    kind = "nesterov" if opt.nesterov else "momentum"
    return kind, hyper + (opt.momentum,), [_from_state(opt.state, key, p, None) for key, p in params]


def set_plain_state(opt: optim.Optimizer, layers: Sequence[Any], state: Any) -> None:
    """Put the state of a compiled step (see as_plain) back into opt.state."""
    if state is None:
        return
    keys = [(i, name) for i, layer in enumerate(layers) for name in layer.params]
    if type(opt) is optim.Adam:
        t, moments, second = state
        opt.state["t"] = t
        for key, m, s in zip(keys, moments, second):
            _to_state(opt.state, key, m, s)
    else:
        for key, v in zip(keys, state):
            _to_state(opt.state, key, v, None)


def _from_state(state: Dict[Hashable, Any], key: Hashable, p: list, pick: Optional[int]) -> list:
    # the running values for parameter p, rows keyed (key, r) as update keys them
    if p and isinstance(p[0], list):
        return [_from_state(state, (key, r), row, pick) for r, row in enumerate(p)]
    value = state.get(key)
    if value is None:
        return [0.0] * len(p)
    return list(value if pick is None else value[pick])


def _to_state(state: Dict[Hashable, Any], key: Hashable, v: list, s: Optional[list]) -> None:
    if v and isinstance(v[0], list):
        for r, row in enumerate(v):
            _to_state(state, (key, r), row, None if s is None else s[r])
        return
    state[key] = v if s is None else (v, s)
