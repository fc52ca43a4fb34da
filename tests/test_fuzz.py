"""Fuzz: generated garbage thrown at every public entry point (issue 11).

The API may answer garbage only with TinynetError (a ValueError), never with
a TypeError, an OverflowError, an IndexError or a hang; the command line
only with exit code 1 or 2 and one error line on stderr, never a traceback.

Sizes, epochs and counts in the garbage stay small (a list of 10**9 zeros is
a valid request, just a slow one); the values that must be refused, such as
10**400, NaN, strings and nested junk, are drawn freely.
"""

import contextlib
import gzip
import io
import json
import os
import random
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tinynet import Network, TinynetError, matrix, metrics, serialize
from tinynet.cli import main
from tinynet.data import read_csv

# --- garbage ----------------------------------------------------------------------

small_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 6), st.floats(),
    st.text(max_size=4), st.binary(max_size=4), st.complex_numbers(max_magnitude=10),
    st.just(object()), st.just(random.Random(0)),
)
scalars = st.one_of(small_scalars, st.just(10 ** 400))


def nested(leaves):
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                                st.dictionaries(st.text(max_size=3), inner, max_size=3),
                                st.frozensets(st.integers(0, 3), max_size=3)),
        max_leaves=10)


garbage = nested(scalars)
# For sizes, no 10**400: Network([2, 10**400]) or identity(10**400) asks for
# an endless allocation, which a size check (core) should refuse but which a
# fuzz must not start.
sizes_junk = nested(small_scalars)
# a matrix-like thing: mostly the right nesting, with junk in it
rows = st.lists(st.lists(st.one_of(st.floats(), scalars), min_size=0, max_size=3),
                min_size=0, max_size=3)
matrix_ish = st.one_of(rows, garbage)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
              allow_infinity=False), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=15)

SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_tinynet_errors(call, *args, **kwargs):
    """Call; a TinynetError is a fine answer to garbage, any other exception is not."""
    try:
        call(*args, **kwargs)
    except TinynetError:
        pass


# --- a workspace the file fuzzers write in ---------------------------------------------

@pytest.fixture(scope="module")
def workspace():
    """A temporary folder, made the current one, with a model and CSV files in it."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            net = Network([2, 2], output_activation="softmax", loss="cross_entropy", seed=0)
            net.classes, net.feature_names, net.target_name = ["x", "y"], ["a", "b"], "label"
            net.save("m.json")
            with open("d.csv", "w") as f:
                f.write("a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n")
            with open("g.csv", "w") as f:
                f.write("a,b\n1,\n;;\n")
            yield folder
        finally:
            os.chdir(old)


# --- the API -------------------------------------------------------------------------------

MATRIX_OPS = [
    (matrix.shape, 1), (matrix.transpose, 1), (matrix.column_sums, 1),
    (matrix.argmax_rows, 1), (matrix.as_matrix, 1), (matrix.matmul, 2), (matrix.add, 2),
    (matrix.sub, 2), (matrix.hadamard, 2), (matrix.add_row, 2), (matrix.scale, 2),
    (matrix.vdot, 2), (matrix.apply, 2), (matrix.class_indices, 1),
]


@given(st.sampled_from(MATRIX_OPS), matrix_ish, matrix_ish)
@example((matrix.matmul, 2), [[10 ** 400]], [[1.0]])
@example((matrix.argmax_rows, 1), [["a", None]], None)
@SLOW_OK
def test_matrix_ops_answer_garbage_with_tinynet_error(op_arity, a, b):
    op, arity = op_arity
    only_tinynet_errors(op, *[a, b][:arity])


@given(st.integers(-3, 6), st.integers(-3, 6), st.one_of(st.integers(-3, 6), sizes_junk))
def test_matrix_makers_answer_garbage_with_tinynet_error(rows_, cols, junk):
    only_tinynet_errors(matrix.zeros, rows_, junk)
    only_tinynet_errors(matrix.identity, junk)
    only_tinynet_errors(matrix.random_uniform, rows_, cols, 0.0, 1.0, junk)
    only_tinynet_errors(matrix.random_normal, rows_, cols, junk, 1.0, random.Random(0))


NETWORK_OPTIONS = ["activation", "output_activation", "loss", "init", "seed"]


@given(st.one_of(st.lists(st.one_of(st.integers(-2, 5), small_scalars), max_size=4),
                 sizes_junk),
       st.dictionaries(st.sampled_from(NETWORK_OPTIONS), garbage, max_size=2))
@example([2, 1], {"seed": []})
def test_network_answers_garbage_with_tinynet_error(sizes, options):
    only_tinynet_errors(Network, sizes, **options)


FIT_OPTIONS = ["learning_rate", "optimizer", "batch_size", "shuffle", "seed",
               "validation_data", "validation_split", "patience", "min_delta", "callback",
               "verbose"]


@given(matrix_ish, matrix_ish, st.one_of(st.integers(-2, 3), garbage),
       st.dictionaries(st.sampled_from(FIT_OPTIONS), garbage, max_size=2))
@SLOW_OK
def test_fit_and_predict_answer_garbage_with_tinynet_error(x, y, epochs, options):
    if isinstance(epochs, int) and not isinstance(epochs, bool) and epochs > 3:
        epochs = 3  # a valid but long request
    net = Network([2, 3, 1], seed=0)
    only_tinynet_errors(net.fit, x, y, epochs=epochs, **options)
    only_tinynet_errors(net.fit, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]], epochs=1,
                        **options)
    for method in (net.predict, net.predict_proba, net.predict_classes, net.forward):
        only_tinynet_errors(method, x)
    only_tinynet_errors(net.loss, x, y)


def path_text():
    # file names inside the workspace only: no folders, no absolute paths
    return st.text(st.characters(blacklist_characters="/\\", blacklist_categories=("Cs",)),
                   max_size=8)


@given(st.one_of(path_text(), garbage))
@SLOW_OK
def test_save_and_load_answer_garbage_paths_with_tinynet_error(workspace, path):
    net = Network([2, 1], seed=0)
    only_tinynet_errors(serialize.save, net, path)
    only_tinynet_errors(serialize.load, path)
    only_tinynet_errors(serialize.load, "m.json", max_bytes=path)


@given(st.one_of(st.binary(max_size=200), json_values.map(json.dumps).map(str.encode)))
@SLOW_OK
def test_load_answers_garbage_files_with_tinynet_error(workspace, content):
    with open("fuzz.json", "wb") as f:
        f.write(content)
    only_tinynet_errors(serialize.load, "fuzz.json")


def model_dict():
    net = Network([2, 3, 2], output_activation="softmax", loss="cross_entropy", seed=0)
    net.classes, net.feature_names, net.target_name = ["x", "y"], ["a", "b"], "label"
    return serialize.to_dict(net)


@given(st.lists(st.sampled_from(["format", "version", "loss", "layers", "classes",
                                 "feature_names", "target_name", "standardizer"]),
                min_size=1, max_size=2), json_values)
@example(["layers"], [{"type": "Dense", "activation": "relu", "weights": [[10 ** 400]],
                       "biases": [0.0]}])
@SLOW_OK
def test_load_answers_a_damaged_model_with_tinynet_error(workspace, keys, value):
    doc = model_dict()
    for key in keys:
        doc[key] = value
    with open("fuzz.json", "w") as f:
        f.write(json.dumps(doc))
    only_tinynet_errors(serialize.load, "fuzz.json")


csv_text = st.text(st.sampled_from("ab,;\"\n\r 1.5e-3nNaiy\t\x00\u00e9"), max_size=80)


@given(st.one_of(csv_text.map(str.encode), st.binary(max_size=80)), st.booleans(),
       st.one_of(st.integers(-4, 4), st.text(max_size=3), garbage),
       st.one_of(st.none(), st.lists(st.text("abxy", max_size=2), max_size=3), garbage))
@SLOW_OK
def test_read_csv_answers_garbage_with_tinynet_error(workspace, content, packed, target,
                                                     features):
    name = "fuzz.csv.gz" if packed else "fuzz.csv"
    with open(name, "wb") as f:
        f.write(gzip.compress(content) if packed and content[:1] != b"a" else content)
    only_tinynet_errors(read_csv, name, target=target, features=features)
    only_tinynet_errors(read_csv, name, max_bytes=target)


METRICS = [metrics.accuracy, metrics.confusion_matrix, metrics.precision_recall_f1,
           metrics.classification_report, metrics.mean_squared_error]


@given(st.sampled_from(METRICS), matrix_ish, matrix_ish)
@example(metrics.mean_squared_error, [[10 ** 400]], [[1.0]])
def test_metrics_answer_garbage_with_tinynet_error(metric, y_true, y_pred):
    only_tinynet_errors(metric, y_true, y_pred)


# --- the command line, in-process -------------------------------------------------------------

TRAIN_OPTIONS = [
    "--save", "--plot", "--target", "--features", "--hidden", "--lr", "--batch-size",
    "--seed", "--val-split", "--patience", "--loss", "--activation", "--output-activation",
    "--optimizer", "--max-params", "--max-file-mb", "--classification", "--regression",
    "--no-standardize",
]
COMMANDS = {  # command: (positional arguments, its options)
    "train": (1, TRAIN_OPTIONS),
    "evaluate": (2, ["--target", "--json", "--plot", "--max-file-mb"]),
    "predict": (2, ["--out", "--max-file-mb"]),
    "plot": (3, ["--target", "--max-file-mb"]),
    "gradcheck": (0, ["--hidden", "--activation", "--loss", "--seed"]),
    "datasets": (0, ["--help"]),
}
FLAGS = {"--json", "--classification", "--regression", "--no-standardize", "--help"}
FILES = ["m.json", "d.csv", "xor", "moons", "iris", "g.csv", "missing.csv", "out.svg", "."]
VALUES = [
    "out.json", "out.svg", "p.csv", "m.json", "d.csv", "0", "1", "2", "-1", "0.5", "nan",
    "inf", "1e400", "a,b", "a", "b", "label", "none", "", "x0", "sgd", "adam", "mse",
    "cross_entropy", "relu", "softmax", "\u00e9", "a\nb",
]
GOOD = {  # values each option takes, so that runs get past the parser too
    "--save": ["out.json", "m.json", "d.csv"], "--plot": ["out.svg", "d.csv"],
    "--out": ["p.csv", "m.json"], "--target": ["label", "a", "-1", "0", "y"],
    "--features": ["a", "a,b", "b,a"], "--hidden": ["2", "3,2", "none"],
    "--lr": ["0.1", "1e6"], "--batch-size": ["1", "3"], "--seed": ["0", "-1", "7"],
    "--val-split": ["0", "0.5"], "--patience": ["0", "1"], "--max-params": ["5", "1000"],
    "--max-file-mb": ["64", "0.0001"], "--loss": ["mse", "sse", "cross_entropy",
                                                  "binary_cross_entropy"],
    "--activation": ["relu", "tanh", "sigmoid"],
    "--output-activation": ["softmax", "sigmoid", "identity"],
    "--optimizer": ["sgd", "adam"],
}
texts = path_text().filter(lambda t: not t.startswith("~"))
files = st.one_of(st.sampled_from(FILES), texts)
values = st.one_of(st.sampled_from(VALUES), texts)


def value_for(option):
    good = st.sampled_from(GOOD[option])
    return st.one_of(good, good, good, values)  # mostly good, sometimes not


@st.composite
def command_lines(draw):
    """A command, its positional arguments, some of its options with values
    (good or bad), and now and then a stray word."""
    command = draw(st.sampled_from(sorted(COMMANDS)))
    n, options = COMMANDS[command]
    argv = [command] + draw(st.lists(files, min_size=n, max_size=n))
    for option in draw(st.lists(st.sampled_from(options), max_size=4)):
        argv += [option] if option in FLAGS else [option, draw(value_for(option))]
    argv += draw(st.lists(st.one_of(values, st.sampled_from(TRAIN_OPTIONS)), max_size=1))
    if command == "train":
        argv += ["--epochs", "2", "--quiet"]  # keep a valid run short
    return argv


@given(command_lines())
@SLOW_OK
def test_the_cli_answers_garbage_with_an_exit_code_and_one_line(workspace, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 1, 2), (argv, err.getvalue())
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue()
    errors = [line for line in lines if line.startswith("tinynet: error: ")]
    if code:
        assert len(errors) == 1 and lines[-1] == errors[0], (argv, lines)
    else:
        assert not errors, (argv, lines)
