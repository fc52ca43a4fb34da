"""Network.fit: batches, shuffling, validation, early stopping, divergence,
callbacks, classification, and the results on real data."""

import io
import math

import pytest

from tinynet import TinynetError, TrainingDiverged
from tinynet import data, metrics
from tinynet.network import History, Network
from tinynet.optim import SGD


def _blobs():
    x, labels = data.moons(120, noise=0.1, seed=3)
    y, _ = data.one_hot(labels)
    return x, y, labels


def test_history_records_every_epoch():
    x, y = data.xor()
    h = Network([3, 4, 1], seed=0).fit(x, y, epochs=7, learning_rate=0.5)
    assert isinstance(h, History) and h.epochs == 7 and len(h.loss) == 7
    assert h.val_loss == [] and h.accuracy == [] and not h.stopped_early


def test_full_batch_history_is_the_loss_before_each_step():
    x, y = data.xor()
    a, b = Network([3, 4, 1], seed=0), Network([3, 4, 1], seed=0)
    h = a.fit(x, y, epochs=5, learning_rate=0.5)
    assert h.loss == [b.step(x, y, 0.5) for _ in range(5)]
    assert a.get_parameters() == b.get_parameters()


def test_shuffling_is_reproducible_by_seed():
    x, y, _ = _blobs()
    nets = [Network([2, 8, 2], activation="tanh", output_activation="softmax",
                    loss="cross_entropy", seed=1) for _ in range(3)]
    h0 = nets[0].fit(x, y, epochs=3, batch_size=16, seed=5)
    h1 = nets[1].fit(x, y, epochs=3, batch_size=16, seed=5)
    h2 = nets[2].fit(x, y, epochs=3, batch_size=16, seed=6)
    assert h0.loss == h1.loss and nets[0].get_parameters() == nets[1].get_parameters()
    assert h2.loss != h0.loss


def test_no_shuffle_batches_in_order():
    x, y, _ = _blobs()
    a = Network([2, 4, 2], output_activation="softmax", loss="cross_entropy", seed=1)
    b = Network([2, 4, 2], output_activation="softmax", loss="cross_entropy", seed=1)
    a.fit(x, y, epochs=1, batch_size=50, shuffle=False, seed=1)
    b.fit(x, y, epochs=1, batch_size=50, shuffle=False, seed=99)
    assert a.get_parameters() == b.get_parameters()


def test_classifier_measures_accuracy_and_validation():
    x, y, _ = _blobs()
    net = Network([2, 8, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=1)
    h = net.fit(x, y, epochs=4, optimizer="adam", learning_rate=0.01, batch_size=16,
                validation_split=0.25, seed=0)
    assert len(h.accuracy) == len(h.val_accuracy) == len(h.val_loss) == 4
    assert all(0.0 <= a <= 1.0 for a in h.accuracy + h.val_accuracy)


def test_validation_data_is_used_as_given():
    x, y, _ = _blobs()
    net = Network([2, 8, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=1)
    h = net.fit(x[:80], y[:80], epochs=2, validation_data=(x[80:], y[80:]))
    assert math.isclose(h.val_loss[-1], net.loss(x[80:], y[80:]), rel_tol=1e-12)


def test_early_stopping_restores_the_best_weights():
    x, y, _ = _blobs()
    net = Network([2, 16, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=2)
    # A learning rate far too high makes validation loss bounce: early
    # stopping must stop and put back the weights of the best epoch.
    snapshots = []
    h = net.fit(x, y, epochs=200, optimizer="sgd", learning_rate=3.0, batch_size=8,
                validation_split=0.3, seed=4, patience=3,
                callback=lambda epoch, logs: snapshots.append(net.get_parameters()))
    assert h.stopped_early and h.epochs < 200
    best = h.val_loss.index(min(h.val_loss))
    assert h.best_epoch == best + 1
    assert net.get_parameters() == snapshots[best]
    assert h.epochs - h.best_epoch == 3  # patience 3: stopped on the 3rd epoch without gain


def test_divergence_raises_with_the_epoch_and_advice():
    x, y = data.xor()
    net = Network([3, 8, 1], activation="identity", seed=0)
    with pytest.raises(TrainingDiverged) as info:
        net.fit([[1e3 * v for v in row] for row in x], y, epochs=50, learning_rate=10.0)
    message = str(info.value)
    assert message.startswith("Network.fit: the ")
    assert "at epoch " in message and "try a lower learning rate (it is 10.0)" in message
    assert isinstance(info.value, TinynetError)


def test_exploding_weights_diverge_even_when_the_loss_looks_calm():
    # SGD at lr 1e6: the clamped cross-entropy sits at its (finite) maximum
    # while the weights run away; the per-epoch check on weights catches it.
    x, y = data.xor()
    net = Network([3, 8, 1], activation="relu", output_activation="sigmoid",
                  loss="binary_cross_entropy", seed=0)
    with pytest.raises(TrainingDiverged, match=r"grew to .* at epoch \d+; .*\(it is 1000000.0\)"):
        net.fit(x, y, epochs=3000, learning_rate=1e6)
    assert all(layer.training is False for layer in net.layers)


def test_callback_can_stop_training():
    x, y = data.xor()
    seen = []

    def callback(epoch, logs):
        seen.append((epoch, sorted(logs)))
        return epoch == 3

    h = Network([3, 4, 1], seed=0).fit(x, y, epochs=10, callback=callback)
    assert h.epochs == 3 and h.stopped_early
    assert seen[0] == (1, ["loss"])


def test_verbose_draws_a_progress_bar(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    x, y = data.xor()
    Network([3, 4, 1], seed=0).fit(x, y, epochs=20, verbose=True)
    text = err.getvalue()
    assert "epoch 20/20" in text and "loss" in text


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": 0}, "Network.fit: epochs must be a positive integer, got 0"),
    ({"epochs": 2, "batch_size": 0}, "Network.fit: batch_size must be a positive integer"),
    ({"epochs": 2, "validation_split": 1.5}, "Network.fit: validation_split must be a fraction"),
    ({"epochs": 2, "validation_split": 0.1}, "Network.fit: validation_split=0.1 of 4 rows leaves"),
    ({"epochs": 2, "validation_split": 0.5, "validation_data": ([[0, 0, 1]], [[0]])},
     "Network.fit: give validation_data or validation_split, not both"),
    ({"epochs": 2, "validation_data": ([[0, 0]], [[0]])},
     "Network.fit: validation_data: x has 2 columns, the network takes 3"),
    ({"epochs": 2, "optimizer": "lbfgs"}, "optimizer: unknown name 'lbfgs'"),
    ({"epochs": 2, "patience": -1}, "Network.fit: patience must be a positive integer"),
    ({"epochs": 2, "optimizer": SGD(0.1), "learning_rate": 0.5},
     "Network.fit: give the learning rate to the optimizer instance"),
])
def test_fit_rejects_bad_options(kwargs, message):
    x, y = data.xor()
    with pytest.raises(TinynetError) as info:
        Network([3, 4, 1], seed=0).fit(x, y, **kwargs)
    assert str(info.value).startswith(message)


def test_standardizer_is_applied_to_every_input():
    x, y = data.xor()
    net = Network([3, 4, 1], seed=0)
    raw = net.predict(x)
    net.standardizer = data.Standardizer().fit([[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    assert net.predict(x) == Network([3, 4, 1], seed=0).predict(net.standardizer.transform(x))
    assert net.predict(x) != raw


# --- results on real data -----------------------------------------------------

def test_moons_reach_95_percent():
    x, labels = data.moons(400, noise=0.2, seed=0)
    x_tr, x_te, l_tr, l_te = data.train_test_split(x, labels, test_size=0.3, seed=0)
    y_tr, classes = data.one_hot(l_tr)
    net = Network([2, 16, 16, 2], activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=0)
    net.fit(x_tr, y_tr, epochs=150, optimizer="adam", learning_rate=0.01, batch_size=16, seed=0)
    acc = metrics.accuracy(l_te, [classes[i] for i in net.predict_classes(x_te)])
    assert acc >= 0.95, acc


def _held_out_accuracy(x, labels, sizes, *, hidden, epochs, learning_rate, batch_size):
    """Train on a seeded, stratified 70/30 split; return the held-out accuracy."""
    x_tr, x_te, l_tr, l_te = data.train_test_split(x, labels, test_size=0.3, seed=0,
                                                   stratify=True)
    y_tr, classes = data.one_hot(l_tr)
    net = Network(sizes, activation=hidden, output_activation="softmax",
                  loss="cross_entropy", seed=0)
    net.standardizer = data.Standardizer().fit(x_tr)
    net.fit(x_tr, y_tr, epochs=epochs, optimizer="adam", learning_rate=learning_rate,
            batch_size=batch_size, seed=0)
    return metrics.accuracy(l_te, [classes[i] for i in net.predict_classes(x_te)])


def test_iris_reaches_95_percent_on_a_stratified_split():
    x, labels = data.load_iris()
    acc = _held_out_accuracy(x, labels, [4, 8, 3], hidden="tanh", epochs=100,
                             learning_rate=0.01, batch_size=8)
    assert acc >= 0.95, acc


def test_digits_reach_95_percent_with_64_32_10():
    x, labels = data.load_digits()
    acc = _held_out_accuracy(x, labels, [64, 32, 10], hidden="relu", epochs=15,
                             learning_rate=0.003, batch_size=32)
    assert acc >= 0.95, acc
