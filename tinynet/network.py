"""The Network: a stack of layers trained by backpropagation.

Shapes: x is (n, n_in), one sample a row; y is (n, n_out). Each Dense layer
holds weights (n_in, n_out) and biases (n_out,), as in the article.

Training, one step on a batch (x, y):

1. feedforward: a_0 = x, a_l = f_l(a_(l-1) @ W_l + b_l); y_hat = a_L
2. loss: L(y_hat, y), e.g. the article's sum of squares
3. backpropagation, the chain rule from the top: delta_L = dL/dy_hat, then
   each layer turns dL/d(its output) into its gradients and dL/d(its input)
4. gradient descent: W <- W - learning_rate dL/dW (or another optimizer)

>>> from tinynet.data import xor
>>> x, y = xor()
>>> net = Network([3, 4, 1], seed=1)
>>> history = net.fit(x, y, epochs=1500, learning_rate=0.5)
>>> history.loss[-1] < history.loss[0]
True
>>> [round(v) for row in net.predict(x) for v in row]
[0, 1, 1, 0]
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import activations, compiled, losses, optim, serialize
from .checks import describe, number, positive_int, rng as seeded_rng
from .errors import ShapeError, TinynetError, TrainingDiverged
from .layers import Dense, Layer
from .matrix import Matrix, as_matrix, class_indices
from .progress import ProgressBar

__all__ = ["Network", "History", "class_indices"]

# Divergence: a parameter (or its gradient) whose entries average more than
# this in absolute value has exploded. Sane weights are O(1) to O(1e3), even
# for unscaled targets; SGD at lr 1e6 on a ReLU + cross-entropy net passes
# 1e10 within a few hundred epochs while the clamped loss sits, finite, at
# its maximum.
EXPLODED = 1e8


class History:
    """What fit measured, one value per epoch.

    ``loss`` is always there; ``val_loss`` when there is validation data;
    ``accuracy`` and ``val_accuracy`` for classifiers. Lists not measured
    stay empty. ``best_epoch`` is the epoch whose weights the network kept
    (with early stopping), and ``stopped_early`` says whether it stopped
    before ``epochs``.
    """

    def __init__(self) -> None:
        self.loss: List[float] = []
        self.val_loss: List[float] = []
        self.accuracy: List[float] = []
        self.val_accuracy: List[float] = []
        self.best_epoch: Optional[int] = None
        self.stopped_early = False

    def record(self, logs: Dict[str, float]) -> None:
        """Append one epoch's measurements to their lists.

        >>> history = History()
        >>> history.record({"loss": 0.5}); history.loss
        [0.5]
        """
        for key, value in logs.items():
            getattr(self, key).append(value)

    @property
    def epochs(self) -> int:
        """The number of epochs run."""
        return len(self.loss)

    def as_dict(self) -> Dict[str, Any]:
        """Return the measurements as a plain dict (JSON-ready)."""
        return {"loss": self.loss, "val_loss": self.val_loss, "accuracy": self.accuracy,
                "val_accuracy": self.val_accuracy, "best_epoch": self.best_epoch,
                "stopped_early": self.stopped_early}

    def __repr__(self) -> str:
        last = f", loss={self.loss[-1]:.6g}" if self.loss else ""
        return f"History(epochs={self.epochs}{last})"


class Network:
    """A feed-forward neural network.

    ``Network([3, 4, 1])`` builds Dense layers 3 -> 4 -> 1 with the given
    activation (``output_activation`` for the last layer, by default the
    same), the named loss, and weights from ``random.Random(seed)``. A list
    of layer objects is accepted instead of sizes.

    If ``standardizer`` is set (see tinynet.data.Standardizer), every method
    that takes x standardizes it first. ``classes``, ``feature_names`` and
    ``target_name`` are metadata that save/load carry along.

    >>> Network([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=0)
    Network([2, 3, 1], activation='tanh', output_activation='sigmoid', loss='sse')

    Raises TinynetError for fewer than two sizes, a size that is not a
    positive integer, layers whose sizes do not chain, or an unknown
    activation, loss or initialisation.
    """

    def __init__(self, layers_or_sizes: Sequence[Union[int, Layer]], *,
                 activation: str = "sigmoid", output_activation: Optional[str] = None,
                 loss: str = "sse", init: Optional[str] = None, seed: Optional[int] = None):
        self.layers: List[Layer] = _build_layers(
            layers_or_sizes, activation, output_activation, init, seed)
        self.loss_function = losses.get(loss)
        self.classes: Optional[List[Any]] = None
        self.feature_names: Optional[List[str]] = None
        self.target_name: Optional[str] = None
        self.standardizer: Any = None

    # --- shapes and inputs ---------------------------------------------------

    @property
    def n_in(self) -> int:
        """Number of input features."""
        return self.layers[0].n_in

    @property
    def n_out(self) -> int:
        """Number of outputs."""
        return self.layers[-1].n_out

    @property
    def sizes(self) -> List[int]:
        """Layer widths from input to output, e.g. [3, 4, 1]."""
        return [self.n_in] + [layer.n_out for layer in self.layers]

    def _inputs(self, x: Any, op: str) -> Matrix:
        x = as_matrix(x, op=f"{op}: x")
        if len(x[0]) != self.n_in:
            raise ShapeError(f"{op}: x has {len(x[0])} columns, the network takes {self.n_in}")
        if self.standardizer is not None:
            x = self.standardizer.transform(x)
        return x

    def _targets(self, y: Any, n: int, op: str) -> Matrix:
        y = as_matrix(y, op=f"{op}: y")
        if len(y[0]) != self.n_out:
            raise ShapeError(f"{op}: y has {len(y[0])} columns, the network outputs {self.n_out}")
        if len(y) != n:
            raise ShapeError(f"{op}: x has {n} rows but y has {len(y)}")
        return y

    def _data(self, x: Any, y: Any, op: str) -> Tuple[Matrix, Matrix]:
        x = self._inputs(x, op)
        return x, self._targets(y, len(x), op)

    # --- the forward pass ----------------------------------------------------

    def _forward(self, x: Matrix) -> Matrix:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x: Any) -> Matrix:
        """Return the network's outputs y_hat for the inputs x, shape (n, n_out).

        >>> net = Network([2, 1], activation="identity", seed=0)
        >>> net.layers[0].weights = [[1.0], [2.0]]
        >>> net.forward([[1.0, 1.0], [0.0, 1.0]])
        [[3.0], [2.0]]

        Raises TinynetError / ShapeError for bad x.
        """
        return self._forward(self._inputs(x, "Network.forward"))

    def predict(self, x: Any) -> Matrix:
        """Return the outputs for x, like forward (the name users expect).

        >>> Network([2, 1], activation="sigmoid", seed=0).predict([[0.0, 0.0]])
        [[0.5]]
        """
        return self._forward(self._inputs(x, "Network.predict"))

    def predict_proba(self, x: Any) -> Matrix:
        """Return class probabilities: the softmax rows, or for one sigmoid
        output p, the rows [1 - p, p].

        >>> Network([2, 1], seed=0).predict_proba([[0.0, 0.0]])
        [[0.5, 0.5]]
        """
        out = self._forward(self._inputs(x, "Network.predict_proba"))
        if self.n_out == 1:
            return [[1.0 - row[0], row[0]] for row in out]
        return out

    def predict_classes(self, x: Any) -> List[int]:
        """Return class indices: the argmax of each row, or 1 if p >= 0.5
        else 0 for a single output.

        >>> Network([2, 1], seed=0).predict_classes([[0.0, 0.0]])
        [1]
        """
        out = self._forward(self._inputs(x, "Network.predict_classes"))
        return class_indices(out)

    def predict_labels(self, x: Any) -> List[Any]:
        """Return the class labels (from ``classes``) that predict_classes picks.

        Raises TinynetError if the network has no ``classes``.
        """
        classes = self.classes
        if not classes:
            raise TinynetError("Network.predict_labels: the network has no classes; "
                               "set net.classes or use predict_classes")
        needed = 2 if self.n_out == 1 else self.n_out
        if len(classes) < needed:
            raise TinynetError(f"Network.predict_labels: the network has {needed} classes "
                               f"but net.classes names only {len(classes)}")
        return [classes[i] for i in self.predict_classes(x)]

    # --- loss and gradients --------------------------------------------------

    def loss(self, x: Any, y: Any) -> float:
        """Return the loss L(forward(x), y) as a float.

        >>> net = Network([1, 1], activation="identity", seed=0)
        >>> net.layers[0].weights = [[2.0]]
        >>> net.loss([[1.0]], [[3.0]])   # (2 - 3)^2
        1.0
        """
        x, y = self._data(x, y, "Network.loss")
        return self.loss_function.value(self._forward(x), y)

    def _backward(self, y_hat: Matrix, y: Matrix) -> None:
        # Backpropagation, layer by layer: the article's backprop() in
        # tinynet/article.py. Its lines and where they are on this path:
        #   2 (y - output) * sigmoid'(output)  the output delta, below (there
        #       negated), = losses.sse_gradient * f'(z) in Dense.backward
        #   d_weights2 = layer1^T @ e          Dense.backward_linear: dW = x^T delta
        #   (e @ W2^T) * sigmoid'(layer1)      backward_linear's dx = delta W^T,
        #       then the layer below's Dense.backward: dL/dz = dL/da * f'(z)
        layers, top, short = self.layers, self.layers[-1], self._short_form()
        below = len(layers) > 1
        if short is not None:  # softmax + cross-entropy, sigmoid + BCE: dL/dz, stabler
            delta = top.backward_linear(short(y_hat, y), below)  # output delta: (n, n_out)
        else:  # from dL/dy_hat, (n, n_out); the output delta is backward's first line
            delta = top.backward(self.loss_function.gradient(y_hat, y), below)
        for i in range(len(layers) - 2, -1, -1):  # the first layer's dL/dx is never used
            delta = layers[i].backward(delta, input_grad=i > 0)  # dL/d(input of layer i): (n, n_in)

    def _short_form(self) -> Optional[Callable[[Matrix, Matrix], Matrix]]:
        # The loss's short form of dL/dz for the output activation, if any
        top = self.layers[-1]
        act = getattr(getattr(top, "activation", None), "name", None)
        short = self.loss_function.short_forms.get(act)
        return short if short is not None and hasattr(top, "backward_linear") else None

    def gradients(self, x: Any, y: Any) -> List[Tuple[Any, ...]]:
        """Return dLoss/dparameters: per layer, one gradient per name in its
        params, e.g. (d_weights, d_biases) for Dense.

        Each has exactly the shape of its parameter.

        >>> net = Network([1, 1], activation="identity", seed=0)
        >>> net.layers[0].weights = [[2.0]]
        >>> net.gradients([[1.0]], [[3.0]])   # dL/dw = 2 (w x + b - y) x
        [([[-2.0]], [-2.0])]
        """
        x, y = self._data(x, y, "Network.gradients")
        self._backward(self._forward(x), y)
        return [tuple(layer.grads[name] for name in layer.params) for layer in self.layers]

    def _train_step(self, x: Matrix, y: Matrix, optimizer: optim.Optimizer) -> Tuple[float, Matrix]:
        y_hat = self._forward(x)
        loss = self.loss_function.value(y_hat, y)
        self._backward(y_hat, y)
        optimizer.step(self.layers)
        return loss, y_hat

    def step(self, x: Any, y: Any, learning_rate: float) -> float:
        """Make one gradient-descent step on (x, y); return the loss before it.

        W <- W - learning_rate dL/dW, and the same for every bias.

        >>> net = Network([1, 1], activation="identity", seed=0)
        >>> net.layers[0].weights = [[2.0]]
        >>> net.step([[1.0]], [[3.0]], 0.25), net.layers[0].weights, net.layers[0].biases
        (1.0, [[2.5]], [0.5])

        Raises TinynetError for bad data or a learning rate <= 0.
        """
        x, y = self._data(x, y, "Network.step")
        loss, _ = self._train_step(x, y, optim.SGD(learning_rate))
        return loss

    # --- training ------------------------------------------------------------

    def fit(self, x: Any, y: Any, *, epochs: int, learning_rate: Optional[float] = None,
            optimizer: Union[str, optim.Optimizer] = "sgd", batch_size: Optional[int] = None,
            shuffle: bool = True, seed: Optional[int] = None,
            validation_data: Optional[Tuple[Any, Any]] = None,
            validation_split: Optional[float] = None, patience: Optional[int] = None,
            min_delta: float = 0.0, callback: Optional[Callable[[int, Dict[str, float]], Any]] = None,
            verbose: bool = False) -> History:
        """Train on (x, y) for ``epochs`` passes; return the History.

        - learning_rate: the step size (default: the optimizer's own,
          optim.default_learning_rate(name): 0.1 for sgd, 0.001 for adam);
          optimizer: "sgd", "adam" or an Optimizer instance.
        - batch_size: rows per step; None means the full batch (the article).
        - shuffle: reshuffle the rows every epoch, from random.Random(seed).
        - validation_data=(x_val, y_val), or validation_split: the fraction of
          rows (drawn by seed) held out to measure val_loss.
        - patience: stop after that many epochs without improvement of more
          than min_delta in val_loss (or loss, without validation); the best
          weights are restored.
        - callback(epoch, logs): called after each epoch with that epoch's
          measurements; returning True stops training.
        - verbose: a progress bar on stderr.

        The caller's x and y are never modified.

        >>> from tinynet.data import xor
        >>> x, y = xor()
        >>> h = Network([3, 4, 1], seed=0).fit(x, y, epochs=3)
        >>> len(h.loss)
        3

        Every option is checked before the first epoch.

        Raises TinynetError for bad data or options, and TrainingDiverged
        (a TinynetError) if the loss becomes NaN or infinite, or a weight or
        gradient infinite or exploding (naming the epoch and learning rate).
        """
        x, y = self._data(x, y, "Network.fit")
        opt = _fit_options(epochs, learning_rate, optimizer, batch_size, shuffle, patience,
                           min_delta, callback, verbose)
        rng = seeded_rng("Network.fit", seed)
        x, y, x_val, y_val = self._validation(x, y, validation_data, validation_split, rng)
        trainer = _Trainer(self, opt, x, y, x_val, y_val, batch_size, shuffle, rng)
        for layer in self.layers:
            layer.training = True
        try:
            return trainer.run(epochs, patience, number("Network.fit", "min_delta", min_delta),
                               callback, verbose)
        finally:
            for layer in self.layers:
                layer.training = False

    def _validation(self, x, y, validation_data, validation_split, rng):
        op = "Network.fit"
        if validation_data is not None and validation_split is not None:
            raise TinynetError(f"{op}: give validation_data or validation_split, not both")
        if validation_data is not None:
            try:
                x_val, y_val = validation_data
            except (TypeError, ValueError):
                raise TinynetError(f"{op}: validation_data must be a pair (x_val, y_val)") from None
            x_val = self._inputs(x_val, f"{op}: validation_data")
            return x, y, x_val, self._targets(y_val, len(x_val), f"{op}: validation_data")
        if validation_split is None:
            return x, y, None, None
        if (isinstance(validation_split, bool) or not isinstance(validation_split, (int, float))
                or not 0.0 < validation_split < 1.0):
            raise TinynetError(f"{op}: validation_split must be a fraction in (0, 1), "
                               f"got {validation_split!r}")
        n_val = int(round(len(x) * validation_split))
        if not 0 < n_val < len(x):
            raise TinynetError(f"{op}: validation_split={validation_split} of {len(x)} rows "
                               f"leaves an empty training or validation set")
        order = list(range(len(x)))
        rng.shuffle(order)
        held, kept = order[:n_val], order[n_val:]
        return ([x[i] for i in kept], [y[i] for i in kept],
                [x[i] for i in held], [y[i] for i in held])

    @property
    def is_classifier(self) -> bool:
        """True for a network trained with a cross-entropy loss or given classes."""
        return bool(self.classes) or self.loss_function.name in (
            "cross_entropy", "binary_cross_entropy")

    # --- parameters ----------------------------------------------------------

    def get_parameters(self) -> List[Dict[str, Any]]:
        """Return a deep copy of every layer's parameters, e.g. to restore later."""
        return [{name: _copy(getattr(layer, name)) for name in layer.params}
                for layer in self.layers]

    def set_parameters(self, parameters: List[Dict[str, Any]]) -> None:
        """Put back parameters from get_parameters (copied, not shared)."""
        for layer, params in zip(self.layers, parameters):
            for name, value in params.items():
                setattr(layer, name, _copy(value))

    # --- save and load -------------------------------------------------------

    def save(self, path: str) -> None:
        """Write the network to path as JSON, atomically (see tinynet.serialize)."""
        serialize.save(self, path)

    @classmethod
    def load(cls, path: str) -> "Network":
        """Return the network saved at path (see tinynet.serialize)."""
        return serialize.load(path)

    def __repr__(self) -> str:
        acts = [getattr(getattr(layer, "activation", None), "name", None) for layer in self.layers]
        if all(isinstance(layer, Dense) for layer in self.layers) and len(set(acts[:-1])) <= 1:
            hidden = acts[0] if len(acts) > 1 else acts[-1]
            return (f"Network({self.sizes}, activation={hidden!r}, "
                    f"output_activation={acts[-1]!r}, loss={self.loss_function.name!r})")
        return f"Network({self.layers!r}, loss={self.loss_function.name!r})"


class _Trainer:
    """The loop behind Network.fit: epochs of shuffled batches, measurements,
    early stopping and the divergence check."""

    def __init__(self, net, optimizer, x, y, x_val, y_val, batch_size, shuffle, rng):
        self.net, self.optimizer = net, optimizer
        self.x, self.y, self.x_val, self.y_val = x, y, x_val, y_val
        self.batch_size = batch_size or len(x)
        self.shuffle, self.rng = shuffle, rng
        self.classify = net.is_classifier
        self.targets = class_indices(y) if self.classify else None
        self.val_targets = class_indices(y_val) if self.classify and y_val else None
        # Speed behind the door: a small Dense network trains by its whole step
        # written out as Python (tinynet/compiled.py), the same arithmetic as
        # net._train_step. None inside tinynet.reference(): every step then
        # goes through the layers.
        self.compiled = compiled.CompiledSteps.of(net, optimizer)

    def run(self, epochs, patience, min_delta, callback, verbose) -> History:
        if self.compiled is not None and self.one_batch(patience, callback, verbose):
            return self.run_compiled(epochs, min_delta)
        return self.run_steps(epochs, patience, min_delta, callback, verbose)

    def run_steps(self, epochs, patience, min_delta, callback, verbose) -> History:
        history = History()
        best, best_params, waited = math.inf, None, 0
        bar = _progress_bar(epochs) if verbose else None
        try:
            for epoch in range(1, epochs + 1):
                logs = self.epoch(epoch)
                history.record(logs)
                if bar is not None:  # the losses only, so the line fits a terminal
                    bar.update(epoch, **{k: v for k, v in logs.items() if k.endswith("loss")})
                monitored = logs.get("val_loss", logs["loss"])
                if monitored < best - min_delta:
                    best, waited, history.best_epoch = monitored, 0, epoch
                    if patience is not None:
                        best_params = self.net.get_parameters()
                else:
                    waited += 1
                if callback is not None and callback(epoch, dict(logs)) is True:
                    history.stopped_early = epoch < epochs
                    break
                if patience is not None and waited >= patience:
                    history.stopped_early = True
                    break
        finally:
            self.finish(bar)
        if best_params is not None:
            self.net.set_parameters(best_params)
        return history

    def finish(self, bar: Optional[ProgressBar]) -> None:
        """Close the progress bar; put back what the compiled step holds."""
        if bar is not None:
            bar.close()
        if self.compiled is not None:
            self.compiled.sync(self.net, self.optimizer)

    def epoch(self, epoch: int) -> Dict[str, float]:
        x, y, size = self.x, self.y, self.batch_size
        order = list(range(len(x)))
        if self.shuffle and size < len(x):
            self.rng.shuffle(order)
        total, correct = 0.0, 0
        for start in range(0, len(order), size):
            idx = order[start:start + size]
            xb = x if size >= len(x) else [x[i] for i in idx]
            yb = y if size >= len(x) else [y[i] for i in idx]
            loss, y_hat = self.step(xb, yb)
            if not math.isfinite(loss):
                raise TrainingDiverged(
                    f"Network.fit: the loss became {loss} at epoch {epoch}; "
                    f"try a lower learning rate (it is {self.optimizer.learning_rate})")
            total += loss * len(idx)
            if self.classify:
                targets = self.targets
                correct += sum(p == targets[i] for p, i in zip(class_indices(y_hat), idx))
        if self.compiled is not None:
            self.compiled.sync(self.net)
        self.check_parameters(epoch)
        logs = {"loss": total / len(x)}
        if self.classify:
            logs["accuracy"] = correct / len(x)
        return self.validate(logs)

    def step(self, x: Matrix, y: Matrix) -> Tuple[float, Matrix]:
        """One step on the batch (x, y); return its loss and y_hat."""
        if self.compiled is not None:
            return self.compiled.train_step(x, y)
        return self.net._train_step(x, y, self.optimizer)

    def validate(self, logs: Dict[str, float]) -> Dict[str, float]:
        """Add val_loss (and val_accuracy) to logs when there is validation data."""
        if self.x_val is not None:
            y_hat = self.net._forward(self.x_val)
            logs["val_loss"] = self.net.loss_function.value(y_hat, self.y_val)
            if self.classify:
                hits = sum(p == t for p, t in zip(class_indices(y_hat), self.val_targets))
                logs["val_accuracy"] = hits / len(self.x_val)
        return logs

    def one_batch(self, patience, callback, verbose) -> bool:
        """True when every epoch is one step on the whole batch and nothing
        looks at the network between epochs."""
        return (self.batch_size >= len(self.x) and self.x_val is None and not self.classify
                and patience is None and callback is None and not verbose)

    def run_compiled(self, epochs: int, min_delta: float) -> History:
        # All the epochs in one call of the compiled step. If the run went
        # wrong it is made again through the layers, which raise
        # TrainingDiverged at the epoch where it did.
        losses = self.compiled.fit_whole(self.net, self.optimizer, self.x, self.y, epochs,
                                         self.check_parameters)
        if losses is None:
            self.compiled = None
            return self.run_steps(epochs, None, min_delta, None, False)
        history, best, n = History(), math.inf, len(self.x)
        for epoch, loss in enumerate(losses, 1):
            history.loss.append(loss * n / n)  # as run_steps averages, to the bit
            if loss < best - min_delta:
                best, history.best_epoch = loss, epoch
        return history

    def check_parameters(self, epoch: int) -> None:
        """Raise TrainingDiverged if a weight or gradient is not finite or exploded.

        One sum of absolute values per parameter and gradient, once an epoch.
        """
        for i, layer in enumerate(self.net.layers):
            for name in layer.params:
                grad = getattr(layer, "grads", {}).get(name)
                for what, value in ((name, getattr(layer, name)), (f"gradient of {name}", grad)):
                    size = _mean_magnitude(value) if value else 0.0
                    if not size <= EXPLODED:  # also NaN
                        raise TrainingDiverged(
                            f"Network.fit: the {what} of layer {i} grew to {size:.3g} on "
                            f"average at epoch {epoch}; try a lower learning rate "
                            f"(it is {self.optimizer.learning_rate})")


def _mean_magnitude(value: Any) -> float:
    # mean |entry| of a nested list of any depth (inf or NaN if any entry is)
    total, count = _abs_sum(value)
    return total / max(count, 1)


def _abs_sum(value: Any) -> Tuple[float, int]:
    if value and isinstance(value[0], list):
        parts = [_abs_sum(v) for v in value]
        return sum(p[0] for p in parts), sum(p[1] for p in parts)
    return sum(map(abs, value)), len(value)


def _fit_options(epochs, learning_rate, optimizer, batch_size, shuffle, patience,
                 min_delta, callback, verbose) -> optim.Optimizer:
    """Check fit's options before the first epoch; return the optimizer."""
    op = "Network.fit"
    positive_int(op, "epochs", epochs)
    for name, value in (("batch_size", batch_size), ("patience", patience)):
        if value is not None:
            positive_int(op, name, value)
    for name, value in (("shuffle", shuffle), ("verbose", verbose)):
        if not isinstance(value, bool):
            raise TinynetError(f"{op}: {name} must be True or False, got {describe(value)}")
    if number(op, "min_delta", min_delta) < 0.0:
        raise TinynetError(f"{op}: min_delta must be >= 0, got {min_delta}")
    if callback is not None and not callable(callback):
        raise TinynetError(f"{op}: callback must be callable or None, got {describe(callback)}")
    if isinstance(optimizer, optim.Optimizer):
        if learning_rate is not None:
            raise TinynetError(f"{op}: give the learning rate to the optimizer instance, "
                               f"not to fit")
        return optimizer
    return optim.get(optimizer, learning_rate)  # each optimizer's own default rate


def _progress_bar(epochs: int) -> ProgressBar:
    return ProgressBar(epochs, width=20)


def _copy(value: Any) -> Any:
    return [_copy(v) for v in value] if isinstance(value, list) else value


def _build_layers(spec, activation, output_activation, init, seed) -> List[Layer]:
    op = "Network"
    if isinstance(spec, (str, bytes)) or not hasattr(spec, "__iter__"):
        raise TinynetError(f"{op}: needs a list of layer sizes or layers, got {describe(spec)}")
    spec = list(spec)
    if spec and all(isinstance(s, int) and not isinstance(s, bool) for s in spec):
        return _dense_stack(spec, activation, output_activation, init, seed)
    if not spec or not all(hasattr(s, "forward") and hasattr(s, "backward") for s in spec):
        raise TinynetError(f"{op}: needs a list of layer sizes (ints) or of layers, "
                           f"got {describe(spec)}")
    return _chain(spec)


def _dense_stack(sizes, activation, output_activation, init, seed) -> List[Layer]:
    # Network([3, 4, 1]): Dense 3 -> 4 -> 1
    op = "Network"
    if len(sizes) < 2:
        raise TinynetError(f"{op}: needs at least two sizes (inputs, outputs), got {sizes}")
    if any(size < 1 for size in sizes):
        raise TinynetError(f"{op}: sizes must be positive integers, got {sizes}")
    activations.get(activation)
    if activation == "softmax" and len(sizes) > 2:
        raise TinynetError(f"{op}: softmax works only as the output activation; "
                           f"use output_activation='softmax'")
    rng, last = seeded_rng(op, seed), len(sizes) - 2
    out_act = output_activation or activation
    return [Dense(n_in, n_out, out_act if i == last else activation, init=init, rng=rng)
            for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))]


def _chain(layers: List[Layer]) -> List[Layer]:
    # Build the layers left without an in_shape, and check that each takes
    # as many values as the one below gives.
    for i, layer in enumerate(layers):
        if getattr(layer, "in_shape", ()) is None:
            if i == 0:
                raise TinynetError(f"Network: layer 0 ({type(layer).__name__}) needs its "
                                   f"input shape")
            layer.build(tuple(layers[i - 1].out_shape))
    for i, (below, above) in enumerate(zip(layers, layers[1:])):
        n_out, n_in = getattr(below, "n_out", None), getattr(above, "n_in", None)
        if n_out is not None and n_in is not None and n_out != n_in:
            raise ShapeError(f"Network: layer {i} outputs {n_out} values but layer {i + 1} "
                             f"takes {n_in}")
    return layers


serialize.use_network(Network)
