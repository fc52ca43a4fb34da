"""Optimizers: steps worked by hand, convergence on a quadratic, look-up."""

import math

import pytest

from tinynet import TinynetError
from tinynet import optim


def test_sgd_step_by_hand():
    assert optim.SGD(0.1).update_vector("k", [1.0, -2.0], [0.5, -1.0]) == [0.95, -1.9]


def test_momentum_by_hand():
    opt = optim.SGD(0.1, momentum=0.9)
    p = opt.update_vector("k", [1.0], [1.0])        # v = -0.1, p = 0.9
    assert math.isclose(p[0], 0.9)
    p = opt.update_vector("k", p, [1.0])            # v = -0.09 - 0.1 = -0.19
    assert math.isclose(p[0], 0.9 - 0.19)


def test_nesterov_by_hand():
    opt = optim.SGD(0.1, momentum=0.9, nesterov=True)
    p = opt.update_vector("k", [1.0], [1.0])        # v = -0.1; p + mu v - lr g
    assert math.isclose(p[0], 1.0 + 0.9 * -0.1 - 0.1)


def test_adam_by_hand():
    opt = optim.Adam(0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    g = 0.5
    m, s = 0.1 * g, 0.001 * g * g                   # after one step
    m_hat, s_hat = m / (1 - 0.9), s / (1 - 0.999)
    expected = 2.0 - 0.01 * m_hat / (math.sqrt(s_hat) + 1e-8)
    assert math.isclose(opt.update_vector("k", [2.0], [g])[0], expected, rel_tol=1e-12)


def test_weight_decay_adds_lambda_w():
    opt = optim.SGD(0.1)
    assert opt.update_vector("k", [2.0], [0.0], decay=0.5) == [2.0 - 0.1 * 0.5 * 2.0]


class _Quadratic:
    """A one-'layer' problem: minimise sum_i c_i (w_i - t_i)^2."""

    params = ("weights", "biases")

    def __init__(self):
        self.c, self.t = [1.0, 10.0], [3.0, -2.0]
        self.weights = [[0.0, 0.0]]
        self.biases = [5.0]

    def compute_grads(self):
        w = self.weights[0]
        self.grads = {"weights": [[2 * c * (wi - ti) for c, wi, ti in zip(self.c, w, self.t)]],
                      "biases": [2 * (self.biases[0] - 1.0)]}

    def error(self):
        w = self.weights[0]
        return max(abs(w[0] - 3.0), abs(w[1] + 2.0), abs(self.biases[0] - 1.0))


@pytest.mark.parametrize("opt", [optim.SGD(0.04), optim.SGD(0.02, momentum=0.9),
                                 optim.SGD(0.02, momentum=0.9, nesterov=True),
                                 optim.Adam(0.1)])
def test_optimizers_converge_on_a_quadratic(opt):
    q = _Quadratic()
    for _ in range(500):
        q.compute_grads()
        opt.step([q])
    assert q.error() < 1e-3, (opt, q.weights, q.biases)


def test_momentum_beats_plain_sgd_on_an_ill_conditioned_quadratic():
    def steps_to_converge(opt):
        q = _Quadratic()
        for i in range(1, 5000):
            q.compute_grads()
            opt.step([q])
            if q.error() < 1e-6:
                return i
        return 5000
    assert steps_to_converge(optim.SGD(0.02, momentum=0.9)) < steps_to_converge(optim.SGD(0.02))


def test_get_by_name_and_instance():
    sgd = optim.SGD(0.3)
    assert optim.get(sgd) is sgd
    assert isinstance(optim.get("adam", 0.01), optim.Adam)
    assert optim.get("sgd", 0.2).learning_rate == 0.2
    with pytest.raises(TinynetError, match="optimizer: unknown name 'rmsprop'; valid names: sgd, adam"):
        optim.get("rmsprop")


@pytest.mark.parametrize("make, message", [
    (lambda: optim.SGD(-1.0), "SGD: learning_rate must be a number > 0, got -1.0"),
    (lambda: optim.SGD(0.1, momentum=1.0), "SGD: momentum must be a number >= 0 and < 1"),
    (lambda: optim.SGD(0.1, nesterov=True), "SGD: nesterov needs momentum > 0"),
    (lambda: optim.Adam(0.1, beta1=1.5), "Adam: beta1 must be a number >= 0 and < 1"),
    (lambda: optim.Adam(0.1, eps=0), "Adam: eps must be a number > 0"),
    (lambda: optim.Adam(float("nan")), "Adam: learning_rate must be a number > 0"),
    (lambda: optim.SGD(0.1, weight_decay=-1), "SGD: weight_decay must be a number >= 0"),
])
def test_bad_settings(make, message):
    with pytest.raises(TinynetError) as info:
        make()
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("make", [lambda: optim.SGD(0.5), lambda: optim.SGD(0.5, momentum=0.9),
                                  lambda: optim.Adam(0.1)])
def test_optimizers_update_parameters_of_any_depth(make):
    # A (filters, channels, kh, kw) kernel, as a convolution layer has, and a
    # vector: every entry moves as the same entry of a flat parameter would.
    class Kernel:
        params, decay = ("kernel", "bias"), ()

        def __init__(self):
            self.kernel = [[[[0.1 * (f + c + i + j) for j in range(2)] for i in range(2)]
                            for c in range(3)] for f in range(2)]
            self.bias = [0.5, -0.5]
            self.grads = {"kernel": [[[[0.01 * (f - c + i * j) for j in range(2)]
                                       for i in range(2)] for c in range(3)] for f in range(2)],
                          "bias": [1.0, -1.0]}

    def flat(v):
        return [x for item in v for x in flat(item)] if isinstance(v, list) else [v]

    deep, opt = Kernel(), make()
    opt.step([deep])
    flat_opt = make()
    expected = flat_opt.update_vector("k", flat(Kernel().kernel), flat(Kernel().grads["kernel"]))
    assert flat(deep.kernel) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert len(deep.kernel) == 2 and len(deep.kernel[0][0][0]) == 2
