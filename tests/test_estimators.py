"""tinynet.Classifier and tinynet.Regressor: scikit-learn's conventions, by duck typing;
the optional tests run scikit-learn's own clone and cross_val_score on them."""

import math
import random
import warnings

import pytest

from tinynet import Classifier, Regressor, TinynetError
from tinynet.estimators import PARAMS
from tests.messy import PENGUIN_COLUMNS, penguin_rows


def penguins(n=200, seed=2):
    """Raw rows as a user has them: text, numbers as text, None for NA."""
    rows = penguin_rows(n=n, seed=seed)
    x = [[None if c == "NA" else c for c in r[1:]] for r in rows]
    return x, [r[0] for r in rows]


def line(n=60, seed=0):
    rng = random.Random(seed)
    x = [[rng.uniform(-2, 2), rng.choice(["a", "b", None])] for _ in range(n)]
    y = [300.0 + 40.0 * a + (25.0 if b == "b" else 0.0) + rng.gauss(0, 1) for a, b in x]
    return x, y


@pytest.fixture(scope="module")
def fitted():
    x, y = penguins()
    return Classifier(epochs=100).fit(x, y), x, y


def test_parameters_are_stored_as_given_and_round_trip():
    hidden = (8, 4)
    model = Classifier(hidden=hidden, epochs=7, seed=3)
    params = model.get_params()
    assert set(params) == set(PARAMS) and params["hidden"] is hidden
    assert type(model)(**params).get_params() == params
    assert model.set_params(l2=0.01) is model and model.l2 == 0.01
    with pytest.raises(TinynetError, match="no parameter 'depth'"):
        model.set_params(depth=3)
    with pytest.raises(TypeError):
        Classifier(8)  # keyword arguments only
    assert repr(model) == "Classifier(hidden=(8, 4), epochs=7, l2=0.01, seed=3)"


def test_a_classifier_learns_raw_rows_with_text_and_none(fitted):
    model, x, y = fitted
    assert model.classes_ == ["Adelie", "Chinstrap", "Gentoo"]
    assert model.n_features_in_ == 6 and not hasattr(model, "feature_names_in_")
    assert len(model.history_.loss) == model.history_.epochs > 0
    held_x, held_y = penguins(n=100, seed=11)  # rows never seen
    assert model.score(held_x, held_y) >= 0.9
    for p in model.predict_proba(held_x):
        assert math.isclose(sum(p), 1.0, rel_tol=1e-9) and min(p) >= 0.0
    predicted = model.predict(held_x)
    assert predicted == [model.classes_[p.index(max(p))] for p in model.predict_proba(held_x)]


def test_dict_rows_give_feature_names_and_are_read_by_name():
    x, y = penguins(n=120)
    rows = [dict(zip(PENGUIN_COLUMNS[1:], r)) for r in x]
    model = Classifier(epochs=30).fit(rows, y)
    assert model.feature_names_in_ == PENGUIN_COLUMNS[1:]
    reordered = [dict(reversed(list(r.items()))) for r in rows]
    assert model.predict(reordered) == model.predict(rows)


def test_a_regressor_predicts_in_the_targets_units_and_scores_r2():
    x, y = line()
    model = Regressor(epochs=200).fit(x, y)
    assert model.score(x, y) > 0.95
    assert all(isinstance(v, float) for v in model.predict(x[:3]))
    assert not hasattr(model, "classes_")


def test_an_unseen_category_warns_with_the_count(fitted):
    model, x, _ = fitted
    rows = [list(r) for r in x[:4]]
    rows[0][0] = rows[1][0] = "Atlantis"
    with pytest.warns(UserWarning, match="column 'x0': 2 rows unlike the training data"):
        model.predict(rows)


def test_save_and_load_give_the_same_predictions(fitted, tmp_path):
    model, x, _ = fitted
    model.save(str(tmp_path / "m.json"))
    again = Classifier.load(str(tmp_path / "m.json"))
    assert again.predict_proba(x) == model.predict_proba(x)
    assert again.get_params() == model.get_params() and again.classes_ == model.classes_
    with pytest.raises(TinynetError, match="holds no saved Regressor"):
        Regressor.load(str(tmp_path / "m.json"))


def test_bad_input_names_the_method():
    with pytest.raises(TinynetError, match="Classifier.predict: not fitted yet"):
        Classifier().predict([[1.0]])
    with pytest.raises(TinynetError, match="Regressor.fit: X has 2 rows but y has 3"):
        Regressor().fit([[1.0], [2.0]], [1.0, 2.0, 3.0])
    with pytest.raises(TinynetError, match="row 1 has 1 cells, row 0 has 2"):
        Regressor().fit([[1.0, 2.0], [2.0]], [1.0, 2.0])


def test_numpy_arrays_are_rows_too():
    np = pytest.importorskip("numpy")
    x, y = line(n=40)
    numbers = np.array([[a, 1.0 if b == "b" else 0.0] for a, b in x])
    model = Regressor(epochs=5).fit(numbers, np.array(y))
    assert model.n_features_in_ == 2 and len(model.predict(numbers)) == 40


# --- scikit-learn itself, when installed ----------------------------------------------

def test_sklearn_clone_copies_the_parameters_not_the_fit(fitted):
    base = pytest.importorskip("sklearn.base")
    model, _, _ = fitted
    copy = base.clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "net_")
    assert base.is_classifier(model) and base.is_regressor(Regressor())


def test_sklearn_cross_val_score_runs_on_both_estimators():
    selection = pytest.importorskip("sklearn.model_selection")
    x, y = penguins(n=150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # small folds may warn; scores matter
        accuracy = selection.cross_val_score(Classifier(epochs=60), x, y, cv=3)
        r2 = selection.cross_val_score(Regressor(epochs=100), *line(n=90), cv=3)
    assert len(accuracy) == 3 and min(accuracy) >= 0.85
    assert len(r2) == 3 and min(r2) > 0.8


def test_score_leaves_out_rows_whose_target_is_missing(fitted):
    model, x, y = fitted
    blanked = [None if i % 5 == 0 else label for i, label in enumerate(y)]
    kept = [i for i, v in enumerate(blanked) if v is not None]
    assert model.score(x, blanked) == model.score([x[i] for i in kept], [y[i] for i in kept])
    rx, ry = line(n=40)
    reg = Regressor(epochs=20).fit(rx, [None, "NA"] + ry[2:])  # dropped in fit too
    assert reg.score(rx, ["NA"] + ry[1:]) == reg.score(rx[1:], ry[1:])
