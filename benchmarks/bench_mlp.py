"""Training speed and memory of the MNIST MLP, dlpath against PyTorch eager on the CPU.

Flatten(28x28) -> Dense(128, relu) -> Dense(10), softmax cross-entropy, Adam, batch 32, on
random data of MNIST's shape. After the speed line, the peak resident memory of one
training step of each framework (fresh process, 1 thread: `harness.step_peak_mib`).
Run: ``python benchmarks/bench_mlp.py [--threads N] [--memory-only]``.
"""

from __future__ import annotations

import torch

from harness import compare, memory, memory_line, parse_args, random_batch

from dlpath.engine import Tensor
from dlpath.engine.losses import sparse_categorical_crossentropy
from dlpath.layers import Dense, Flatten
from dlpath.optimizers import Adam

BATCH = 32


def dlpath_step_fn(x, y):
    layers = [Flatten(), Dense(128, activation="relu"), Dense(10)]
    optimizer = Adam(learning_rate=1e-3)

    def step():
        h = Tensor(x)
        for layer in layers:
            h = layer(h, training=True)
        loss = sparse_categorical_crossentropy(y, h, from_logits=True).mean()
        loss.backward()
        variables = [w for layer in layers for w in layer.trainable_weights]
        optimizer.step(variables)
        optimizer.zero_grad(variables)

    return step


def torch_step_fn(x, y):
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        optimizer.step()

    return step


def memory_step(framework: str):
    x, y = random_batch((BATCH, 28, 28), classes=10)
    make = dlpath_step_fn if framework == "dlpath" else torch_step_fn
    return lambda: make(x, y)


def main():
    args = parse_args(__doc__)
    if memory(args, __file__, {"mnist-mlp": memory_step}):
        return
    x, y = random_batch((BATCH, 28, 28), classes=10)
    compare("mnist-mlp", dlpath_step_fn(x, y), torch_step_fn(x, y), BATCH,
            repeats=args.repeats, steps=max(args.steps, 100), load=args.load)
    if not args.load:
        memory_line(__file__, "mnist-mlp")


if __name__ == "__main__":
    main()
