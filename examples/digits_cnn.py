"""Digits with a convolution: conv -> max-pool -> dense against the 64-32-10 MLP.

The same 8x8 handwritten digits as examples/digits.py (1797 images, values
0..16), the same stratified 30% held out, the same standardized pixels, the
same Adam (lr 0.003), batches of 32 and 15 epochs. Each image is one row of
64 pixels, read by the convolution as 1 channel x 8 x 8:

    CNN: Conv2D 16 filters 3x3, padding 1, ReLU   (1, 8, 8) -> (16, 8, 8)
         MaxPool2D 2                             (16, 8, 8) -> (16, 4, 4)
         Dense 256 -> 10, softmax
    MLP: Dense 64 -> 32 (ReLU) -> 10 (softmax)

The filters see each 3x3 neighbourhood with the same 144 weights wherever it
is, so a stroke is recognised wherever it falls; the MLP must learn that
pixel by pixel. For each seed (which sets the split and the weights) the
script trains both and prints their held-out accuracies, then the means.

    python examples/digits_cnn.py                 # seeds 0, 1, 2: 30-100 s a seed
    python examples/digits_cnn.py --seeds 0-9
    python examples/digits_cnn.py --quick         # 300 training images, 2 epochs, for the tests
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import statistics
import sys
import time

# Run from a checkout without installing tinynet: put the repo root on sys.path.
if importlib.util.find_spec("tinynet") is None:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinynet import Network, data, metrics  # noqa: E402
from tinynet.conv import Conv2D, MaxPool2D  # noqa: E402
from tinynet.layers import Dense  # noqa: E402

IMAGE = (1, 8, 8)
FILTERS, KERNEL, PADDING, POOL = 16, 3, 1, 2
MLP_SIZES = [64, 32, 10]
EPOCHS, QUICK_EPOCHS = 15, 2
QUICK_TRAIN, QUICK_TEST = 300, 100
LEARNING_RATE = 0.003   # Adam
BATCH_SIZE = 32
TEST_SIZE = 0.3
SEEDS = "0-2"


def cnn(seed: int) -> Network:
    """Return the convolution network: conv -> relu -> max-pool -> dense softmax."""
    conv = Conv2D(IMAGE, FILTERS, KERNEL, padding=PADDING, activation="relu", seed=seed)
    pool = MaxPool2D(conv.out_shape, POOL)                 # (16, 8, 8) -> (16, 4, 4)
    return Network([conv, pool, Dense(pool.n_out, 10, "softmax", seed=seed)],
                   loss="cross_entropy")


def mlp(seed: int) -> Network:
    """Return examples/digits.py's 64-32-10 network."""
    return Network(MLP_SIZES, activation="relu", output_activation="softmax",
                   loss="cross_entropy", seed=seed)


def seeds(text: str):
    """Return the seeds of "0-4" or "0,3,7"."""
    if "-" in text:
        lo, hi = text.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def run(seed: int, quick: bool):
    """Train both networks on seed's split; return {name: (accuracy, seconds, n_test)}."""
    x, digits = data.load_digits()
    x_train, x_test, digits_train, digits_test = data.train_test_split(
        x, digits, test_size=TEST_SIZE, seed=seed, stratify=True)
    epochs = QUICK_EPOCHS if quick else EPOCHS
    if quick:
        x_train, digits_train = x_train[:QUICK_TRAIN], digits_train[:QUICK_TRAIN]
        x_test, digits_test = x_test[:QUICK_TEST], digits_test[:QUICK_TEST]
    y_train, classes = data.one_hot(digits_train, classes=list(range(10)))
    results = {}
    for name, make in (("CNN", cnn), ("MLP", mlp)):
        net = make(seed)
        net.standardizer = data.Standardizer().fit(x_train)   # training rows only
        net.classes = classes
        start = time.perf_counter()
        net.fit(x_train, y_train, epochs=epochs, optimizer="adam",
                learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, seed=seed)
        seconds = time.perf_counter() - start
        accuracy = metrics.accuracy(digits_test, net.predict_labels(x_test))
        results[name] = (accuracy, seconds, len(x_test))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_TRAIN} training and {QUICK_TEST} test images, "
                             f"{QUICK_EPOCHS} epochs, the first seed only")
    parser.add_argument("--seeds", default=SEEDS,
                        help=f"seeds for the split and the weights, like 0-4 or 0,3 "
                             f"(default {SEEDS})")
    args = parser.parse_args(argv)
    chosen = seeds(args.seeds)[:1] if args.quick else seeds(args.seeds)
    print(f"CNN: {cnn(0)}")
    print(f"MLP: {mlp(0)}")
    accuracies = {"CNN": [], "MLP": []}
    for seed in chosen:
        results = run(seed, args.quick)
        for name, (accuracy, seconds, n_test) in results.items():
            accuracies[name].append(accuracy)
            print(f"seed {seed}  {name}  held-out accuracy: {accuracy:.4f} ({n_test} images)  "
                  f"training time: {seconds:.1f} s")
    for name, values in accuracies.items():
        print(f"{name} mean held-out accuracy: {statistics.mean(values):.4f} "
              f"(min {min(values):.4f}, max {max(values):.4f}, {len(values)} seeds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
