"""Digits: read 8x8 handwritten digits with a 64-32-10 network, in pure Python.

The data are 1797 images of 8x8 pixels, values 0..16 (E. Alpaydin and
C. Kaynak 1998, UCI repository, CC BY 4.0). 30% are held out, stratified by
digit; the 64 pixel features are standardized with the training rows' mean
and std. The network is 64-32-10: ReLU hidden units, softmax output,
cross-entropy loss, Adam (lr 0.003), mini-batches of 32, 15 epochs. The
script prints the loss per epoch, the held-out accuracy, the training time
and the confusion matrix.

    python examples/digits.py            # a few seconds on CPython
    python examples/digits.py --quick    # 300 training images, 3 epochs, for the tests
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

SIZES = [64, 32, 10]
EPOCHS, QUICK_EPOCHS = 15, 3
QUICK_TRAIN, QUICK_TEST = 300, 100   # rows kept by --quick (the split is already shuffled)
LEARNING_RATE = 0.003   # Adam
BATCH_SIZE = 32
TEST_SIZE = 0.3
SEED = 0


def print_epoch(epoch, logs):
    print(f"  epoch {epoch:>2}  loss {logs['loss']:.4f}  training accuracy {logs['accuracy']:.4f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_TRAIN} training and {QUICK_TEST} test images, "
                             f"{QUICK_EPOCHS} epochs")
    parser.add_argument("--seed", type=int, default=SEED, help=f"split and weights seed (default {SEED})")
    args = parser.parse_args(argv)

    x, digits = data.load_digits()
    x_train, x_test, digits_train, digits_test = data.train_test_split(
        x, digits, test_size=TEST_SIZE, seed=args.seed, stratify=True)
    epochs = EPOCHS
    if args.quick:
        epochs = QUICK_EPOCHS
        x_train, digits_train = x_train[:QUICK_TRAIN], digits_train[:QUICK_TRAIN]
        x_test, digits_test = x_test[:QUICK_TEST], digits_test[:QUICK_TEST]
    y_train, classes = data.one_hot(digits_train, classes=list(range(10)))

    net = Network(SIZES, activation="relu", output_activation="softmax",
                  loss="cross_entropy", seed=args.seed)
    net.standardizer = data.Standardizer().fit(x_train)   # training rows only
    net.classes = classes
    print(f"digits: {len(x_train)} images to train, {len(x_test)} held out")
    print(f"{net}, Adam lr {LEARNING_RATE}, batch {BATCH_SIZE}, {epochs} epochs, seed {args.seed}")
    start = time.perf_counter()
    net.fit(x_train, y_train, epochs=epochs, optimizer="adam", learning_rate=LEARNING_RATE,
            batch_size=BATCH_SIZE, seed=args.seed, callback=print_epoch)
    seconds = time.perf_counter() - start

    predicted = net.predict_labels(x_test)
    print(f"held-out accuracy: {metrics.accuracy(digits_test, predicted):.4f} "
          f"({len(x_test)} images)")
    print(f"training time: {seconds:.2f} s")
    print()
    counts, _ = metrics.confusion_matrix(digits_test, predicted, classes=classes)
    print("confusion matrix (rows: true digit, columns: predicted)")
    print("     " + "".join(f"{c:>4}" for c in classes))
    for c, row in zip(classes, counts):
        print(f"{c:>4} " + "".join(f"{v:>4}" for v in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
