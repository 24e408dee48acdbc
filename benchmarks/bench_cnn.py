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
re-touching its freed multi-MB arrays). Then the peak resident memory of one training step
of each model is measured for each framework in a fresh process at 1 thread, after a
warm-up step (`harness.step_peak_mib`: peak RSS of the step minus the resident memory after
the imports and data). Run: ``python benchmarks/bench_cnn.py [--threads N] [--repeats R]
[--steps S] [--models M ...] [--load | --memory-only]`` (``--load``: dlpath alone with one
core kept busy, see `harness.under_load`; ``--memory-only``: just the memory lines).
"""

from __future__ import annotations

import numpy as np

from harness import compare, memory, memory_line, parse_args, random_batch

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
def memory_step(name: str):
    """The `harness.memory` factory of model ``name``: framework -> make_step."""
    def prepare(framework: str):
        shape, batch = MODELS[name]
        x, y = random_batch((batch,) + shape, classes=10)
        make = torch_step_fn if framework == "torch" else dlpath_step_fn
        return lambda: make(name, x, y)

    return prepare


def main():
    args = parse_args(__doc__, models=MODELS)
    from dlpath.engine.memory import retain_freed_memory

    retain_freed_memory()
    if memory(args, __file__, {name: memory_step(name) for name in MODELS}):
        return

    # 1. Speed: interleaved repeats of full training steps, median samples/s.
    for name in args.models:
        shape, batch = MODELS[name]
        x, y = random_batch((batch,) + shape, classes=10)
        compare(name, dlpath_step_fn(name, x, y), torch_step_fn(name, x, y), batch,
                repeats=args.repeats, steps=args.steps, load=args.load)
    if args.load:
        return

    # 2. Memory: one training step per model in a fresh process per framework.
    for name in args.models:
        memory_line(__file__, name)


if __name__ == "__main__":
    main()
