"""The benchmark's two trainings written for other frameworks, each when installed.

compare_numpy.py times these beside tinynet: the article's 3-4-1 network
(no biases, sigmoid, sum of squares, the whole gradient added each
iteration) and one epoch of the 64-32-10 digits network (ReLU, softmax,
cross-entropy, batch 32, SGD or Adam). Each builder takes plain lists and
returns a function that runs the workload and returns what it trained, so
the caller can check it against tinynet's weights.

- micrograd (Karpathy's scalar autograd): it has no exp or log, so the
  sigmoid, exp and log ops are added below in its own style (a Value whose
  _backward adds the local derivative times out.grad).
- PyTorch: float64 tensors, so its numbers can be checked against tinynet's;
  one thread (torch.set_num_threads(1)), as the pure-Python code has.
- scikit-learn: MLPClassifier.partial_fit, one epoch of minibatches; it
  starts from its own weights, so only its time is comparable.

Nothing here is imported unless the framework is: ``available(name)`` says.
"""

from __future__ import annotations

import importlib
import math
from typing import Any, Callable, List, Optional, Sequence, Tuple

FRAMEWORKS = ("micrograd", "torch", "sklearn")


def load(name: str) -> Any:
    """Return the framework's module, or None when it is not installed."""
    try:
        module = importlib.import_module({"sklearn": "sklearn.neural_network"}.get(name, name))
    except ImportError:
        return None
    if name == "torch":
        module.set_num_threads(1)
    return module


def version(name: str) -> Optional[str]:
    """Return the installed version of a framework, or None."""
    try:
        from importlib import metadata
        return metadata.version({"sklearn": "scikit-learn", "torch": "torch"}.get(name, name))
    except Exception:  # not installed, or no metadata on an old Python
        return None


# --- micrograd, with the ops it lacks -----------------------------------------------------------

def _micro_op(engine: Any, v: Any, data: float, slope: float, op: str) -> Any:
    out = engine.Value(data, (v,), op)

    def _backward():
        v.grad += slope * out.grad
    out._backward = _backward
    return out


def micro_sigmoid(engine: Any, v: Any) -> Any:
    s = 1.0 / (1.0 + math.exp(-v.data))
    return _micro_op(engine, v, s, s * (1.0 - s), "sigmoid")


def micro_exp(engine: Any, v: Any) -> Any:
    e = math.exp(v.data)
    return _micro_op(engine, v, e, e, "exp")


def micro_log(engine: Any, v: Any) -> Any:
    return _micro_op(engine, v, math.log(v.data), 1.0 / v.data, "log")


def micrograd_article(x: list, y: list, w1: list, w2: list,
                      iterations: int) -> Callable[[], List[list]]:
    """The article's training with micrograd Values: returns the final (w1, w2)."""
    engine = load("micrograd.engine")
    V = engine.Value

    def run():
        W1 = [[V(v) for v in row] for row in w1]
        W2 = [[V(v) for v in row] for row in w2]
        params = [p for m in (W1, W2) for row in m for p in row]
        for _ in range(iterations):
            loss = V(0.0)
            for row, target in zip(x, y):
                h = [micro_sigmoid(engine, sum((xi * W1[i][j] for i, xi in enumerate(row)),
                                               V(0.0))) for j in range(len(W1[0]))]
                out = micro_sigmoid(engine, sum((hj * W2[j][0] for j, hj in enumerate(h)),
                                                V(0.0)))
                loss = loss + (out - target[0]) ** 2
            for p in params:
                p.grad = 0.0
            loss.backward()
            for p in params:
                p.data -= p.grad
        return [[[p.data for p in row] for row in m] for m in (W1, W2)]
    return run


def micrograd_digits_epoch(batches: Sequence[Tuple[list, list]], start: Sequence[list],
                           lr: float) -> Callable[[], None]:
    """One SGD epoch of 64-32-10 on the batches, with micrograd Values."""
    engine = load("micrograd.engine")
    V = engine.Value
    w1, b1, w2, b2 = [[[V(v) for v in r] for r in p] if isinstance(p[0], list)
                      else [V(v) for v in p] for p in start]
    params = [p for m in (w1, w2) for row in m for p in row] + b1 + b2

    def layer(inputs, w, b, relu):
        outs = [sum((xi * w[i][j] for i, xi in enumerate(inputs)), b[j]) for j in range(len(b))]
        return [o.relu() for o in outs] if relu else outs

    def run():
        for xb, yb in batches:
            loss = V(0.0)
            for row, target in zip(xb, yb):
                z = layer(layer(row, w1, b1, True), w2, b2, False)
                top = max(v.data for v in z)
                e = [micro_exp(engine, v - top) for v in z]
                loss = loss - micro_log(engine, e[target.index(1.0)] / sum(e, V(0.0)))
            loss = loss * (1.0 / len(xb))
            for p in params:
                p.grad = 0.0
            loss.backward()
            for p in params:
                p.data -= lr * p.grad
    return run


# --- PyTorch ----------------------------------------------------------------------------------

def torch_article(x: list, y: list, w1: list, w2: list,
                  iterations: int) -> Callable[[], List[list]]:
    """The article's training in PyTorch (autograd, float64): returns (w1, w2)."""
    torch = load("torch")
    xt, yt = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)

    def run():
        W1 = torch.tensor(w1, dtype=torch.float64, requires_grad=True)
        W2 = torch.tensor(w2, dtype=torch.float64, requires_grad=True)
        for _ in range(iterations):
            out = torch.sigmoid(torch.sigmoid(xt @ W1) @ W2)
            loss = ((out - yt) ** 2).sum()
            loss.backward()
            with torch.no_grad():
                W1 -= W1.grad
                W2 -= W2.grad
                W1.grad.zero_()
                W2.grad.zero_()
        return [W1.detach().tolist(), W2.detach().tolist()]
    return run


def torch_digits_epoch(batches: Sequence[Tuple[list, list]], start: Sequence[list], lr: float,
                       optimizer: str) -> Callable[[], Any]:
    """One epoch of 64-32-10 in PyTorch (float64, one thread); returns the first weights."""
    torch = load("torch")
    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).double()
    with torch.no_grad():  # tinynet's weights are (n_in, n_out); torch's are (n_out, n_in)
        for layer, w, b in ((model[0], start[0], start[1]), (model[2], start[2], start[3])):
            layer.weight.copy_(torch.tensor(w, dtype=torch.float64).T)
            layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
    opt = (torch.optim.Adam(model.parameters(), lr=lr, eps=1e-8) if optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=lr))
    data = [(torch.tensor(xb, dtype=torch.float64), torch.tensor(yb, dtype=torch.float64))
            for xb, yb in batches]
    loss_fn = nn.CrossEntropyLoss()

    def run():
        for xb, yb in data:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        return model[0].weight.detach().T.tolist()
    return run


# --- scikit-learn -------------------------------------------------------------------------------

def sklearn_digits_epoch(x: list, labels: list, lr: float, optimizer: str,
                         batch: int) -> Callable[[], Any]:
    """One epoch of scikit-learn's MLPClassifier (64-32-10, ReLU, softmax) by partial_fit."""
    mlp = load("sklearn")
    model = mlp.MLPClassifier(hidden_layer_sizes=(32,), activation="relu", solver=optimizer,
                              batch_size=batch, learning_rate_init=lr, alpha=0.0,
                              momentum=0.0, nesterovs_momentum=False, shuffle=False,
                              random_state=1)
    classes = sorted(set(labels))

    def run():
        model.partial_fit(x, labels, classes=classes)
        return model
    return run
