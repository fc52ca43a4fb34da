"""Two moons: a small network learns a curved boundary; draw it as SVG.

The points are two interleaving half circles with Gaussian noise (sd 0.2)
from tinynet.data.moons. A 2-16-16-1 network (tanh hidden, sigmoid output,
binary cross-entropy, Adam) trains on 70% of them; the other 30% are held
out. The script prints the held-out accuracy and writes two SVG files:

    moons_boundary.svg   the class regions the network draws, with the held-out points
    moons_loss.svg       the training loss per epoch

    python examples/moons_boundary.py                  # a few seconds
    python examples/moons_boundary.py --out-dir /tmp   # where the SVGs go
    python examples/moons_boundary.py --quick          # 200 points, 10 epochs, for the tests

With noise 0.2 the moons overlap: even a classifier that knows how the
points were generated gets about 3% of them wrong, so 0.97 is about the
best any network can score here.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import pathlib
import sys
import time

# Run from a checkout without installing tinynet: put the repo root on sys.path.
if importlib.util.find_spec("tinynet") is None:
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from tinynet import Network, data, metrics  # noqa: E402
from tinynet.plot import DecisionBoundaryPlot, LossPlot  # noqa: E402

N, QUICK_N = 1000, 200          # points; 300 held out keep the accuracy's error near 1%
NOISE = 0.2
SIZES = [2, 16, 16, 1]
EPOCHS, QUICK_EPOCHS = 60, 10
LEARNING_RATE = 0.003           # Adam
BATCH_SIZE = 32
TEST_SIZE = 0.3
RESOLUTION = 100                # grid cells per side in the boundary plot
SEED = 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_N} points and {QUICK_EPOCHS} epochs")
    parser.add_argument("--seed", type=int, default=SEED, help=f"data and weights seed (default {SEED})")
    parser.add_argument("--out-dir", default=".", help="folder for the SVG files (default: .)")
    args = parser.parse_args(argv)
    n, epochs = (QUICK_N, QUICK_EPOCHS) if args.quick else (N, EPOCHS)

    x, labels = data.moons(n, noise=NOISE, seed=args.seed)
    x_train, x_test, labels_train, labels_test = data.train_test_split(
        x, labels, test_size=TEST_SIZE, seed=args.seed, stratify=True)
    y_train = [[float(label)] for label in labels_train]   # (n, 1): 1.0 is the lower moon

    net = Network(SIZES, activation="tanh", output_activation="sigmoid",
                  loss="binary_cross_entropy", seed=args.seed)
    print(f"moons: {n} points, noise {NOISE}; {len(x_train)} to train, {len(x_test)} held out")
    print(f"{net}, Adam lr {LEARNING_RATE}, batch {BATCH_SIZE}, {epochs} epochs, seed {args.seed}")
    start = time.perf_counter()
    history = net.fit(x_train, y_train, epochs=epochs, optimizer="adam",
                      learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE, seed=args.seed)
    seconds = time.perf_counter() - start

    print(f"final training loss: {history.loss[-1]:.4f}, "
          f"training accuracy: {history.accuracy[-1]:.4f}")
    held_out = metrics.accuracy(labels_test, net.predict_classes(x_test))
    print(f"held-out accuracy: {held_out:.4f} ({len(x_test)} points)")
    print(f"training time: {seconds:.2f} s")

    os.makedirs(args.out_dir, exist_ok=True)
    boundary = os.path.join(args.out_dir, "moons_boundary.svg")
    DecisionBoundaryPlot(net.predict_classes, x_test, labels_test,
                         resolution=RESOLUTION, classes=["upper moon", "lower moon"],
                         title=f"Decision boundary, held-out accuracy {held_out:.3f}").save(boundary)
    curve = os.path.join(args.out_dir, "moons_loss.svg")
    LossPlot(history.loss, title="Training loss (binary cross-entropy)").save(curve)
    print(f"wrote {os.path.abspath(boundary)}")
    print(f"wrote {os.path.abspath(curve)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
