"""A multilayer perceptron trained on the `digits` set with the engine alone (no fit loop).

Run: ``python examples/engine_digits_mlp.py``.

1. Load scikit-learn's bundled 8x8 digits (no network), split train/test, scale to [0, 1].
2. Build Flatten -> Dense(64, relu) -> Dense(10) and an Adam optimizer.
3. Train with the engine: forward, fused softmax cross-entropy, backward, optimizer step.
4. Report loss and accuracy per epoch, then the test accuracy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from dlpath import random as dlrandom
from dlpath.datasets import digits
from dlpath.engine import Tensor, no_grad
from dlpath.engine.losses import sparse_categorical_crossentropy
from dlpath.layers import Dense, Flatten
from dlpath.optimizers import Adam


@dataclass
class DemoConfig:
    epochs: int = 15
    batch_size: int = 32
    learning_rate: float = 3e-3
    hidden_units: int = 64
    seed: int = 0


def forward(layers, x, training=False):
    h = Tensor(x)
    for layer in layers:
        h = layer(h, training=training)
    return h  # (batch, 10) logits


def run(config: DemoConfig = DemoConfig(), log=print) -> float:
    """Train and return the test accuracy."""
    dlrandom.set_seed(config.seed)
    # 1. Data: pixel values 0..16 scaled to [0, 1].
    (x_train, y_train), (x_test, y_test) = digits.load_data(seed=config.seed)
    x_train, x_test = x_train / 16.0, x_test / 16.0
    log(f"digits: {len(x_train)} training and {len(x_test)} test images of 8x8 pixels")

    # 2. Model and optimizer.
    layers = [Flatten(), Dense(config.hidden_units, activation="relu"), Dense(10)]
    optimizer = Adam(learning_rate=config.learning_rate)
    rng = np.random.default_rng(config.seed)

    # 3. Training loop.
    for epoch in range(1, config.epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(x_train))
        total_loss, correct = 0.0, 0
        for begin in range(0, len(order), config.batch_size):
            batch = order[begin:begin + config.batch_size]
            logits = forward(layers, x_train[batch], training=True)
            loss = sparse_categorical_crossentropy(y_train[batch], logits,
                                                   from_logits=True).mean()
            loss.backward()
            variables = [w for layer in layers for w in layer.trainable_weights]
            optimizer.step(variables)
            optimizer.zero_grad(variables)
            total_loss += loss.item() * len(batch)
            correct += int((logits.data.argmax(-1) == y_train[batch]).sum())
        log(f"epoch {epoch:2d}/{config.epochs}  loss {total_loss / len(order):.4f}  "
            f"accuracy {correct / len(order):.4f}  ({time.perf_counter() - start:.2f}s)")

    # 4. Test accuracy.
    with no_grad():
        predictions = forward(layers, x_test).data.argmax(-1)
    accuracy = float((predictions == y_test).mean())
    log(f"test accuracy {accuracy:.4f}")
    return accuracy


def main() -> None:
    run()


if __name__ == "__main__":
    main()
