"""tinynet.metrics against hand-written counting oracles, worked examples and
bad input."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinynet import ShapeError, TinynetError
from tinynet import metrics as M
from tests import oracle
from tests.strategies import matrices


def raises(message, error=TinynetError):
    return pytest.raises(error, match=re.escape(message))


# --- oracles: the definitions, counted one row at a time -------------------------

def oracle_confusion(y_true, y_pred, classes):
    counts = [[0] * len(classes) for _ in classes]
    for i, c_true in enumerate(classes):
        for j, c_pred in enumerate(classes):
            for t, p in zip(y_true, y_pred):
                if t == c_true and p == c_pred:
                    counts[i][j] += 1
    return counts


def oracle_scores(y_true, y_pred, c):
    tp = sum(1 for t, p in zip(y_true, y_pred) if t == c and p == c)
    fp = sum(1 for t, p in zip(y_true, y_pred) if t != c and p == c)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t == c and p != c)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


@st.composite
def label_pairs(draw):
    n = draw(st.integers(1, 40))
    labels = st.sampled_from(["ant", "bee", "cat", "dog"])
    return (draw(st.lists(labels, min_size=n, max_size=n)),
            draw(st.lists(labels, min_size=n, max_size=n)))


# --- properties -----------------------------------------------------------------

@given(label_pairs())
def test_accuracy_matches_the_definition(pair):
    y_true, y_pred = pair
    a = M.accuracy(y_true, y_pred)
    assert 0.0 <= a <= 1.0
    assert a == sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true)
    assert M.accuracy(y_true, y_true) == 1.0


@given(label_pairs())
def test_confusion_matrix_matches_the_oracle(pair):
    y_true, y_pred = pair
    counts, classes = M.confusion_matrix(y_true, y_pred)
    assert classes == sorted(set(y_true) | set(y_pred))
    assert counts == oracle_confusion(y_true, y_pred, classes)
    n = len(y_true)
    assert sum(map(sum, counts)) == n
    assert [sum(row) for row in counts] == [y_true.count(c) for c in classes]
    assert [sum(col) for col in zip(*counts)] == [y_pred.count(c) for c in classes]
    trace = sum(counts[i][i] for i in range(len(classes)))
    assert trace / n == M.accuracy(y_true, y_pred)


@given(label_pairs())
def test_precision_recall_f1_match_the_oracle(pair):
    y_true, y_pred = pair
    scores = M.precision_recall_f1(y_true, y_pred, classes=["ant", "bee", "cat", "dog"])
    assert list(scores) == ["ant", "bee", "cat", "dog"]
    for c, s in scores.items():
        p, r, f1, support = oracle_scores(y_true, y_pred, c)
        assert oracle.close(s["precision"], p) and oracle.close(s["recall"], r)
        assert oracle.close(s["f1"], f1) and s["support"] == support
        assert all(0.0 <= s[k] <= 1.0 for k in ("precision", "recall", "f1"))


@st.composite
def same_shape_pair(draw):
    n, m = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    return draw(matrices(n, m)), draw(matrices(n, m))


@given(same_shape_pair())
def test_mean_squared_error_matches_the_definition(pair):
    a, b = pair
    n, m = len(a), len(a[0])
    total = 0.0
    for i in range(n):
        for j in range(m):
            total += (a[i][j] - b[i][j]) ** 2
    assert oracle.close(M.mean_squared_error(a, b), total / (n * m), 1e-9, 1e-9)
    assert M.mean_squared_error(a, a) == 0.0
    flat_a = [v for row in a for v in row]
    flat_b = [v for row in b for v in row]
    assert oracle.close(M.mean_squared_error(flat_a, flat_b), total / (n * m), 1e-9, 1e-9)


# --- worked examples ----------------------------------------------------------------

# 10 animals: 4 cats, 3 dogs, 3 emus.
Y_TRUE = ["cat"] * 4 + ["dog"] * 3 + ["emu"] * 3
Y_PRED = ["cat", "cat", "cat", "dog", "dog", "dog", "cat", "emu", "emu", "dog"]


def test_worked_example_by_hand():
    assert M.accuracy(Y_TRUE, Y_PRED) == 0.7  # 3 + 2 + 2 right of 10
    counts, classes = M.confusion_matrix(Y_TRUE, Y_PRED)
    assert classes == ["cat", "dog", "emu"]
    assert counts == [[3, 1, 0],   # cats: 3 right, 1 called a dog
                      [1, 2, 0],   # dogs: 1 called a cat, 2 right
                      [0, 1, 2]]   # emus: 1 called a dog, 2 right
    s = M.precision_recall_f1(Y_TRUE, Y_PRED)
    # cat: predicted 4 times, 3 right; dog: predicted 4 times, 2 right;
    # emu: predicted twice, both right
    assert s["cat"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4}
    assert s["dog"]["precision"] == 0.5 and s["dog"]["recall"] == 2 / 3
    assert math.isclose(s["dog"]["f1"], 4 / 7)  # 2 * 2 / (2 * 2 + 2 + 1)
    assert s["emu"]["precision"] == 1.0 and s["emu"]["recall"] == 2 / 3
    assert math.isclose(s["emu"]["f1"], 0.8) and s["emu"]["support"] == 3


def test_classification_report_worked_example():
    # by hand from the counts above: macro precision (0.75 + 0.5 + 1) / 3,
    # macro recall (0.75 + 2/3 + 2/3) / 3 = 0.694, macro f1 (0.75 + 4/7 + 0.8) / 3
    # = 0.707; weighted precision (4 * 0.75 + 3 * 0.5 + 3 * 1) / 10 = 0.75,
    # weighted recall 0.7, weighted f1 (4 * 0.75 + 3 * 4/7 + 3 * 0.8) / 10 = 0.711
    expected = (
        "              precision     recall   f1-score    support\n"
        "         cat      0.750      0.750      0.750          4\n"
        "         dog      0.500      0.667      0.571          3\n"
        "         emu      1.000      0.667      0.800          3\n"
        "\n"
        "    accuracy                            0.700         10\n"
        "   macro avg      0.750      0.694      0.707         10\n"
        "weighted avg      0.750      0.700      0.711         10")
    assert M.classification_report(Y_TRUE, Y_PRED) == expected
    short = M.classification_report(Y_TRUE, Y_PRED, digits=1)
    assert short.splitlines()[2] == "         dog        0.5        0.7        0.6          3"


def test_zero_over_zero_is_zero():
    # "b" is never predicted: its precision is 0/0; "c" never occurs: its recall is 0/0
    s = M.precision_recall_f1(["a", "b"], ["a", "a"], classes=["a", "b", "c"])
    assert s["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert s["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert s["a"]["precision"] == 0.5 and s["a"]["recall"] == 1.0


def test_given_classes_keep_their_order_and_may_be_absent():
    counts, classes = M.confusion_matrix([1, 2], [2, 2], classes=[2, 1, 0])
    assert classes == [2, 1, 0]
    assert counts == [[1, 0, 0], [1, 0, 0], [0, 0, 0]]


def test_mean_squared_error_examples():
    assert M.mean_squared_error([[1.0], [3.0]], [[2.0], [1.0]]) == 2.5  # (1 + 4) / 2
    assert M.mean_squared_error((1, 2, 3), (1, 2, 5)) == 4 / 3
    assert M.mean_squared_error([1e200], [-1e200]) == math.inf  # no OverflowError


# --- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: M.accuracy([1, 2], [1]), "accuracy: y_true has 2 labels but y_pred has 1"),
    (lambda: M.accuracy([], []), "accuracy: y_true is empty"),
    (lambda: M.accuracy(None, [1]),
     "accuracy: y_true must be a sequence of labels, got NoneType None"),
    (lambda: M.accuracy("ab", "ab"),
     "accuracy: y_true must be a sequence of labels, got str 'ab'"),
    (lambda: M.confusion_matrix([1, "a"], [1, 1]),
     "confusion_matrix: cannot sort labels of mixed types (int, str); pass classes="),
    (lambda: M.confusion_matrix([1, 2], [1, 3], classes=[1, 2]),
     "confusion_matrix: label 3 is not one of the classes [1, 2]"),
    (lambda: M.confusion_matrix([[1], [2]], [[1], [2]]),
     "confusion_matrix: labels must be hashable, labels[0] is list [1]"),
    (lambda: M.confusion_matrix([1], [1], classes=[1, 1]),
     "confusion_matrix: classes has 1 more than once"),
    (lambda: M.precision_recall_f1([1], [1, 2]),
     "precision_recall_f1: y_true has 1 labels but y_pred has 2"),
    (lambda: M.classification_report([1], [1], digits=-1),
     "classification_report: digits must be an integer in 0..10, got -1"),
    (lambda: M.classification_report(["x"], ["y"], classes=["x"]),
     "classification_report: label 'y' is not one of the classes ['x']"),
    (lambda: M.mean_squared_error([], []), "mean_squared_error: y_true is empty"),
    (lambda: M.mean_squared_error(1.0, [1.0]),
     "mean_squared_error: y_true must be a list of numbers or a matrix, got float 1.0"),
    (lambda: M.mean_squared_error([1.0, "a"], [1.0, 2.0]),
     "mean_squared_error: y_true[1] must be a real number, got str 'a'"),
    (lambda: M.mean_squared_error([1.0], [float("nan")]),
     "mean_squared_error: y_pred[0] must be finite, got nan"),
    (lambda: M.mean_squared_error([[1.0], [2.0, 3.0]], [[1.0], [2.0]]),
     "mean_squared_error: y_true: needs rectangular rows, row 1 has 2 columns, row 0 has 1"),
])
def test_bad_input(call, message):
    with raises(message):
        call()


@pytest.mark.parametrize("a, b, message", [
    ([1.0, 2.0], [[1.0], [2.0]], "shapes differ: y_true (2,), y_pred (2, 1)"),
    ([1.0, 2.0], [1.0], "shapes differ: y_true (2,), y_pred (1,)"),
    ([[1.0, 2.0]], [[1.0], [2.0]], "shapes differ: y_true (1, 2), y_pred (2, 1)"),
])
def test_mean_squared_error_shapes_must_match(a, b, message):
    with raises("mean_squared_error: " + message, ShapeError):
        M.mean_squared_error(a, b)


def test_inputs_are_not_changed():
    y_true, y_pred = list(Y_TRUE), list(Y_PRED)
    M.classification_report(y_true, y_pred)
    assert (y_true, y_pred) == (Y_TRUE, Y_PRED)


# --- balanced accuracy, macro F1, MAE, RMSE, R^2 ------------------------------------------

@given(st.lists(st.sampled_from("abc"), min_size=1, max_size=30), st.randoms())
def test_balanced_accuracy_and_macro_f1_are_means_over_the_classes(y_true, rnd):
    y_pred = [rnd.choice("abc") for _ in y_true]
    scores = M.precision_recall_f1(y_true, y_pred)
    present = [c for c in scores if scores[c]["support"]]
    assert math.isclose(M.balanced_accuracy(y_true, y_pred),
                        sum(scores[c]["recall"] for c in present) / len(present))
    assert math.isclose(M.macro_f1(y_true, y_pred),
                        sum(s["f1"] for s in scores.values()) / len(scores))


def test_balanced_accuracy_sees_through_the_majority_class():
    y_true = ["a"] * 9 + ["b"]
    always_a = ["a"] * 10
    assert M.accuracy(y_true, always_a) == 0.9
    assert M.balanced_accuracy(y_true, always_a) == 0.5


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=20), st.randoms())
def test_regression_scores_follow_their_formulas(y_true, rnd):
    y_pred = [v + rnd.uniform(-5, 5) for v in y_true]
    n = len(y_true)
    mean = sum(y_true) / n
    sse = sum((a - b) ** 2 for a, b in zip(y_true, y_pred))
    sst = sum((a - mean) ** 2 for a in y_true)
    assert math.isclose(M.mean_absolute_error(y_true, y_pred),
                        sum(abs(a - b) for a, b in zip(y_true, y_pred)) / n)
    assert math.isclose(M.root_mean_squared_error(y_true, y_pred), math.sqrt(sse / n))
    if sst > 1e-6:
        assert math.isclose(M.r2_score(y_true, y_pred), 1 - sse / sst,
                            rel_tol=1e-9, abs_tol=1e-9)
    assert M.r2_score(y_true, [mean] * n) == pytest.approx(0.0 if sst else 1.0, abs=1e-9)
    assert M.r2_score(y_true, y_true) == 1.0


def test_regression_scores_check_their_input():
    with pytest.raises(ShapeError, match="r2_score: shapes differ"):
        M.r2_score([1.0, 2.0], [[1.0], [2.0]])
    with pytest.raises(TinynetError, match="mean_absolute_error: y_true is empty"):
        M.mean_absolute_error([], [])
