"""The command line: train a network on a CSV file, then use it, without code.

==================================  ==========================================
command                             what it does
==================================  ==========================================
tinynet  (or: tinynet demo)         the article's demo: XOR, a chart, a table
tinynet train DATA --save M.json    train on a CSV file or a built-in data set
tinynet evaluate M.json DATA        accuracy, F1, confusion matrix; or r2, MAE
tinynet predict M.json DATA         one prediction per row, as CSV
tinynet plot M.json DATA OUT.svg    the decision boundary of a 2-feature model,
                                    or a convolution model's filters
tinynet gradcheck                   backpropagation against finite differences
tinynet datasets                    the built-in data sets
==================================  ==========================================

DATA is a CSV file as published (the target is the last column unless
``--target`` says otherwise) or the name of a built-in data set. ``train``
reads the file as tinynet.data.read_sheet does (delimiter, header, row
index, missing cells), encodes text and fills in blanks with a
TableEncoder, standardizes the features, and saves all of it in the model
with the class labels, so ``evaluate``, ``predict`` and ``plot`` take files
laid out like the training file and pick its columns by name. Notes on what
was found go to stderr as ``tinynet: note: ...``, and what looks wrong as
``tinynet: warning: ...``.

The steps from a table to a trained model are tinynet.recipe's; this module
parses the arguments, calls the recipe, and prints. Every file it writes
goes through tinynet.files.write_atomic.

Exit codes: 0 done, 1 bad data (a missing file, a ragged CSV, ...), 2 a
usage error (an unknown option, --lr 0, an output that is also an input,
...), 130 interrupted (Ctrl-C). Every error is one line on stderr,
``tinynet: error: ...``.

Guards. No output may be one of the inputs (``--save data.csv`` is refused,
whatever path or link leads there), and every output is checked writable
before any work starts, so a long training run is never lost to a
read-only folder. Input files are read only if they are regular files of at
most ``--max-file-mb`` MiB (64 by default; a .csv.gz counts decompressed),
and ``train`` refuses a network of more than ``--max-params`` parameters
(5,000,000 by default: about 640 MB to train). With stderr closed
(``2>&-``) there is no progress bar and the work still gets done; with
stdout closed, a command whose output goes there fails with exit code 1.

>>> main(["gradcheck", "--hidden", "3", "--seed", "1"])  # doctest: +ELLIPSIS
network [3, 3, 2], tanh hidden, ...
passed
0
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import random
import sys
import textwrap
from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

from . import __version__, activations, data, layerspec, losses, optim, recipe, serialize
from .demo import run_demo
from .errors import TinynetError
from .files import MAX_BYTES, check_writable, same_file, write_atomic
from .gradcheck import check_gradients
from .network import History, Network
from .playground import server as playground
from .plot import ConfusionMatrixPlot, DecisionBoundaryPlot, FeatureMapPlot, FilterPlot, LossPlot
from .progress import ProgressBar
from .recipe import (ACTIVATION, BATCH_SIZE, EPOCHS, HIDDEN, IMAGE_EPOCHS, MAX_PARAMS, PATIENCE,
                     VAL_SPLIT, Table, brief)

__all__ = ["main"]

# The defaults of `tinynet train` (HIDDEN, EPOCHS, ...) live in tinynet.recipe,
# which holds the steps from a table to a trained model; this module parses
# the command line and prints.


class UsageError(Exception):
    """A command line that does not make sense: exit code 2, like argparse's errors."""


class _Parser(argparse.ArgumentParser):
    # One line on stderr instead of argparse's usage block, raised so that
    # main decides the exit code and tests see no SystemExit.
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


# --- main ---------------------------------------------------------------------

def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line on argv (default sys.argv[1:]); return the exit code.

    Errors print one line on stderr and give 2 for usage errors, 1 for bad
    data or files, 130 for Ctrl-C. Output cut short by a closed pipe
    (``tinynet predict ... | head``) ends quietly with 1.
    """
    _hold_standard_fds()
    try:
        try:
            args = _parser().parse_args(argv)
            code = args.run(args)
        finally:
            if sys.stdout is not None:
                sys.stdout.flush()
        return code
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else 0
    except UsageError as e:
        return _fail(str(e), 2)
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except TinynetError as e:
        return _fail(str(e), 1)
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        return _fail(f"{where}{e.strerror or e}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


def _fail(message: str, code: int) -> int:
    # One line, whatever the message quotes: a file name or an argument may
    # hold a newline or a carriage return; show those escaped, as repr does.
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    _note(f"tinynet: error: {line}")
    return code


def _note(line: str) -> None:
    # print(file=None) would print to stdout: with stderr closed, say nothing
    if sys.stderr is not None:
        print(line, file=sys.stderr)


def _need_stdout(what: str) -> None:
    if sys.stdout is None:  # python was started with >&-
        raise TinynetError(f"standard output is closed, so {what} cannot be shown")


def _hold_standard_fds() -> None:
    # Started with 1 or 2 closed (>&-, 2>&-), the next file opened would get
    # that number, and anything written "to stderr" would land in it. Hold
    # each closed one open on the null device instead.
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                os.open(os.devnull, os.O_RDWR)  # the lowest free number: fd itself
            except OSError:
                return


def _silence_stdout() -> None:
    # The reader is gone: point stdout at devnull so that the interpreter's
    # own flush at exit does not complain about the broken pipe again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor
        pass


# --- option types: bad values are usage errors (exit 2) -------------------------

def _positive_int(text: str) -> int:
    return _int_at_least(text, 1, "a positive integer")


def _non_negative_int(text: str) -> int:
    return _int_at_least(text, 0, "an integer >= 0")


def _int_at_least(text: str, low: int, need: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {need}, got {text!r}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"expected {need}, got {text!r}")
    return value


def _float(text: str, ok: Callable[[float], bool], need: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not ok(value):
        raise argparse.ArgumentTypeError(f"expected {need}, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    return _float(text, lambda v: v > 0.0, "a number > 0")


def _non_negative_float(text: str) -> float:
    return _float(text, lambda v: v >= 0.0, "a number >= 0")


def _fraction(text: str) -> float:
    return _float(text, lambda v: 0.0 <= v < 1.0, "a fraction in [0, 1)")


def _hidden(text: str) -> List[int]:
    """'16,8' -> [16, 8]; '' or 'none' -> [] (no hidden layer)."""
    if text.strip().lower() in ("", "none"):
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected layer widths such as 16 or 16,8 (or 'none'), got {text!r}")
    return sizes


def _layers(text: str) -> str:
    """A layer spec, checked now so that a typo is a usage error."""
    try:
        layerspec.parse(text)
    except TinynetError as e:
        raise argparse.ArgumentTypeError(str(e).replace("layers: ", "", 1)) from None
    return text


def _image(text: str):
    try:
        return layerspec.parse_image(text)
    except TinynetError:
        raise argparse.ArgumentTypeError(f"expected CHANNELSxHEIGHTxWIDTH such as 1x28x28, "
                                         f"got {text!r}") from None


def _scale(text: str) -> Union[str, float]:
    if text == "auto":
        return text
    return _float(text, lambda v: v > 0.0, "a number > 0, or auto")


def _names(text: str) -> List[str]:
    """'a,b' -> ['a', 'b']: column names."""
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected column names such as a,b, got {text!r}")
    return names


def _delimiter(text: str) -> str:
    """',' ';' '|' or 'tab' (or a tab character) -> the delimiter."""
    value = "\t" if text.lower() in ("tab", "\\t") else text
    if len(value) != 1 or value in "\"\r\n ":
        raise argparse.ArgumentTypeError(
            f"expected one character such as ',' or ';' (or 'tab'), got {text!r}")
    return value


def _na_values(text: str) -> List[str]:
    """'NA,-' -> ['NA', '-']: the missing-value tokens."""
    return [part.strip() for part in text.split(",")]


def _column(text: str) -> Union[int, str]:
    """A column name, or an index when it looks like an integer (-1 is the last)."""
    try:
        return int(text)
    except ValueError:
        return text


# --- the parser -----------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tinynet",
        description="A neural network from scratch in pure Python. Without a command, "
                    "runs the article's demo.",
        epilog="Try: tinynet train iris --save iris.json, then "
               "tinynet evaluate iris.json iris.")
    parser.add_argument("--version", action="version", version=f"tinynet {__version__}")
    parser.set_defaults(run=_demo)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("demo", help="the article's demo: a network learns XOR",
                       description="Train the article's network on its data and show "
                                   "the loss and the predictions.")
    p.set_defaults(run=_demo)
    _add_train(sub)
    _add_evaluate(sub)
    _add_predict(sub)
    _add_plot(sub)
    _add_gradcheck(sub)
    playground.add_parser(sub)
    p = sub.add_parser("datasets", help="list the built-in data sets",
                       description="List the built-in data sets, with their sizes "
                                   "and sources.")
    p.set_defaults(run=_datasets)
    return parser


_HIDDEN_ACTIVATIONS = [a for a in activations.names() if a != "softmax"]
_DATA_HELP = ("a CSV file (separated by , ; tab or |, with or without a header and "
              "a row-index column), or a built-in data set: " + ", ".join(data.DATASETS))


def _add_train(sub: Any) -> None:
    p = sub.add_parser(
        "train", help="train a network on a CSV file or a built-in data set",
        description="Train a network on DATA and save it. Classification or regression "
                    "is inferred from the target column: text labels, or a few distinct "
                    "integers, mean classification. Rows without a target are dropped. "
                    "Text columns are one-hot encoded, missing cells filled in (the "
                    "median, or the most frequent text), ISO dates turned into year, "
                    "month and day of the year, and identifier columns left out; the "
                    "features are then standardized. All of it is saved in the model, "
                    "so evaluate and predict prepare new rows the same way.",
        epilog="Examples: tinynet train penguins.csv --target species --save penguins.json "
               "--plot loss.svg; tinynet train images.csv --target label --image 1x28x28 "
               f"--layers {layerspec.EXAMPLE} --save m.json")
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--save", metavar="MODEL.json", help="where to save the trained model")
    p.add_argument("--target", metavar="COL", type=_column,
                   help="the target column: a name, or an index (default: the last column)")
    p.add_argument("--features", metavar="COL,COL", type=_names,
                   help="the feature columns, by name (default: every column but the "
                        "target)")
    p.add_argument("--exclude", metavar="COL,COL", type=_names,
                   help="columns to leave out of the features")
    _add_reading(p)
    p.add_argument("--dropna", action="store_true",
                   help="drop rows with a missing feature cell instead of filling it in "
                        "(numbers: the training median; text: the most frequent)")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--classification", dest="task", action="store_const",
                      const="classification", help="treat the target as class labels")
    kind.add_argument("--regression", dest="task", action="store_const",
                      const="regression", help="treat the target as a number to predict")
    p.add_argument("--hidden", metavar="16,8", type=_hidden, default=HIDDEN,
                   help="widths of the hidden layers, or 'none' (default: 16)")
    p.add_argument("--layers", metavar="SPEC", type=_layers,
                   help=f"instead of --hidden, layers that read each row as an image, "
                        f"separated by commas: convF:K[:sS][:pP] (F filters of KxK, stride "
                        f"S, padding P), maxpoolN[:sS], avgpoolN[:sS], denseN, dropoutR; "
                        f"e.g. {layerspec.EXAMPLE}")
    p.add_argument("--image", metavar="CxHxW", type=_image,
                   help="the shape of an image row for --layers, e.g. 1x28x28 (default: "
                        "one channel, square)")
    p.add_argument("--scale", metavar="N", type=_scale, default="auto",
                   help="with --layers, divide the pixels by N instead of standardizing "
                        "them (default: auto, 16 or 255 from the largest value)")
    p.add_argument("--activation", choices=_HIDDEN_ACTIVATIONS, default=None,
                   metavar="NAME", help=f"hidden-layer activation: "
                   f"{', '.join(_HIDDEN_ACTIVATIONS)} (default: {ACTIVATION}; relu "
                   f"with --layers)")
    p.add_argument("--output-activation", choices=activations.names(), metavar="NAME",
                   help="output activation: one of the above or softmax (default: softmax "
                        "for classification, identity for regression)")
    p.add_argument("--loss", choices=losses.names(), metavar="NAME",
                   help=f"{', '.join(losses.names())} (default: cross_entropy for "
                        f"classification, mse for regression)")
    p.add_argument("--optimizer", choices=optim.names(), default="adam", metavar="NAME",
                   help=f"{', '.join(optim.names())} (default: adam)")
    p.add_argument("--lr", type=_positive_float, metavar="RATE",
                   help="learning rate (default: 0.01 for adam, 0.1 for sgd)")
    p.add_argument("--epochs", type=_positive_int, default=None, metavar="N",
                   help=f"most passes over the data (default: {EPOCHS}; {IMAGE_EPOCHS} with --layers)")
    p.add_argument("--batch-size", type=_positive_int, default=BATCH_SIZE, metavar="N",
                   help=f"rows per step (default: {BATCH_SIZE})")
    p.add_argument("--l2", type=_non_negative_float, default=0.0, metavar="LAMBDA",
                   help="L2 weight penalty (default: 0)")
    p.add_argument("--val-split", type=_fraction, default=VAL_SPLIT, metavar="FRACTION",
                   help=f"rows held out to watch for overfitting; 0 for none "
                        f"(default: {VAL_SPLIT})")
    p.add_argument("--test-split", type=_fraction, default=0.0, metavar="FRACTION",
                   help="rows held out (stratified by class) as a test set, never seen in "
                        "training, and scored at the end (default: 0)")
    p.add_argument("--patience", type=_non_negative_int, default=PATIENCE, metavar="N",
                   help=f"stop after N epochs without a better validation loss (training "
                        f"loss with --val-split 0) and keep the best weights; 0 never "
                        f"stops early (default: {PATIENCE})")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed for the weights, the split and the shuffling (default: 0)")
    p.add_argument("--no-standardize", action="store_true",
                   help="use the features as they are instead of scaling them to "
                        "mean 0 and std 1")
    p.add_argument("--plot", metavar="LOSS.svg", help="write the loss curves as SVG")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--max-params", type=_positive_int, default=MAX_PARAMS, metavar="N",
                   help=f"refuse a network with more parameters than this, before "
                        f"training (default: {MAX_PARAMS:,}, about 640 MB)")
    _add_max_file(p)
    p.set_defaults(run=_train)


def _add_delimiter(p: Any) -> None:
    p.add_argument("--delimiter", metavar="CHAR", type=_delimiter,
                   help="the column separator: , ; tab | or another character "
                        "(default: detected among , ; tab |)")


def _add_reading(p: Any) -> None:
    _add_delimiter(p)
    p.add_argument("--na-values", metavar="A,B", type=_na_values,
                   help=f"the cells that mean a missing value, compared ignoring case; "
                        f"empty cells always do (default: "
                        f"{','.join(v for v in data.NA_VALUES if v)})")


def _add_evaluate(sub: Any) -> None:
    p = sub.add_parser(
        "evaluate", help="measure a saved model on labelled data",
        description="Print the accuracy, balanced accuracy, macro F1 and confusion matrix "
                    "of a classifier, or the r2, MAE and RMSE of a regressor, on DATA. Rows "
                    "without a target are left out.")
    p.add_argument("model", metavar="MODEL", help="a model saved by tinynet train")
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--target", metavar="COL", type=_column,
                   help="the target column (default: the one the model was trained on)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    _add_delimiter(p)
    p.add_argument("--plot", metavar="CONFUSION.svg",
                   help="write the confusion matrix as an SVG heatmap (classifiers)")
    _add_max_file(p)
    p.set_defaults(run=_evaluate)


def _add_predict(sub: Any) -> None:
    p = sub.add_parser(
        "predict", help="predict one row of output per input row, as CSV",
        description="Write one CSV row per row of DATA: the predicted label and the "
                    "probability of each class, or the predicted value. DATA needs the "
                    "model's feature columns; a target column, if present, is ignored.")
    p.add_argument("model", metavar="MODEL", help="a model saved by tinynet train")
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("--out", metavar="FILE", help="write here instead of to stdout")
    _add_delimiter(p)
    _add_max_file(p)
    p.set_defaults(run=_predict)


def _add_plot(sub: Any) -> None:
    p = sub.add_parser(
        "plot", help="draw the decision boundary of a 2-feature classifier, or the "
                     "filters of a convolution model",
        description="Shade the plane by the class the model predicts, with the points "
                    "of DATA on top, and write it as SVG. For a model trained with "
                    "--layers, draw its first convolution's filters instead, or with "
                    "--row N the feature maps of row N of DATA.")
    p.add_argument("model", metavar="MODEL",
                   help="a classifier with two features, or a model trained with --layers")
    p.add_argument("data", metavar="DATA", help=_DATA_HELP)
    p.add_argument("out", metavar="OUT.svg", help="the SVG file to write")
    p.add_argument("--target", metavar="COL", type=_column,
                   help="the label column (default: the one the model was trained on)")
    _add_delimiter(p)
    p.add_argument("--row", metavar="N", type=_non_negative_int,
                   help="for a --layers model: draw the feature maps of row N of DATA "
                        "(0 is the first) instead of the filters")
    _add_max_file(p)
    p.set_defaults(run=_plot)


def _add_max_file(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-file-mb", type=_positive_float, default=MAX_BYTES / 2 ** 20,
                   metavar="MB", help=f"read no input file (model, CSV; a .csv.gz "
                   f"decompressed) larger than this many MiB (default: {MAX_BYTES >> 20})")


def _max_bytes(args: argparse.Namespace) -> int:
    return max(1, int(args.max_file_mb * 2 ** 20))


def _add_gradcheck(sub: Any) -> None:
    p = sub.add_parser(
        "gradcheck", help="check backpropagation against finite differences",
        description="Build a random network and data, and compare the gradients from "
                    "backpropagation with central differences. Exit code 0 if they "
                    "agree, 1 if not.")
    p.add_argument("--hidden", metavar="4", type=_hidden, default=[4],
                   help="widths of the hidden layers (default: 4)")
    p.add_argument("--activation", choices=_HIDDEN_ACTIVATIONS, default="tanh",
                   metavar="NAME", help=f"hidden-layer activation: "
                   f"{', '.join(_HIDDEN_ACTIVATIONS)} (default: tanh)")
    p.add_argument("--loss", choices=losses.names(), default="mse", metavar="NAME",
                   help=f"{', '.join(losses.names())} (default: mse)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="default: 0")
    p.set_defaults(run=_gradcheck)


# --- reading data ---------------------------------------------------------------

def _check_builtin_options(source: str, target: Any, features: Any = None) -> None:
    if recipe.is_builtin(source) and (target not in (-1, None) or features):
        raise UsageError(f"--target and --features apply to CSV files, not to the "
                         f"built-in data set {source!r}")


def _read_training(args: argparse.Namespace) -> Table:
    target = -1 if args.target is None else args.target
    _check_builtin_options(args.data, target, args.features or args.exclude)
    return recipe.read_table(args.data, target=target, features=args.features,
                             exclude=args.exclude, delimiter=args.delimiter,
                             na_values=args.na_values, seed=args.seed,
                             max_bytes=_max_bytes(args))


def _read_for(net: Network, args: argparse.Namespace, target: Any, *,
              labelled: bool) -> Table:
    _check_builtin_options(args.data, target)
    if args.delimiter:
        net.table = {**recipe.model_table(net), "delimiter": args.delimiter}
    table = recipe.read_for_model(net, args.data, target, labelled=labelled,
                                  max_bytes=_max_bytes(args))
    _notes(table.notes)
    return table


def _load_model(args: argparse.Namespace) -> Network:
    return serialize.load(args.model, max_bytes=_max_bytes(args))


def _notes(notes: Sequence[str], kind: str = "note") -> None:
    for note in notes:
        _note(f"tinynet: {kind}: {note}")


def _check_outputs(outputs: List[Tuple[str, Optional[str]]],
                   inputs: List[Tuple[str, Optional[str]]]) -> None:
    """Before any work: no output is an input or another output, and each can be written."""
    taken = [(what, path) for what, path in inputs if path is not None]
    for option, path in outputs:
        if path is None:
            continue
        for what, other in taken:
            if same_file(path, other):
                raise UsageError(f"{option} {path} is the same file as {what} {other}; "
                                 f"choose another name for the output")
        check_writable(path, op=option)  # so a read-only folder does not cost a whole run
        taken.append((option, path))


def _number(v: float) -> str:
    """A score with 4 significant digits, the same everywhere: 1.000, 0.9712, 12.35, 1.235e+04."""
    text = f"{v:#.4g}"  # '#' keeps the trailing zeros: 1.000, not 1
    return text[:-1] if text.endswith(".") else text


def _seconds(t: float) -> str:
    """'0.042 s' under a second (ms resolution), '3.1 s' above."""
    return f"{t:.3f} s" if t < 1.0 else f"{t:.1f} s"


# --- train ------------------------------------------------------------------------

def _train(args: argparse.Namespace) -> int:
    if args.epochs is None:   # an epoch of images takes far longer than one of table rows
        args.epochs = IMAGE_EPOCHS if args.layers else EPOCHS
    _check_outputs([("--save", args.save), ("--plot", args.plot)], [("DATA", args.data)])
    table = _read_training(args)
    _notes(table.notes)
    _check_loss(args, table)
    if args.val_split and len(table.x) < recipe.MIN_ROWS_TO_VALIDATE and not args.quiet:
        _note(f"tinynet: note: {len(table.x)} rows are too few to hold some out for "
              f"validation; training on all of them")
    # Our own bar rather than fit(verbose=True): showing only the losses keeps
    # the line short enough for the terminal to redraw it in place.
    quiet = args.quiet or sys.stderr is None  # 2>&-: no bar, but train and save
    bar = None if quiet else ProgressBar(args.epochs)

    def show(epoch: int, logs: dict) -> None:
        bar.update(epoch, **{k: logs[k] for k in ("loss", "val_loss") if k in logs})

    if args.layers is None and (args.image is not None or args.scale != "auto"):
        raise UsageError("--image and --scale go with --layers")
    activation = args.activation or ("relu" if args.layers else ACTIVATION)
    try:
        net, history, report = recipe.train(
            table, task=args.task, na_values=args.na_values, dropna=args.dropna,
            hidden=args.hidden, activation=activation,
            output_activation=args.output_activation, loss=args.loss,
            optimizer=args.optimizer, lr=args.lr, l2=args.l2, epochs=args.epochs,
            batch_size=args.batch_size, val_split=args.val_split,
            test_split=args.test_split, patience=args.patience,
            standardize=not args.no_standardize, seed=args.seed,
            callback=None if bar is None else show, layers=args.layers, image=args.image,
            pixels=args.scale, max_params=args.max_params)
    finally:
        if bar is not None:
            bar.close()
    if args.save:
        net.save(args.save)
    if args.plot:
        kept = history.best_epoch if args.patience else None
        _loss_plot(history, net, table.source, kept).save(args.plot)
    _notes(report["notes"][len(table.notes):])
    _summary(args, net, table, history, report)
    _notes(report["warnings"], "warning")
    return 0


def _check_loss(args: argparse.Namespace, table: Table) -> None:
    # A usage error (exit 2), before any training.
    if args.loss in recipe.CLASS_LOSSES and (
            args.task or recipe.infer_task(recipe.drop_missing(table)[0].y)) == "regression":
        raise UsageError(f"--loss {args.loss} needs class labels, but the target "
                         f"{table.target_name!r} is treated as a number "
                         f"(use --classification to force classes)")


def _loss_plot(history: History, net: Network, source: str, kept: Optional[int]):
    return LossPlot(history.loss, history.val_loss or None,
                    ylabel=f"loss: {net.loss_function.name}", kept=kept,
                    title=f"Training on {os.path.basename(source)}")


def _summary(args: argparse.Namespace, net: Network, table: Table, history: History,
             report: dict) -> None:
    rows = report["rows"]
    held = [f"{rows[part]} held out for {part}" for part in ("validation", "test")
            if rows[part]]
    print(f"trained a {_architecture(args, net)} on {rows['training']} rows of {table.source}"
          + "".join(", " + h for h in held))
    if report.get("pixel_scale") is not None:
        print(f"pixels divided by {report['pixel_scale']:g}"
              + (" (detected; set --scale N)" if args.scale == "auto" else ""))
    print(f"epochs: {history.epochs} of {args.epochs} ({_kept(args, history)}), "
          f"{_seconds(report['seconds'])}")
    print(_task_line(net, table, report))
    for score, values in report["scores"].items():
        what = f"loss ({net.loss_function.name})" if score == "loss" else score
        print(f"{what}: " + ", ".join(f"{part} {_number(value)}"
                                      for part, value in values.items()))
    if "test" in report:
        print("test set (held out, never trained on): " + ", ".join(
            f"{_SCORE_NAMES.get(name, name)} {_number(v)}"
            for name, v in report["test"].items()))
    print(f"saved the model to {args.save}" if args.save
          else "not saved (add --save MODEL.json to keep it)")
    if args.plot:
        print(f"wrote the loss curves to {args.plot}")


def _architecture(args: argparse.Namespace, net: Network) -> str:
    # "4-16-3 network (tanh hidden, softmax output, cross_entropy loss)", or
    # for --layers: "network conv8:3,maxpool2 -> dense 10 on 1x28x28 images (...)"
    out_act, loss = net.layers[-1].activation.name, net.loss_function.name
    if args.layers is not None:
        shape = "x".join(map(str, net.layers[0].in_shape))
        return (f"network {args.layers} -> dense {net.n_out} on {shape} images "
                f"({out_act} output, {loss} loss)")
    acts = [layer.activation.name for layer in net.layers]
    hidden = f"{acts[0]} hidden" if len(acts) > 1 else "no hidden layer"
    return f"{'-'.join(map(str, net.sizes))} network ({hidden}, {out_act} output, {loss} loss)"


_SCORE_NAMES = {"balanced_accuracy": "balanced accuracy", "macro_f1": "macro F1"}


def _kept(args: argparse.Namespace, history: History) -> str:
    if not args.patience:
        return "kept the last epoch"  # no early stopping, so no best weights restored
    if history.stopped_early:
        return f"stopped early, kept epoch {history.best_epoch}"
    return f"kept epoch {history.best_epoch}, the best"


def _task_line(net: Network, table: Table, report: dict) -> str:
    hints = {"few distinct integers": "; --regression treats them as numbers",
             "numbers": "; --classification treats them as classes"}
    why = report["inferred_from"]
    inferred = f" (inferred: {why}{hints[why]})" if why in hints else ""
    if report["task"] == "classification":
        classes = brief([str(c) for c in net.classes], 10)
        return f"classes of {table.target_name!r}: {classes}{inferred}"
    return f"regression on {table.target_name!r}{inferred}"


# --- evaluate, predict, plot ----------------------------------------------------------

def _evaluate(args: argparse.Namespace) -> int:
    _check_outputs([("--plot", args.plot)], [("MODEL", args.model), ("DATA", args.data)])
    _need_stdout("the scores")
    net = _load_model(args)
    if args.plot and not net.is_classifier:
        raise UsageError("--plot draws a confusion matrix; this model is a regressor")
    table = _read_for(net, args, args.target, labelled=True)
    report = recipe.evaluate(net, table)
    _notes(report["notes"])
    _notes(report["warnings"], "warning")
    if args.plot:
        ConfusionMatrixPlot(report["confusion_matrix"], [str(c) for c in report["classes"]],
                            title=f"Confusion matrix on {os.path.basename(table.source)}"
                            ).save(args.plot)
    if args.json:
        print(json.dumps(_json_ready(report), allow_nan=False))
    else:
        _print_report(report, args.model, table)
    return 0


def _json_ready(value: Any) -> Any:
    """value with every NaN or infinite float as None: JSON has no NaN (null is)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    return value


def _print_report(report: dict, model: str, table: Table) -> None:
    print(f"{model} on {table.source}: {report['n']} rows")
    if "mse" not in report:
        right = sum(report["confusion_matrix"][i][i] for i in range(len(report["classes"])))
        print(f"accuracy {_number(report['accuracy'])} ({right} of {report['n']}), "
              f"balanced accuracy {_number(report['balanced_accuracy'])}, "
              f"macro F1 {_number(report['macro_f1'])}")
        print(f"loss {_number(report['loss'])}")
        print("confusion matrix (rows: true class, columns: predicted class):")
        print(_table([str(c) for c in report["classes"]], report["confusion_matrix"]))
    else:
        print(f"r2 {_number(report['r2'])}, mae {_number(report['mae'])}, "
              f"rmse {_number(report['rmse'])} (mse {_number(report['mse'])})")
        if report["loss"] != report["mse"]:  # a loss other than mse
            print(f"loss {_number(report['loss'])}")


def _table(names: List[str], counts: List[List[int]]) -> str:
    first = max(map(len, names))
    width = max(max(map(len, names)), max(len(str(c)) for row in counts for c in row))
    lines = [" " * first + "".join(f"  {n:>{width}}" for n in names)]
    for name, row in zip(names, counts):
        lines.append(f"{name:<{first}}" + "".join(f"  {c:>{width}}" for c in row))
    return "\n".join(lines)


def _predict(args: argparse.Namespace) -> int:
    _check_outputs([("--out", args.out)], [("MODEL", args.model), ("DATA", args.data)])
    if not args.out:
        _need_stdout("the predictions (write them to a file with --out FILE)")
    net = _load_model(args)
    table = _read_for(net, args, None, labelled=False)
    x, unseen = recipe.encode(net, table)
    _notes([f"column {name!r}: {n} rows with a category not seen in training, encoded "
            f"as all zeros" for name, n in unseen.items()], "warning")
    rows = _prediction_rows(net, x, table)
    if args.out:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        write_atomic(args.out, text.getvalue(), op="--out")
        _note(f"wrote {len(rows) - 1} predictions to {args.out}")
    else:
        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
    return 0


def _prediction_rows(net: Network, x: list, table: Table) -> List[List[Any]]:
    """A header, then per row: the row's id (if the file has one), the predicted
    label and one probability per class, or the predicted value(s)."""
    name = f"predicted_{net.target_name or 'value'}"
    ids = table.ids
    id_header, id_cells = ([ids[0] or "row"], [[v] for v in ids[1]]) if ids \
        else ([], [[] for _ in x])
    out = recipe.finite_predictions(net, x, table, proba=net.is_classifier)
    if not net.is_classifier:
        header = [name] if net.n_out == 1 else [f"{name}{j}" for j in range(net.n_out)]
        return [id_header + header] + [i + [f"{v:.8g}" for v in row]
                                       for i, row in zip(id_cells, out)]
    classes = recipe.model_classes(net)
    rows: List[List[Any]] = [id_header + [name] + [str(c) for c in classes]]
    # predict_classes, not the argmax here, so that a tie breaks as everywhere else
    for i, k, p in zip(id_cells, net.predict_classes(x), out):
        rows.append(i + [classes[k]] + [f"{v:.6f}" for v in p])
    return rows


def _plot(args: argparse.Namespace) -> int:
    _check_outputs([("OUT.svg", args.out)], [("MODEL", args.model), ("DATA", args.data)])
    net = _load_model(args)
    if len(getattr(net.layers[0], "in_shape", None) or ()) == 3:
        return _plot_images(args, net)
    if args.row is not None:
        raise UsageError("--row draws feature maps; this model does not read images")
    if not net.is_classifier or net.n_in != 2:
        kind = "a classifier" if net.is_classifier else "a regressor"
        raise TinynetError(f"plot: the decision boundary needs a classifier with 2 features; "
                           f"{args.model} is {kind} with {net.n_in} features "
                           f"({brief(net.feature_names or [])}); train one on two "
                           f"numeric columns with --features A,B")
    table = _read_for(net, args, args.target, labelled=True)
    table, _ = recipe.drop_missing(table)
    x, _ = recipe.encode(net, table)
    classes = recipe.model_classes(net)
    names = net.feature_names or table.feature_names
    title = f"{os.path.basename(args.model)} on {os.path.basename(table.source)}"
    DecisionBoundaryPlot(net.predict_classes, x, recipe.label_indices(net, table),
                         classes=[str(c) for c in classes], xlabel=names[0], ylabel=names[1],
                         title=title).save(args.out)
    print(f"wrote the decision boundary to {args.out}")
    return 0


def _plot_images(args: argparse.Namespace, net: Network) -> int:
    # The first convolution's filters, or one row's feature maps (_plot checked OUT.svg).
    name = os.path.basename(args.model)
    if args.row is None:
        conv = next((layer for layer in net.layers if hasattr(layer, "filters")), None)
        if conv is None:
            raise TinynetError(f"plot: {args.model} has no convolution layer; "
                               f"--row N draws its feature maps")
        FilterPlot(conv, title=f"Filters of {name}").save(args.out)
        print(f"wrote the {conv.filters} filters of {name} to {args.out}")
        return 0
    table = _read_for(net, args, args.target, labelled=False)
    x, _ = recipe.encode(net, table)
    if args.row >= len(x):
        raise TinynetError(f"plot: --row {args.row}: {table.source} has {len(x)} rows")
    row = x[args.row]
    if net.standardizer is not None:   # what the network sees
        row = net.standardizer.transform([row])[0]
    FeatureMapPlot(net, row, title=f"Row {args.row} of {os.path.basename(table.source)} "
                                   f"through {name}").save(args.out)
    print(f"wrote the feature maps of row {args.row} to {args.out}")
    return 0


# --- demo, gradcheck, datasets --------------------------------------------------------

def _demo(args: argparse.Namespace) -> int:
    _need_stdout("the demo")
    return run_demo()


def _gradcheck(args: argparse.Namespace) -> int:
    _need_stdout("the check")
    rng = random.Random(args.seed)
    n_in, n_out, n = 3, 2, 5
    out_act = {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}.get(
        args.loss, args.activation)
    sizes = [n_in] + args.hidden + [n_out]
    net = Network(sizes, activation=args.activation, output_activation=out_act,
                  loss=args.loss, seed=args.seed)
    x = [[rng.uniform(-1.0, 1.0) for _ in range(n_in)] for _ in range(n)]
    if args.loss == "cross_entropy":
        y = recipe.targets([rng.randrange(n_out) for _ in range(n)], n_out)
    elif args.loss == "binary_cross_entropy":
        y = [[float(rng.randrange(2)) for _ in range(n_out)] for _ in range(n)]
    else:
        y = [[rng.uniform(-1.0, 1.0) for _ in range(n_out)] for _ in range(n)]
    result = check_gradients(net, x, y)
    count = sum(len(layer.weights) * len(layer.biases) + len(layer.biases)
                for layer in net.layers)
    print(f"network {sizes}, {args.activation} hidden, {out_act} output, {args.loss} loss, "
          f"{n} random samples, seed {args.seed}")
    print(f"largest |analytic - numerical| over {count} gradient entries: "
          f"{result.max_error:.3g}")
    print("passed" if result.passed else "FAILED: backpropagation disagrees with "
                                         "finite differences")
    return 0 if result.passed else 1


def _datasets(args: argparse.Namespace) -> int:
    _need_stdout("the list")
    width = max(map(len, data.DATASETS))
    print("Built-in data sets; use a name in place of a CSV file, e.g. tinynet train iris:")
    for name, about in data.DATASETS.items():
        lines = textwrap.wrap(about, 78 - width - 4)
        print(f"  {name:<{width}}  {lines[0]}")
        for line in lines[1:]:
            print(" " * (width + 4) + line)
    return 0
