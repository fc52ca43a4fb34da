"""Iris: three species from four measurements, with softmax and cross-entropy.

Fisher's iris data (150 flowers, 50 of each species; R. A. Fisher 1936, via
the UCI repository, CC BY 4.0) is split 70/30, stratified so each species
keeps its share of the held-out rows. The features are standardized with the
mean and std of the training rows (net.standardizer applies them to any x).
A 4-8-3 network (tanh hidden, softmax output, cross-entropy, Adam) trains on
the one-hot species; the script prints the held-out accuracy, the confusion
matrix and the per-class precision, recall and F1.

    python examples/iris.py                 # well under a second
    python examples/iris.py --svg cm.svg    # also draw the confusion matrix
    python examples/iris.py --quick         # 20 epochs, for the tests
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import time

# Run from a checkout without installing tinynet: put the repo root on sys.path.
if importlib.util.find_spec("tinynet") is None:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinynet import Network, data, metrics  # noqa: E402
from tinynet.plot import ConfusionMatrixPlot  # noqa: E402

SIZES = [4, 8, 3]
EPOCHS, QUICK_EPOCHS = 100, 20
LEARNING_RATE = 0.01    # Adam
BATCH_SIZE = 16
TEST_SIZE = 0.3
SEED = 0


def print_confusion(counts, classes):
    """Print counts[true][predicted] with the class names along both sides."""
    width = max(len(str(c)) for c in classes) + 2
    print(" " * width + "".join(f"{str(c):>{width}}" for c in classes) + "   <- predicted")
    for c, row in zip(classes, counts):
        print(f"{str(c):>{width}}" + "".join(f"{v:>{width}}" for v in row))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EPOCHS} epochs")
    parser.add_argument("--seed", type=int, default=SEED, help=f"split and weights seed (default {SEED})")
    parser.add_argument("--svg", metavar="PATH", help="write the confusion matrix heatmap here")
    args = parser.parse_args(argv)
    epochs = QUICK_EPOCHS if args.quick else EPOCHS

    x, species = data.load_iris()
    x_train, x_test, species_train, species_test = data.train_test_split(
        x, species, test_size=TEST_SIZE, seed=args.seed, stratify=True)
    y_train, classes = data.one_hot(species_train)   # columns follow sorted species

    net = Network(SIZES, activation="tanh", output_activation="softmax",
                  loss="cross_entropy", seed=args.seed)
    net.standardizer = data.Standardizer().fit(x_train)   # training rows only
    net.classes = classes
    print(f"iris: {len(x_train)} flowers to train, {len(x_test)} held out (stratified)")
    print(f"{net}, Adam lr {LEARNING_RATE}, batch {BATCH_SIZE}, {epochs} epochs, seed {args.seed}")
    start = time.perf_counter()
    history = net.fit(x_train, y_train, epochs=epochs, optimizer="adam",
                      learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, seed=args.seed)
    seconds = time.perf_counter() - start

    predicted = net.predict_labels(x_test)
    print(f"final training loss: {history.loss[-1]:.4f}")
    print(f"held-out accuracy: {metrics.accuracy(species_test, predicted):.4f} "
          f"({len(x_test)} flowers)")
    print(f"training time: {seconds:.2f} s")
    print()
    counts, _ = metrics.confusion_matrix(species_test, predicted, classes=classes)
    print("confusion matrix (rows: true species)")
    print_confusion(counts, classes)
    print()
    print(metrics.classification_report(species_test, predicted, classes=classes))
    if args.svg:
        ConfusionMatrixPlot(counts, classes, title="Iris, held-out flowers").save(args.svg)
        print(f"\nwrote {pathlib.Path(args.svg).resolve()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
