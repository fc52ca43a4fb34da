"""tinynet.data: the shipped data sets against their sources, the synthetic
sets' geometry, encoding, splitting, scaling, batching, CSV, and bad input."""

import copy
import gzip
import json
import math
import os
import random
import re
import statistics
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import ShapeError, TinynetError
from tinynet import data as D
from tests import oracle
from tests.strategies import finite, matrices

# The files as received live in shared/data beside the checkout (CI lays a
# copy there too); the value checks skip where it is absent.
SOURCE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "shared", "data")
DATASETS_DIR = os.path.join(os.path.dirname(tinynet.__file__), "datasets")


def raises(message, error=TinynetError):
    """pytest.raises for error whose message contains message, verbatim."""
    return pytest.raises(error, match=re.escape(message))


# --- the shipped data sets, checked value by value against the files we received

def source_lines(name):
    path = os.path.join(SOURCE, name)
    if not os.path.exists(path):
        pytest.skip(f"{path} is not on this machine")
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt") as f:
        return f.read().splitlines()


def test_load_iris_matches_the_source_file():
    lines = source_lines("iris.csv")
    species = lines[0].split(",")[2:]  # header "150,4,setosa,versicolor,virginica"
    rows = [line.split(",") for line in lines[1:]]
    x, labels = D.load_iris()
    assert x == [[float(v) for v in row[:4]] for row in rows]
    assert labels == [species[int(row[4])] for row in rows]
    assert len(x) == 150 and {len(row) for row in x} == {4}
    assert x[0] == [5.1, 3.5, 1.4, 0.2] and labels[0] == "setosa"
    assert Counter(labels) == {"setosa": 50, "versicolor": 50, "virginica": 50}


def test_load_digits_matches_the_source_file():
    rows = [line.split(",") for line in source_lines("digits.csv.gz")]
    x, labels = D.load_digits()
    assert x == [[float(v) for v in row[:64]] for row in rows]
    assert labels == [int(row[64]) for row in rows]
    assert len(x) == 1797 and {len(row) for row in x} == {64}
    assert all(type(d) is int for d in labels) and set(labels) == set(range(10))
    assert {v for row in x for v in row} <= {float(v) for v in range(17)}


def test_shipped_files_have_named_headers():
    with open(os.path.join(DATASETS_DIR, "iris.csv")) as f:
        assert f.readline().strip() == "sepal_length,sepal_width,petal_length,petal_width,species"
    with gzip.open(os.path.join(DATASETS_DIR, "digits.csv.gz"), "rt") as f:
        header = f.readline().strip().split(",")
    assert header == [f"p{i}" for i in range(64)] + ["digit"]


def test_shipped_readme_keeps_the_attribution():
    with open(os.path.join(DATASETS_DIR, "README.md")) as f:
        text = f.read()
    for source in ('R. A. Fisher (1936), "The use of multiple measurements in taxonomic '
                   'problems", Annals of Eugenics 7(2).',
                   'E. Alpaydin, C. Kaynak (1998), "Optical Recognition of Handwritten '
                   'Digits", UCI Machine Learning Repository (test set). CC BY 4.0.'):
        assert source in text
    assert "Fisher (1936)" in D.load_iris.__doc__
    assert "Alpaydin, C. Kaynak (1998)" in D.load_digits.__doc__


def test_xor_is_the_articles_table():
    x, y = D.xor()
    assert x == [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    assert y == [[a != b] for a, b, _ in x]  # XOR of the first two inputs
    assert all(type(v) is float for row in x + y for v in row)
    x[0][0] = 9.0
    assert D.xor()[0][0][0] == 0.0  # fresh lists every call


# --- synthetic data sets -------------------------------------------------------

GENERATORS = [D.moons, D.circles, D.spirals]


@pytest.mark.parametrize("make", GENERATORS)
@given(n=st.integers(2, 60), seed=st.integers(0, 2**32))
@settings(max_examples=15)
def test_synthetic_shapes_balance_and_determinism(make, n, seed):
    x, labels = make(n, seed=seed)
    assert len(x) == len(labels) == n
    assert all(len(row) == 2 and all(type(v) is float for v in row) for row in x)
    counts = Counter(labels)
    assert sorted(counts) == [0, 1]
    assert sum(counts.values()) == n and max(counts.values()) - min(counts.values()) <= 1
    assert make(n, seed=seed) == (x, labels)


@pytest.mark.parametrize("make", GENERATORS)
def test_synthetic_seeds_differ_and_classes_interleave(make):
    x, labels = make(100, seed=1)
    assert make(100, seed=2)[0] != x
    assert set(labels[:50]) == {0, 1}  # shuffled: the first rows hold both classes


def test_moons_without_noise_lie_on_two_half_circles():
    x, labels = D.moons(51, noise=0.0, seed=0)
    assert Counter(labels) == {0: 26, 1: 25}
    for (a, b), label in zip(x, labels):
        if label == 0:  # upper half of the unit circle
            assert math.isclose(math.hypot(a, b), 1.0) and b >= -1e-12
        else:  # lower half of the unit circle centred at (1, 0.5)
            assert math.isclose(math.hypot(a - 1.0, b - 0.5), 1.0) and b <= 0.5 + 1e-12


def test_circles_without_noise_have_radius_1_and_factor():
    x, labels = D.circles(21, noise=0.0, factor=0.3, seed=0)
    for (a, b), label in zip(x, labels):
        assert math.isclose(math.hypot(a, b), 1.0 if label == 0 else 0.3)


def test_circles_noise_is_the_standard_deviation():
    x, labels = D.circles(4000, noise=0.05, factor=0.5, seed=1)
    # for small noise the radial residual is ~ N(0, noise^2)
    residuals = [math.hypot(a, b) - (1.0 if c == 0 else 0.5) for (a, b), c in zip(x, labels)]
    assert abs(statistics.fmean(residuals)) < 0.01
    assert 0.045 < statistics.pstdev(residuals) < 0.055


def test_spiral_arms_are_rotated_copies():
    k = 3
    x, labels = D.spirals(30, noise=0.0, classes=k, turns=1.5, seed=0)
    arms = {c: sorted((math.hypot(a, b), a, b) for (a, b), label in zip(x, labels)
                      if label == c) for c in range(k)}
    assert [len(arms[c]) for c in range(k)] == [10, 10, 10]
    for c in range(1, k):
        rot = 2 * math.pi * c / k
        for (r0, a0, b0), (r, a, b) in zip(arms[0], arms[c]):
            assert math.isclose(r0, r) and 0 < r <= 1 + 1e-12
            # arm c is arm 0 turned by 2 pi c / k
            assert oracle.all_close([a, b], [a0 * math.cos(rot) - b0 * math.sin(rot),
                                             a0 * math.sin(rot) + b0 * math.cos(rot)],
                                    1e-9, 1e-9)


def test_gaussian_blobs_sit_on_the_unit_circle_with_spread_noise():
    k, noise = 3, 0.2
    x, labels = D.gaussians(3000, noise=noise, classes=k, seed=2)
    assert sorted(Counter(labels).values()) == [1000, 1000, 1000]
    for c in range(k):
        blob = [p for p, label in zip(x, labels) if label == c]
        t = 2 * math.pi * c / k
        for axis, centre in enumerate((math.cos(t), math.sin(t))):
            values = [p[axis] for p in blob]
            # the mean of 1000 draws is within 5 standard errors (0.2/sqrt(1000))
            assert abs(statistics.fmean(values) - centre) < 5 * noise / math.sqrt(1000)
            assert 0.9 * noise < statistics.pstdev(values) < 1.1 * noise


def test_spirals_split_n_as_evenly_as_possible():
    _, labels = D.spirals(11, classes=4, seed=0)
    assert sorted(Counter(labels).values()) == [2, 3, 3, 3]


@pytest.mark.parametrize("call, message", [
    (lambda: D.moons(1), "moons: n must be an integer >= 2 (one point per class), got 1"),
    (lambda: D.moons(True), "moons: n must be an integer >= 2"),
    (lambda: D.moons(10.0), "moons: n must be an integer >= 2 (one point per class), got 10.0"),
    (lambda: D.moons(10, noise=-0.1), "moons: needs noise >= 0, got -0.1"),
    (lambda: D.moons(10, noise="big"), "moons: noise must be a real number, got str 'big'"),
    (lambda: D.moons(10, seed=1.5), "moons: seed must be an integer or None, got float 1.5"),
    (lambda: D.circles(10, factor=1.0), "circles: needs 0 < factor < 1, got 1.0"),
    (lambda: D.circles(10, factor=0), "circles: needs 0 < factor < 1, got 0.0"),
    (lambda: D.circles(10, noise=float("nan")), "circles: noise must be finite, got nan"),
    (lambda: D.spirals(10, classes=1), "spirals: classes must be an integer >= 2, got 1"),
    (lambda: D.spirals(2, classes=3),
     "spirals: n must be an integer >= 3 (one point per class), got 2"),
    (lambda: D.spirals(10, turns=0), "spirals: needs turns > 0, got 0.0"),
    (lambda: D.gaussians(10, classes=1), "gaussians: classes must be an integer >= 2, got 1"),
    (lambda: D.gaussians(10, noise=-1), "gaussians: needs noise >= 0, got -1.0"),
    (lambda: D.gaussians(10, seed="a"), "gaussians: seed must be an integer or None, got str 'a'"),
])
def test_synthetic_bad_arguments(call, message):
    with raises(message):
        call()


def test_load_dataset_dispatches_by_name():
    assert D.load_dataset("xor") == D.xor()
    assert D.load_dataset("iris") == D.load_iris()
    x, labels = D.load_dataset("digits", seed=5)  # seed is ignored by fixed sets
    assert len(x) == 1797 and len(labels) == 1797
    assert D.load_dataset("moons", seed=3) == D.moons(seed=3)
    assert D.load_dataset("circles", seed=3, noise=0.0, n=10) == D.circles(10, noise=0.0, seed=3)
    assert D.load_dataset("spirals", seed=4, n=12) == D.spirals(12, seed=4)
    assert D.load_dataset("gaussians", seed=4, n=12) == D.gaussians(12, seed=4)
    assert set(D.DATASETS) == {"xor", "moons", "circles", "spirals", "gaussians", "iris", "digits"}
    assert "150" in D.DATASETS["iris"] and "1797" in D.DATASETS["digits"]


def test_load_dataset_bad_names_and_options():
    names = "'xor', 'moons', 'circles', 'spirals', 'gaussians', 'iris', 'digits'"
    with raises(f"load_dataset: unknown data set 'mnist'; choose one of {names}"):
        D.load_dataset("mnist")
    with raises("load_dataset: unknown data set int 3; choose one of"):
        D.load_dataset(3)
    with raises("load_dataset: noise applies to moons, circles, spirals and gaussians, "
                "not to the fixed data set 'iris'"):
        D.load_dataset("iris", noise=0.1)
    with raises("load_dataset: n applies to moons, circles, spirals and gaussians"):
        D.load_dataset("xor", n=4)
    with raises("moons: n must be an integer >= 2"):
        D.load_dataset("moons", n=1)


# --- one-hot encoding ----------------------------------------------------------

label_lists = st.one_of(st.lists(st.integers(-3, 3), min_size=1, max_size=30),
                        st.lists(st.sampled_from(["cat", "dog", "emu", "ant"]),
                                 min_size=1, max_size=30))


@given(label_lists)
def test_one_hot_round_trip(labels):
    before = list(labels)
    m, classes = D.one_hot(labels)
    assert labels == before
    assert classes == sorted(set(labels))
    for row, label in zip(m, labels):
        assert sorted(row) == [0.0] * (len(classes) - 1) + [1.0]
        assert classes[row.index(1.0)] == label
    assert D.from_one_hot(m, classes) == labels
    assert D.labels_to_indices(labels, classes) == [row.index(1.0) for row in m]


def test_one_hot_against_given_classes():
    m, classes = D.one_hot(["b", "a"], classes=("c", "b", "a"))
    assert m == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert classes == ["c", "b", "a"] and isinstance(classes, list)
    assert D.one_hot([3.0, 1], [1, 3]) == ([[0.0, 1.0], [1.0, 0.0]], [1, 3])


def test_from_one_hot_takes_the_first_of_ties_and_checks_shape():
    assert D.from_one_hot([[0.5, 0.5], [0.0, 1.0]], ["a", "b"]) == ["a", "b"]
    with raises("from_one_hot: needs one column per class, got 2 columns and 3 classes",
                ShapeError):
        D.from_one_hot([[0.5, 0.5]], ["a", "b", "c"])


@pytest.mark.parametrize("call, message", [
    (lambda: D.one_hot([]), "one_hot: labels is empty"),
    (lambda: D.one_hot(None), "one_hot: labels must be a sequence of labels, got NoneType None"),
    (lambda: D.one_hot("abc"), "one_hot: labels must be a sequence of labels, got str 'abc'"),
    (lambda: D.one_hot([1, "a"]), "one_hot: cannot sort labels of mixed types (int, str); "
                                  "pass classes= to give the class order"),
    (lambda: D.one_hot([[0, 1], [1, 0]]),
     "one_hot: labels must be hashable, labels[0] is list [0, 1]"),
    (lambda: D.one_hot(["a", "z"], classes=["a", "b"]),
     "one_hot: label 'z' is not one of the classes ['a', 'b']"),
    (lambda: D.one_hot([1], classes=list(range(2, 40))),
     "one_hot: label 1 is not one of the classes "
     "[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, ... (38 in all)]"),
    (lambda: D.one_hot(["a"], classes=[]), "one_hot: classes is empty"),
    (lambda: D.one_hot(["a"], classes=["a", "a"]), "one_hot: classes has 'a' more than once"),
    (lambda: D.one_hot(["a"], classes=[["a"]]),
     "one_hot: classes must be hashable, classes[0] is list"),
    (lambda: D.labels_to_indices(["q"], ["a"]),
     "labels_to_indices: label 'q' is not one of the classes ['a']"),
])
def test_one_hot_bad_input(call, message):
    with raises(message):
        call()


# --- train_test_split ----------------------------------------------------------

@st.composite
def split_cases(draw):
    n = draw(st.integers(2, 40))
    labels = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    if draw(st.booleans()):
        test_size = draw(st.integers(1, n - 1))
        n_test = test_size
    else:
        k = draw(st.integers(1, 19))
        test_size = k / 20
        n_test = math.ceil(Fraction(k, 20) * n)  # exact, the documented rule
    return n, labels, test_size, n_test


@given(split_cases(), st.booleans(), st.integers(0, 10**6))
def test_split_partitions_the_rows(case, stratify, seed):
    n, labels, test_size, n_test = case
    x = [[float(i), -float(i)] for i in range(n)]  # row i is identified by i
    x_before, y_before = copy.deepcopy(x), list(labels)
    if n_test > n - 1:
        with raises("leaves no training rows"):
            D.train_test_split(x, labels, test_size=test_size, seed=seed)
        return
    parts = D.train_test_split(x, labels, test_size=test_size, seed=seed, stratify=stratify)
    x_train, x_test, y_train, y_test = parts
    assert (x, labels) == (x_before, y_before)
    assert len(x_test) == len(y_test) == n_test and len(x_train) == len(y_train) == n - n_test
    ids = [int(row[0]) for row in x_train + x_test]
    assert sorted(ids) == list(range(n))
    assert y_train + y_test == [labels[i] for i in ids]
    again = D.train_test_split(x, labels, test_size=test_size, seed=seed, stratify=stratify)
    assert again == parts
    x_test[0][0] = 99.0
    assert x == x_before  # fresh rows
    if stratify:
        for c, n_c in Counter(labels).items():
            assert abs(y_test.count(c) - Fraction(n_test * n_c, n)) < 1


@given(st.lists(st.sampled_from("xyz"), min_size=4, max_size=40), st.integers(0, 100))
@settings(max_examples=20)
def test_split_stratifies_a_one_hot_matrix_by_its_rows(labels, seed):
    y, _ = D.one_hot(labels)
    x = [[float(i)] for i in range(len(labels))]
    _, x_test, _, y_test = D.train_test_split(x, y, test_size=0.5, seed=seed, stratify=True)
    n_test = math.ceil(len(labels) / 2)
    for c, n_c in Counter(map(tuple, y)).items():
        assert abs(y_test.count(list(c)) - Fraction(n_test * n_c, len(labels))) < 1
    assert all(y_row == y[int(x_row[0])] for x_row, y_row in zip(x_test, y_test))


def test_stratified_iris_split_keeps_the_thirds():
    x, labels = D.load_iris()
    _, x_test, y_train, y_test = D.train_test_split(x, labels, test_size=0.2, seed=0,
                                                    stratify=True)
    assert Counter(y_test) == {"setosa": 10, "versicolor": 10, "virginica": 10}
    assert Counter(y_train) == {"setosa": 40, "versicolor": 40, "virginica": 40}


def test_split_shuffles_and_seeds_differ():
    x = [[float(i)] for i in range(50)]
    a = D.train_test_split(x, list(range(50)), seed=1)
    b = D.train_test_split(x, list(range(50)), seed=2)
    assert a != b
    assert a[3] != sorted(a[3])  # the test part is not in input order


@pytest.mark.parametrize("kwargs, message", [
    ({"test_size": 0.0}, "train_test_split: test_size as a fraction must be in (0, 1), got 0.0"),
    ({"test_size": 1.0}, "train_test_split: test_size as a fraction must be in (0, 1), got 1.0"),
    ({"test_size": -0.5}, "as a fraction must be in (0, 1), got -0.5"),
    ({"test_size": 0}, "test_size as a count must be in 1..9 for 10 rows, got 0"),
    ({"test_size": 10}, "test_size as a count must be in 1..9 for 10 rows, got 10"),
    ({"test_size": 0.99}, "train_test_split: test_size 0.99 of 10 rows leaves no training rows"),
    ({"test_size": True}, "train_test_split: test_size must be a real number, got bool True"),
    ({"test_size": "0.2"}, "train_test_split: test_size must be a real number, got str '0.2'"),
    ({"seed": "a"}, "train_test_split: seed must be an integer or None, got str 'a'"),
])
def test_split_bad_test_size(kwargs, message):
    with raises(message):
        D.train_test_split([[1.0]] * 10, [0] * 10, **kwargs)


def test_split_bad_data():
    with raises("train_test_split: x has 3 rows but y has 2"):
        D.train_test_split([[1.0]] * 3, [0, 1])
    with raises("train_test_split: needs at least 2 rows to make two parts, got 1"):
        D.train_test_split([[1.0]], [0])
    with raises("train_test_split: x is empty"):
        D.train_test_split([], [])
    with raises("train_test_split: y must be a sequence of rows, got NoneType None"):
        D.train_test_split([[1.0]] * 3, None)
    with raises("train_test_split: stratify needs hashable labels, y[0] is dict {}"):
        D.train_test_split([[1.0]] * 3, [{}, {}, {}], stratify=True)


# --- Standardizer --------------------------------------------------------------

@st.composite
def tall_matrices(draw):
    return draw(matrices(draw(st.integers(2, 10)), draw(st.integers(1, 4)), finite))


def exact_mean_std(col):
    """Mean and population std in exact fractions (statistics.pstdev of 3.9
    fails on spreads near 1e-170), rounded to float only at the end."""
    n = len(col)
    mean = sum(map(Fraction, col)) / n
    variance = sum((Fraction(v) - mean) ** 2 for v in col) / n
    scale = max(abs(Fraction(v) - mean) for v in col)  # keeps the float in range
    return float(mean), float(scale) * math.sqrt(variance / scale ** 2)


@given(tall_matrices())
def test_standardizer_gives_mean_0_std_1(x):
    before = copy.deepcopy(x)
    s = D.Standardizer()
    assert s.fit(x) is s
    z = s.transform(x)
    assert x == before
    for j, col in enumerate(zip(*x)):
        zcol = [row[j] for row in z]
        if min(col) == max(col):
            assert zcol == [0.0] * len(col) and s.std[j] == 1.0
            continue
        mean, std = exact_mean_std(col)
        assert oracle.close(s.mean[j], mean, 1e-9, 1e-9)
        if std < 1e-150 and s.std[j] == 1.0:  # a near-zero spread may count as constant
            continue
        # A subnormal std (x = [[0.0], [5e-324]]) has no relative precision
        # left: the absolute tolerance is the float grid's spacing there.
        assert oracle.close(s.std[j], std, 1e-9, 1e-300)
        if max(col) - min(col) > 1e-6:  # far from subnormal spreads
            z_mean, z_std = exact_mean_std(zcol)
            assert oracle.close(z_mean, 0.0, 1e-9, 1e-6)
            assert oracle.close(z_std, 1.0, 1e-6, 1e-6)
    assert oracle.all_close(s.inverse_transform(z), x, 1e-9, 1e-6)


@given(tall_matrices())
@settings(max_examples=20)
def test_standardizer_dict_round_trip(x):
    s = D.Standardizer().fit(x)
    d = json.loads(json.dumps(s.to_dict()))
    t = D.Standardizer.from_dict(d)
    assert (t.mean, t.std) == (s.mean, s.std)
    assert t.transform(x) == s.transform(x)


def test_standardizer_worked_example_and_repr():
    s = D.Standardizer()
    assert repr(s) == "Standardizer(not fitted)"
    # column 0: mean 2, deviations -2, 0, 2 -> variance 8/3; column 1 constant
    s.fit([[0.0, 7.0], [2.0, 7.0], [4.0, 7.0]])
    assert s.mean == [2.0, 7.0] and s.std == [math.sqrt(8 / 3), 1.0]
    assert s.fit_transform([[0.0, 7.0], [2.0, 7.0], [4.0, 7.0]])[1] == [0.0, 0.0]
    assert repr(s) == "Standardizer(mean=[2, 7], std=[1.633, 1])"
    wide = D.Standardizer().fit([[float(j) for j in range(10)], [float(j) for j in range(1, 11)]])
    assert repr(wide) == ("Standardizer(mean=[0.5, 1.5, 2.5, 3.5, 4.5, 5.5, ... (10 in all)], "
                          "std=[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, ... (10 in all)])")
    d = s.to_dict()
    d["mean"][0] = 100.0
    assert s.mean[0] == 2.0  # to_dict returns copies


def test_standardizer_extreme_scales():
    # the squares of these deviations overflow or underflow a float
    assert D.Standardizer().fit([[1e300], [-1e300]]).std == [1e300]
    s = D.Standardizer().fit([[1e-300], [-1e-300]])
    assert s.transform([[1e-300], [-1e-300]]) == [[1.0], [-1.0]]


def test_standardizer_bad_use():
    s = D.Standardizer()
    for method in ("transform", "inverse_transform"):
        with raises(f"Standardizer.{method}: not fitted yet; call fit(x) first"):
            getattr(s, method)([[1.0]])
    with raises("Standardizer.to_dict: not fitted yet"):
        s.to_dict()
    s.fit([[1.0, 2.0], [3.0, 4.0]])
    with raises("Standardizer.transform: fitted on 2 columns, got 3", ShapeError):
        s.transform([[1.0, 2.0, 3.0]])
    with raises("Standardizer.inverse_transform: fitted on 2 columns, got 1", ShapeError):
        s.inverse_transform([[1.0]])
    with raises("Standardizer.fit: needs at least one row"):
        D.Standardizer().fit([])
    with raises("Standardizer.fit: entry (1, 0) must be a real number, got str 'x'"):
        D.Standardizer().fit([[1.0], ["x"]])


@pytest.mark.parametrize("d, message", [
    ([1.0], "needs a dict with keys 'mean' and 'std', got list [1.0]"),
    ({"std": [1.0]}, "missing key 'mean'"),
    ({"mean": [1.0]}, "missing key 'std'"),
    ({"mean": "1.0", "std": [1.0]}, "'mean' must be a list of numbers, got str '1.0'"),
    ({"mean": [], "std": []}, "'mean' is empty"),
    ({"mean": [1.0], "std": ["1"]}, "'std' entry 0 must be a real number, got str '1'"),
    ({"mean": [1.0, True], "std": [1.0, 1.0]},
     "'mean' entry 1 must be a real number, got bool True"),
    ({"mean": [1.0], "std": [float("inf")]}, "'std' entry 0 must be finite, got inf"),
    ({"mean": [float("nan")], "std": [1.0]}, "'mean' entry 0 must be finite, got nan"),
    ({"mean": [1.0, 2.0], "std": [1.0, 0.0]}, "'std' entry 1 must be > 0, got 0.0"),
    ({"mean": [1.0], "std": [-2.0]}, "'std' entry 0 must be > 0, got -2.0"),
    ({"mean": [1.0, 2.0], "std": [1.0]}, "'mean' has 2 entries but 'std' has 1"),
])
def test_standardizer_from_dict_bad_input(d, message):
    with raises("Standardizer.from_dict: " + message):
        D.Standardizer.from_dict(d)


# --- batches -------------------------------------------------------------------

@given(n=st.integers(1, 30), size=st.one_of(st.none(), st.integers(1, 35)),
       shuffle=st.booleans(), seed=st.integers(0, 1000))
def test_batches_cover_every_row_once(n, size, shuffle, seed):
    x = [[float(i)] for i in range(n)]
    y = [f"label{i}" for i in range(n)]
    before = copy.deepcopy(x)
    out = list(D.batches(x, y, size, shuffle=shuffle, seed=seed))
    step = n if size is None else size
    assert [len(xb) for xb, _ in out] == [min(step, n - k) for k in range(0, n, step)]
    ids = [int(row[0]) for xb, _ in out for row in xb]
    assert sorted(ids) == list(range(n))
    assert [label for _, yb in out for label in yb] == [f"label{i}" for i in ids]
    if not shuffle:
        assert ids == list(range(n))
    assert list(D.batches(x, y, size, shuffle=shuffle, seed=seed)) == out
    out[0][0][0][0] = -1.0
    assert x == before


def test_batches_share_one_rng_across_epochs():
    x = [[float(i)] for i in range(20)]
    rng = random.Random(7)
    epoch1 = [xb for xb, _ in D.batches(x, None, 5, rng=rng)]
    epoch2 = [xb for xb, _ in D.batches(x, None, 5, rng=rng)]
    assert epoch1 != epoch2  # a new order each epoch ...
    again = random.Random(7)
    assert [xb for xb, _ in D.batches(x, None, 5, rng=again)] == epoch1  # ... reproducibly
    assert [xb for xb, _ in D.batches(x, None, 5, rng=again)] == epoch2
    assert [yb for _, yb in D.batches(x, None, 5, rng=rng)] == [None] * 4


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_size": 0}, "batches: batch_size must be a positive integer or None, got 0"),
    ({"batch_size": 2.0}, "batches: batch_size must be a positive integer or None, got 2.0"),
    ({"batch_size": True}, "batches: batch_size must be a positive integer or None, got True"),
    ({"batch_size": 2, "seed": 1, "rng": random.Random(1)}, "batches: give seed or rng, not both"),
    ({"batch_size": 2, "rng": 1}, "batches: rng must be a random.Random, got int 1"),
    ({"batch_size": 2, "y": [1]}, "batches: x has 3 rows but y has 1"),
    ({"batch_size": 2, "x": []}, "batches: x is empty"),
])
def test_batches_bad_input_fails_at_the_call(kwargs, message):
    args = {"x": [[1.0], [2.0], [3.0]], "y": [1, 2, 3]}
    args.update(kwargs)
    with raises(message):
        D.batches(args.pop("x"), args.pop("y"), args.pop("batch_size"), **args)  # not iterated


# --- read_csv --------------------------------------------------------------------

def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_read_csv_header_and_text_target_by_name(tmp_path):
    path = write(tmp_path, "a,b,kind,c\n1,2,cat,3\n4.5, -5 ,dog,6e1\n")
    x, y, names, target = D.read_csv(path, target="kind")
    assert x == [[1.0, 2.0, 3.0], [4.5, -5.0, 60.0]]
    assert y == ["cat", "dog"] and names == ["a", "b", "c"] and target == "kind"


def test_read_csv_numeric_target_by_index(tmp_path):
    path = write(tmp_path, "h,w,score\n1,2,0.5\n3,4,1\n")
    assert D.read_csv(path) == ([[1.0, 2.0], [3.0, 4.0]], [0.5, 1.0], ["h", "w"], "score")
    assert D.read_csv(path, target=0) == ([[2.0, 0.5], [4.0, 1.0]], [1.0, 3.0],
                                          ["w", "score"], "h")
    assert D.read_csv(path, target=-2)[3] == "w"


def test_read_csv_without_header(tmp_path):
    path = write(tmp_path, "1,2,3\n4,5,6\n")
    assert D.read_csv(path) == ([[1.0, 2.0], [4.0, 5.0]], [3.0, 6.0], ["x0", "x1"], "y")
    assert D.read_csv(path, target=1)[2:] == (["x0", "x1"], "y")
    assert D.read_csv(path, target=1)[0] == [[1.0, 3.0], [4.0, 6.0]]
    assert D.read_csv(path, target=None) == ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], None,
                                             ["x0", "x1", "x2"], None)
    # a text label column alone does not make the first row a header
    path = write(tmp_path, "5.1,3.5,setosa\n6.2,3.4,virginica\n", "iris.csv")
    x, y, names, target = D.read_csv(path)
    assert x == [[5.1, 3.5], [6.2, 3.4]] and y == ["setosa", "virginica"]
    assert (names, target) == (["x0", "x1"], "y")
    single = write(tmp_path, "1,2\n", "one.csv")
    assert D.read_csv(single) == ([[1.0]], [2.0], ["x0"], "y")


def test_read_csv_selects_features_by_name(tmp_path):
    path = write(tmp_path, "a,b,c,label\n1,2,3,x\n4,5,6,y\n")
    x, y, names, target = D.read_csv(path, target=None, features=["c", "a"])
    assert (x, y, names, target) == ([[3.0, 1.0], [6.0, 4.0]], None, ["c", "a"], None)
    x, y, names, _ = D.read_csv(path, target="label", features=("b",))
    assert (x, y, names) == ([[2.0], [5.0]], ["x", "y"], ["b"])
    # without a header, names are those read_csv would give
    plain = write(tmp_path, "1,2,3\n4,5,6\n", "plain.csv")
    assert D.read_csv(plain, target=None, features=["x2", "x0"])[0] == [[3.0, 1.0], [6.0, 4.0]]


def test_read_csv_targets_stay_text_unless_all_are_finite_numbers(tmp_path):
    assert D.read_csv(write(tmp_path, "a,t\n1,1\n2,x\n"))[1] == ["1", "x"]
    assert D.read_csv(write(tmp_path, "a,t\n1,1\n2,nan\n"))[1] == ["1", "nan"]
    assert D.read_csv(write(tmp_path, "a,t\n1,1\n2,3\n"))[1] == [1.0, 3.0]


def test_read_csv_handles_blank_lines_quotes_bom_gzip_and_paths(tmp_path):
    text = '\ufeffa,name\n\n1,"Smith, J."\n,\n  \n2,"Doe"\n'
    path = write(tmp_path, text)
    assert D.read_csv(path, target="name") == ([[1.0], [2.0]], ["Smith, J.", "Doe"], ["a"], "name")
    gz = tmp_path / "data.csv.gz"
    with gzip.open(str(gz), "wt") as f:
        f.write("a,b\n1,2\n")
    assert D.read_csv(gz) == ([[1.0]], [2.0], ["a"], "b")  # a pathlib.Path, gzipped
    assert D.read_csv(str(gz).encode()) == ([[1.0]], [2.0], ["a"], "b")


def test_read_csv_reads_the_shipped_iris_file():
    x, y, names, target = D.read_csv(os.path.join(DATASETS_DIR, "iris.csv"), target="species")
    assert names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert (x, y) == D.load_iris() and target == "species"


def test_read_csv_bad_cells_name_line_and_column(tmp_path):
    path = write(tmp_path, "age,height,y\n30,180,1\n\nabc,170,0\n")
    with raises(f"read_csv: {path} line 4, column 'age': expected a number, got 'abc'"):
        D.read_csv(path)
    path = write(tmp_path, "1,2,3\n4,inf,6\n", "inf.csv")
    with raises(f"read_csv: {path} line 2, column 'x1': expected a finite number, got 'inf'"):
        D.read_csv(path)
    path = write(tmp_path, "a,b\n1,2\n,3\n", "gap.csv")
    with raises(f"read_csv: {path} line 3, column 'a': expected a number, got ''"):
        D.read_csv(path)


@pytest.mark.parametrize("text, message", [
    ("a,b,c\n1,2,3\n4,5\n", "{path} line 3 has 2 columns, expected 3"),
    ("a,b\n1,2\n3,4,5\n", "{path} line 3 has 3 columns, expected 2"),
    ("", "{path} is empty"),
    ("\n\n  \n", "{path} is empty"),
    ("a,b,c\n", "{path} has a header but no data rows"),
    ("a,b,a\n1,2,3\n", "{path} line 1: column name 'a' appears twice"),
    ("a,,c\n1,2,3\n", "{path} line 1: column 1 has an empty name"),
    ("only\n1\n2\n", "{path} has no feature columns, only the target 'only'"),
])
def test_read_csv_bad_files(tmp_path, text, message):
    path = write(tmp_path, text)
    with raises("read_csv: " + message.format(path=path)):
        D.read_csv(path)


@pytest.mark.parametrize("kwargs, message", [
    ({"target": "kind"}, "{path} has no column 'kind'; columns are 'a', 'b', 'c'"),
    ({"target": 3}, "target index 3 is out of range for 3 columns"),
    ({"target": -4}, "target index -4 is out of range for 3 columns"),
    ({"target": 1.0}, "target must be a column name, an index or None, got float 1.0"),
    ({"target": True}, "target must be a column name, an index or None, got bool True"),
    ({"features": ["a", "z"]}, "{path} has no column 'z'; columns are 'a', 'b', 'c'"),
    ({"features": ["c"]}, "column 'c' is the target; it cannot also be a feature"),
    ({"features": ["a", "a"]}, "features lists 'a' twice"),
    ({"features": "a"}, "features must be a list of column names, got str 'a'"),
    ({"features": []}, "features is empty"),
    ({"features": [0]}, "features must be column names, got int 0"),
])
def test_read_csv_bad_columns(tmp_path, kwargs, message):
    path = write(tmp_path, "a,b,c\n1,2,3\n")
    with raises("read_csv: " + message.format(path=path)):
        D.read_csv(path, **kwargs)


def test_read_csv_target_name_needs_a_header(tmp_path):
    path = write(tmp_path, "1,2,3\n")
    with raises(f"read_csv: {path} has no header row, so target must be a column index, "
                "got 'y'"):
        D.read_csv(path, target="y")


def test_read_csv_unreadable_files(tmp_path):
    missing = str(tmp_path / "nope.csv")
    with raises(f"read_csv: no such file: {missing!r}"):
        D.read_csv(missing)
    with raises(f"read_csv: cannot read {str(tmp_path)!r}"):
        D.read_csv(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\n1,caf\xe9\n".encode("latin-1"))
    with raises(f"read_csv: {latin} is not UTF-8 text"):
        D.read_csv(latin)
    fake = tmp_path / "fake.csv.gz"
    fake.write_text("a,b\n1,2\n")
    with raises(f"read_csv: cannot read {str(fake)!r}"):
        D.read_csv(fake)
    with raises("read_csv: path must be a file name, got int 3"):
        D.read_csv(3)
