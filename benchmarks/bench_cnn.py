"""Training speed and memory of two small CNNs, dlpath against PyTorch eager on the CPU.

mnist-cnn (batch 32): Conv2D(32, 3, relu) -> MaxPool(2) -> Conv2D(64, 3, relu) -> MaxPool(2)
    -> Flatten -> Dense(10), on 28x28x1 images.
cifar-cnn (batch 64): Conv2D(32, 3, relu) -> MaxPool(2) -> Conv2D(64, 3, relu) -> MaxPool(2)
    -> Conv2D(64, 3, relu) -> Flatten -> Dense(64, relu) -> Dropout(0.5) -> Dense(10), on
    32x32x3 images.

A step is forward, sparse softmax cross-entropy, backward and an Adam update, on random data
of the datasets' shapes; dlpath computes NHWC, PyTorch the same model NCHW. Both run in one
process with glibc told to keep freed memory (`dlpath.engine.memory.retain_freed_memory`:
without it each dlpath CIFAR step pays ~6,800 page faults, ~19 ms of kernel time,
re-touching its freed multi-MB arrays). Then the peak resident memory of one CIFAR training
step is measured for each framework in a fresh process (``--rss dlpath|torch``: peak RSS
after the step minus the resident memory after the imports and data).
Run: ``python benchmarks/bench_cnn.py [--threads N] [--repeats R] [--steps S] [--load]``
(``--load``: dlpath alone with one core kept busy, see `harness.under_load`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import numpy as np

from harness import compare, peak_rss_mib, random_batch, set_threads

MODELS = {"mnist-cnn": ((28, 28, 1), 32), "cifar-cnn": ((32, 32, 3), 64)}


# ---------------------------------------------------------------------------------- dlpath
def dlpath_layers(name: str) -> list:
    from dlpath.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D

    if name == "mnist-cnn":
        return [Conv2D(32, 3, activation="relu"), MaxPooling2D(2),
                Conv2D(64, 3, activation="relu"), MaxPooling2D(2), Flatten(), Dense(10)]
    return [Conv2D(32, 3, activation="relu"), MaxPooling2D(2),
            Conv2D(64, 3, activation="relu"), MaxPooling2D(2),
            Conv2D(64, 3, activation="relu"), Flatten(), Dense(64, activation="relu"),
            Dropout(0.5), Dense(10)]


def dlpath_step_fn(name: str, x: np.ndarray, y: np.ndarray):
    from dlpath.engine import Tensor
    from dlpath.engine.losses import sparse_categorical_crossentropy
    from dlpath.optimizers import Adam

    layers = dlpath_layers(name)
    optimizer = Adam(learning_rate=1e-3)

    def step():
        h = Tensor(x)  # (B, H, W, C)
        for layer in layers:
            h = layer(h, training=True)
        loss = sparse_categorical_crossentropy(y, h, from_logits=True).mean()
        loss.backward()
        variables = [w for layer in layers for w in layer.trainable_weights]
        optimizer.step(variables)
        optimizer.zero_grad(variables)

    return step


# ---------------------------------------------------------------------------------- torch
def torch_model(name: str):
    from torch import nn

    if name == "mnist-cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(5 * 5 * 64, 10))
    return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 4 * 64, 64), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(64, 10))


def torch_step_fn(name: str, x: np.ndarray, y: np.ndarray):
    import torch

    model = torch_model(name)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # (B, C, H, W)
    yt = torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        optimizer.step()

    return step


# ---------------------------------------------------------------------------------- memory
def _status_mib(field: str) -> float:
    """A size from /proc/self/status (VmRSS: resident now, VmHWM: peak resident), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def measure_rss(framework: str) -> None:
    """In this (fresh) process: the peak RSS one CIFAR training step adds, in MiB.

    getrusage's maxrss alone is not enough here: a child started by a large process may
    inherit its parent's peak, and the imports' own peak can hide the step's. So the
    kernel's peak counter is reset after the imports (writing 5 to /proc/self/clear_refs),
    and the step's peak is VmHWM minus the resident size at that point.
    """
    if framework == "torch":
        import torch  # noqa: F401
    else:
        import dlpath.layers  # noqa: F401
        import dlpath.optimizers  # noqa: F401
    shape, batch = MODELS["cifar-cnn"]
    x, y = random_batch((batch,) + shape, classes=10)
    make = torch_step_fn if framework == "torch" else dlpath_step_fn
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        baseline = _status_mib("VmRSS")
        make("cifar-cnn", x, y)()
        peak = _status_mib("VmHWM")
    except OSError:  # no /proc: fall back on getrusage
        baseline = peak_rss_mib()
        make("cifar-cnn", x, y)()
        peak = peak_rss_mib()
    print(f"{peak - baseline:.1f}")


def rss_in_subprocess(framework: str, threads: int) -> float:
    command = [sys.executable, os.path.abspath(__file__), "--rss", framework,
               "--threads", str(threads)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return float(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for both frameworks (default: all cores)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--steps", type=int, default=20, help="training steps per repeat")
    parser.add_argument("--load", action="store_true",
                        help="dlpath alone, with one core kept busy by another process")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--rss", choices=["dlpath", "torch"],
                        help="(internal) measure one CIFAR step's peak RSS and exit")
    args = parser.parse_args()
    set_threads(args.threads)
    from dlpath.engine.memory import retain_freed_memory

    retain_freed_memory()
    if args.rss:
        measure_rss(args.rss)
        return

    # 1. Speed: interleaved repeats of full training steps, median samples/s.
    for name in args.models:
        shape, batch = MODELS[name]
        x, y = random_batch((batch,) + shape, classes=10)
        compare(name, dlpath_step_fn(name, x, y), torch_step_fn(name, x, y), batch,
                repeats=args.repeats, steps=args.steps, load=args.load)
    if args.load:
        return

    # 2. Memory: one CIFAR step in a fresh process per framework.
    ours = rss_in_subprocess("dlpath", args.threads)
    theirs = rss_in_subprocess("torch", args.threads)
    print(f"cifar-cnn peak RSS of one training step: dlpath {ours:.1f} MiB   "
          f"torch {theirs:.1f} MiB   ratio dlpath/torch {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
