"""The four tf.keras listings at full length: test accuracy and wall time of each.

Runs examples/mnist_mlp.py (raw and scaled pixels), mnist_cnn.py, cifar10_cnn.py and
imdb_lstm.py as they are, then trains the MNIST CNN listing's model with PyTorch under the
same settings (Adam, batch 32, the same epochs, float32, same threads) and prints the wall-time
ratio. Needs DLPATH_DATA (the shared data folder).

Run: ``python benchmarks/keras_listings.py [--only mnist_cnn] [--epochs-cnn 5]``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = {
    "mnist_mlp_raw": ["examples/mnist_mlp.py"],
    "mnist_mlp_scaled": ["examples/mnist_mlp.py", "--scaled"],
    "mnist_cnn": ["examples/mnist_cnn.py"],
    "cifar10_cnn": ["examples/cifar10_cnn.py"],
    "imdb_lstm": ["examples/imdb_lstm.py"],
}


def run_listing(name: str, extra: list) -> tuple:
    """(test accuracy, seconds) of one listing, run in its own process."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *LISTINGS[name], *extra], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    match = re.search(r"test accuracy: ([0-9.]+)", result.stdout)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"{name} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return float(match.group(1)), seconds


def torch_mnist_cnn(epochs: int, threads: int) -> tuple:
    """The MNIST CNN listing in PyTorch eager: (test accuracy, seconds from loading the data
    to the test accuracy)."""
    import torch
    from torch import nn

    from dlpath.datasets import mnist

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    start = time.perf_counter()
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    to_tensor = lambda x: torch.tensor(x[:, None] / 255.0, dtype=torch.float32)  # noqa: E731
    x_train, x_test = to_tensor(x_train), to_tensor(x_test)
    y_train, y_test = torch.tensor(y_train.astype(np.int64)), torch.tensor(y_test.astype(np.int64))
    model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    for _ in range(epochs):
        order = torch.randperm(len(x_train))
        for begin in range(0, len(order), 32):
            rows = order[begin:begin + 32]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    return accuracy, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(LISTINGS), action="append")
    parser.add_argument("--epochs-cnn", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    for name in args.only or LISTINGS:
        extra = ["--epochs", str(args.epochs_cnn)] if name == "mnist_cnn" else []
        accuracy, seconds = run_listing(name, extra)
        print(f"{name:<18} test accuracy {accuracy:.4f}   wall time {seconds:7.1f} s",
              flush=True)
        if name == "mnist_cnn":
            torch_accuracy, torch_seconds = torch_mnist_cnn(args.epochs_cnn, args.threads)
            print(f"{'  pytorch eager':<18} test accuracy {torch_accuracy:.4f}   wall time "
                  f"{torch_seconds:7.1f} s   speed ratio dlpath/torch "
                  f"{torch_seconds / seconds:.2f} (both: load, train, evaluate)", flush=True)


if __name__ == "__main__":
    main()
