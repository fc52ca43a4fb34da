"""The article's network on the article's data, then the same with tinynet.Network.

J. Loy, "How to build your own Neural Network from scratch in Python" (2018),
trains a 3 -> 4 -> 1 sigmoid network without biases on four rows (y = x1 XOR
x2; the third input is a constant 1) for 1500 iterations, each adding the
whole gradient of the sum-of-squares loss. tinynet.NeuralNetwork is that
class line by line. tinynet.Network is the general version: it adds biases
and a learning rate, and here trains with the same loss on the same rows.

    python examples/article_xor.py            # 1500 iterations, under a second
    python examples/article_xor.py --quick    # 300 iterations, for the tests

XOR has only four rows, so there is no held-out set: the accuracy printed is
on the training rows, which is all this data can show.
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

from tinynet import NeuralNetwork, Network, metrics  # noqa: E402
from tinynet.data import xor  # noqa: E402

ITERATIONS = 1500     # the article's
QUICK_ITERATIONS = 300
REPORT_EVERY = 300    # print the loss every this many iterations
LEARNING_RATE = 0.5   # Network only; the article's step is the whole gradient
SEED = 1


def train_article(x, y, iterations, seed):
    """Return the article's network after training, and its loss per iteration."""
    nn = NeuralNetwork(x, y, seed=seed)
    losses = []
    for _ in range(iterations):
        nn.feedforward()
        losses.append(nn.loss())   # sum of squares, before this iteration's update
        nn.backprop()
    nn.feedforward()               # the output of the final weights
    return nn, losses


def train_network(x, y, iterations, seed):
    """Return a 3 -> 4 -> 1 tinynet.Network after training, and its loss per iteration."""
    net = Network([3, 4, 1], activation="sigmoid", loss="sse", seed=seed)
    history = net.fit(x, y, epochs=iterations, learning_rate=LEARNING_RATE)  # full batch
    return net, history.loss


def print_losses(losses):
    for i in range(0, len(losses), REPORT_EVERY):
        print(f"  iteration {i:>5}  loss {losses[i]:.6f}")
    print(f"  iteration {len(losses) - 1:>5}  loss {losses[-1]:.6f}")


def print_table(x, y, predictions):
    print("  input      prediction  target")
    for row, pred, target in zip(x, predictions, y):
        inputs = " ".join(f"{v:g}" for v in row)
        print(f"  {inputs:<9}  {pred[0]:.4f}      {target[0]:g}")


def report(name, x, y, iterations, train, seed):
    print(f"{name}: {iterations} iterations, seed {seed}")
    start = time.perf_counter()
    model, losses = train(x, y, iterations, seed)
    seconds = time.perf_counter() - start
    predictions = model.output if isinstance(model, NeuralNetwork) else model.predict(x)
    print_losses(losses)
    print_table(x, y, predictions)
    right = metrics.accuracy([row[0] for row in y], [round(p[0]) for p in predictions])
    print(f"  accuracy on the 4 training rows: {right:.2f} (XOR has no held-out rows)")
    print(f"  training time: {seconds:.2f} s")
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_ITERATIONS} iterations instead of {ITERATIONS}")
    parser.add_argument("--seed", type=int, default=SEED, help=f"weights seed (default {SEED})")
    args = parser.parse_args(argv)
    iterations = QUICK_ITERATIONS if args.quick else ITERATIONS
    x, y = xor()
    report("The article's NeuralNetwork (3-4-1 sigmoid, no biases)",
           x, y, iterations, train_article, args.seed)
    report(f"tinynet.Network (3-4-1 sigmoid, biases, learning rate {LEARNING_RATE})",
           x, y, iterations, train_network, args.seed)
    print("The predictions approach 0 and 1 but never reach them: the sigmoid output\n"
          "is strictly between 0 and 1, and its slope, hence the step, shrinks near both.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
