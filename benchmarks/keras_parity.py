"""Test accuracy of the tf.keras listings over seeds: dlpath against a PyTorch twin.

Each listing in examples/ runs ``--seeds`` times on dlpath, as it is (``--seed S``), and its
model is trained the same number of times in PyTorch with the same architecture, Keras'
initialisation, Keras' Adam (epsilon 1e-7), Keras' loss reduction (batch mean), the same batch
size, a new shuffle each epoch and the same epochs (benchmarks/keras_parity_models.py holds
the twins). The listings use no ``validation_split`` (CIFAR-10's ``validation_data`` only
reports), so both train on the whole training set. Every run is a fresh process.

The table gives mean ± sample std of the test accuracy, the difference of the means in
units of PyTorch's std, and PASS when dlpath's mean is not below PyTorch's by more than one
PyTorch std.

Fashion-MNIST is read from ``$DLPATH_DATA/fashion_mnist/`` (the four IDX files).

Run: ``DLPATH_DATA=<data> python benchmarks/keras_parity.py [--listings mnist_mlp,mnist_cnn]
[--seeds 5] [--epochs N] [--threads 1]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Listing:
    """A listing: its script and flags, its model kind, data set, epochs and batch size."""

    script: str
    kind: str
    data: str
    epochs: int
    batch_size: int
    flags: list = field(default_factory=list)


LISTINGS = {
    "mnist_mlp": Listing("examples/mnist_mlp.py", "mlp", "mnist_raw", 5, 32),
    "mnist_mlp_scaled": Listing("examples/mnist_mlp.py", "mlp", "mnist_scaled", 5, 32,
                                ["--scaled"]),
    "fashion_mlp": Listing("examples/mnist_mlp.py", "mlp", "fashion_raw", 5, 32, ["--fashion"]),
    "mnist_cnn": Listing("examples/mnist_cnn.py", "mnist_cnn", "mnist", 5, 32),
    "fashion_cnn": Listing("examples/mnist_cnn.py", "mnist_cnn", "fashion", 5, 32,
                           ["--fashion"]),
    "cifar10_cnn": Listing("examples/cifar10_cnn.py", "cifar10_cnn", "cifar10", 10, 64),
    "imdb_lstm": Listing("examples/imdb_lstm.py", "imdb_lstm", "imdb", 3, 64),
}
ACCURACY = re.compile(r"test accuracy: ([0-9.]+)")


# ---------------------------------------------------------------- one run, one process
def load_arrays(data: str):
    """The listing's arrays as it prepares them: ``(x_train, y_train), (x_test, y_test)``."""
    import numpy as np

    from dlpath.keras import datasets
    from dlpath.keras.preprocessing.sequence import pad_sequences

    if data == "imdb":
        (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data(num_words=10000)
        return ((pad_sequences(x_train, maxlen=500), y_train),
                (pad_sequences(x_test, maxlen=500), y_test))
    source = datasets.mnist
    if data.startswith("fashion"):
        source = datasets.fashion_mnist
    elif data == "cifar10":
        source = datasets.cifar10
    (x_train, y_train), (x_test, y_test) = source.load_data()
    if data.endswith("_raw"):  # the MLP listing feeds raw 0..255 pixels
        x_train, x_test = x_train.astype(np.float32), x_test.astype(np.float32)
    else:
        x_train, x_test = x_train / np.float32(255.0), x_test / np.float32(255.0)
        if data in ("mnist", "fashion"):
            x_train, x_test = x_train[..., None], x_test[..., None]  # (N, 28, 28, 1)
    return (x_train, y_train.reshape(-1)), (x_test, y_test.reshape(-1))


def torch_run(name: str, seed: int, epochs: int, threads: int) -> float:
    """Train the PyTorch twin of listing ``name`` once; return its test accuracy."""
    import numpy as np
    import torch

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import keras_parity_models as twins

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    listing = LISTINGS[name]
    (x_train, y_train), (x_test, y_test) = load_arrays(listing.data)
    as_tensor = (lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.int64))
                 if listing.kind == "imdb_lstm" else torch.from_numpy(a.astype(np.float32)))
    x_train, x_test = as_tensor(x_train), as_tensor(x_test)
    y_train = torch.from_numpy(y_train.astype(np.int64))
    y_test = torch.from_numpy(y_test.astype(np.int64))
    model = twins.torch_twin(listing.kind, **twins.SIZES[listing.kind])
    optimizer = twins.keras_adam(model.parameters())
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x_train))  # Keras' fit(shuffle=True): each epoch
        for begin in range(0, len(order), listing.batch_size):
            rows = order[begin:begin + listing.batch_size]
            optimizer.zero_grad()
            twins.torch_loss(listing.kind, model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for begin in range(0, len(x_test), 500):
            logits = model(x_test[begin:begin + 500])
            predicted = twins.torch_predict(listing.kind, logits)
            correct += int((predicted == y_test[begin:begin + 500]).sum())
    return correct / len(x_test)


def run_in_process(command: list, threads: int) -> tuple:
    """(test accuracy, seconds) printed by ``command``, run in a fresh process."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    env.setdefault("DLPATH_DATA", str(ROOT.parent / "shared" / "data"))
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                            check=False)
    seconds = time.perf_counter() - start
    match = ACCURACY.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n"
                           f"{result.stderr[-2000:]}")
    return float(match.group(1)), seconds


def dlpath_command(name: str, seed: int, epochs: int) -> list:
    listing = LISTINGS[name]
    return [sys.executable, listing.script, *listing.flags, "--epochs", str(epochs),
            "--seed", str(seed)]


def torch_command(name: str, seed: int, epochs: int, threads: int) -> list:
    return [sys.executable, str(Path(__file__).resolve()), "--torch-run", name, "--seeds",
            str(seed), "--epochs", str(epochs), "--threads", str(threads)]


# ---------------------------------------------------------------- the table
def summary(values: list) -> tuple:
    """(mean, sample std); std 0 for a single run."""
    mean = statistics.fmean(values)
    return mean, statistics.stdev(values) if len(values) > 1 else 0.0


def table_row(name: str, epochs: int, ours: list, theirs: list) -> str:
    """One row: means ± stds, the gap in PyTorch stds, and the verdict."""
    mean, std = summary(ours)
    torch_mean, torch_std = summary(theirs)
    gap = mean - torch_mean
    in_stds = 0.0 if gap == 0 else math.copysign(math.inf, gap)
    if torch_std > 0:
        in_stds = gap / torch_std
    verdict = "PASS" if gap >= -torch_std else "FAIL"
    ours_text, theirs_text = f"{mean:.4f} ± {std:.4f}", f"{torch_mean:.4f} ± {torch_std:.4f}"
    return (f"{name:<16} {epochs:>6} {len(ours):>5}   {ours_text:<17}   {theirs_text:<18}   "
            f"{in_stds:>+8.2f}   {verdict}")


HEADER = (f"{'listing':<16} {'epochs':>6} {'seeds':>5}   {'dlpath mean ± std':<17}   "
          f"{'pytorch mean ± std':<18}   {'diff/σpt':>8}   verdict")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", default=",".join(LISTINGS),
                        help=f"comma-separated, from {', '.join(LISTINGS)}")
    parser.add_argument("--seeds", type=int, default=5, help="runs per listing and library")
    parser.add_argument("--epochs", type=int, default=None, help="override the listing's")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--jobs", type=int, default=1,
                        help="runs at the same time (each a fresh process with --threads)")
    parser.add_argument("--torch-run", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_run is not None:  # one PyTorch run; --seeds is its seed
        epochs = args.epochs or LISTINGS[args.torch_run].epochs
        print(f"test accuracy: {torch_run(args.torch_run, args.seeds, epochs, args.threads)}")
        return
    names = [n.strip() for n in args.listings.split(",") if n.strip()]
    unknown = [n for n in names if n not in LISTINGS]
    if unknown:
        parser.error(f"--listings: unknown {unknown}; expected some of {list(LISTINGS)}")
    if args.seeds < 1:
        parser.error(f"--seeds: expected at least 1, got {args.seeds}")
    if args.jobs < 1:
        parser.error(f"--jobs: expected at least 1, got {args.jobs}")
    rows = []
    for name in names:
        epochs = args.epochs or LISTINGS[name].epochs
        runs = [(seed, library, command) for seed in range(args.seeds)
                for library, command in (("dlpath", dlpath_command(name, seed, epochs)),
                                         ("pytorch", torch_command(name, seed, epochs,
                                                                   args.threads)))]
        results = {"dlpath": {}, "pytorch": {}}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = {pool.submit(run_in_process, command, args.threads): (seed, library)
                       for seed, library, command in runs}
            for future in concurrent.futures.as_completed(futures):
                seed, library = futures[future]
                accuracy, seconds = future.result()
                results[library][seed] = accuracy
                print(f"  {name} {library:<7} seed {seed}: test accuracy {accuracy:.4f} "
                      f"({seconds:.0f} s)", flush=True)
        rows.append(table_row(name, epochs, [results["dlpath"][s] for s in range(args.seeds)],
                              [results["pytorch"][s] for s in range(args.seeds)]))
        print(rows[-1], flush=True)
    print()
    print(HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
