"""tinynet.recipe: the steps from a table to a trained model, without the CLI."""

import math

import pytest

from tinynet import Network, TinynetError, data, metrics
from tinynet import recipe
from tinynet.recipe import Table


def _line_table(n=40):
    # y = 300 x + 1000: a target far from mean 0, std 1, so unscaling matters
    x = [[i / n] for i in range(n)]
    y = [300.0 * row[0] + 1000.0 for row in x]
    return Table(x, y, ["x"], "price", "line")


def test_a_regressor_predicts_in_the_targets_own_units():
    table = _line_table()
    net, history, report = recipe.train(table, hidden=[], epochs=400, val_split=0.0,
                                        patience=0, seed=0)
    assert report["task"] == "regression" and report["inferred_from"] == "numbers"
    assert report["scaled_target"] and net.layers[-1].activation.name == "identity"
    # a linear model on a line: nearly exact, in dollars, not in standard units
    rmse = report["scores"]["rmse"]["training"]
    assert rmse < 1.0
    mse = metrics.mean_squared_error([[v] for v in table.y], net.predict(table.x))
    assert math.isclose(rmse, math.sqrt(mse), rel_tol=1e-12)


def test_a_given_task_is_not_inferred_and_a_class_loss_needs_classes():
    table = Table([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], ["x"], "y", "t")
    _, _, report = recipe.train(table, task="regression", epochs=1, seed=0)
    assert report["task"] == "regression" and report["inferred_from"] is None
    with pytest.raises(TinynetError, match="loss cross_entropy needs class labels"):
        recipe.build_network(table, "regression", loss="cross_entropy")


def test_classifier_targets_are_one_hot_in_sorted_class_order():
    table = Table([[0.0]] * 4, ["b", "a", "c", "a"], ["x"], "kind", "t")
    net, y = recipe.build_network(table, "classification", seed=0)
    assert net.classes == ["a", "b", "c"]
    assert y == data.one_hot(table.y)[0]
    net, y = recipe.build_network(Table([[0.0]] * 2, ["b", "a"], ["x"], "k", "t"),
                                  "classification", loss="binary_cross_entropy")
    assert y == [[1.0], [0.0]] and net.n_out == 1


def test_evaluate_agrees_with_metrics_on_iris():
    net, _, _ = recipe.train("iris", hidden=[4], epochs=3, seed=0)
    table = recipe.read_table("iris")
    report = recipe.evaluate(net, table)
    truth = recipe.label_indices(net, table)
    predicted = net.predict_classes(table.x)
    assert report["accuracy"] == metrics.accuracy(truth, predicted)
    assert sum(map(sum, report["confusion_matrix"])) == report["n"] == 150


def test_few_rows_are_not_split_and_builtin_sets_take_no_columns():
    x, y = [[0.0]] * 4, [[0.0]] * 4
    assert recipe.split(x, y, val_split=0.5) == (x, [], y, [])
    x_train, x_val, _, _ = recipe.split([[float(i)] for i in range(10)], list(range(10)),
                                        val_split=0.2, seed=0)
    assert len(x_train) == 8 and len(x_val) == 2
    with pytest.raises(TinynetError, match="apply to CSV files"):
        recipe.read_table("iris", target="species")


def test_an_optimizer_registered_in_optim_trains_with_its_own_default_rate(monkeypatch):
    # recipe tunes sgd and adam for small tables; any other optimizer in the
    # registry must train with its own default, not fail with a KeyError.
    from tinynet import optim

    class Slow(optim.SGD):
        default_learning_rate = 0.05
        made = []

        def __init__(self, **options):
            super().__init__(**options)
            Slow.made.append(self.learning_rate)

    monkeypatch.setitem(optim.OPTIMIZERS, "slow", Slow)
    x, labels = data.load_iris()
    y, _ = data.one_hot(labels)
    net = Network([4, 3], output_activation="softmax", loss="cross_entropy", seed=0)
    recipe.fit(net, (x, [], y, []), optimizer="slow", epochs=1, patience=0)
    assert Slow.made == [0.05]
