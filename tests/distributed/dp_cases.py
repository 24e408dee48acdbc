"""Small models and data for the data-parallel tests, shared by the tests and the worker.

`train(case, ...)` fits one case with ``fit`` (data-parallel when given a
DistributedOptimizer); `ghost_batch_reference` computes in one process what N ranks compute
with local BatchNormalization statistics (each shard normalised with its own statistics,
gradients and moving statistics averaged weighted by the shard sizes).
"""

from __future__ import annotations

import numpy as np

from dlpath import keras
from dlpath import random as dlrandom

# 27: the last global batch of 3 rows splits 1 / 2; 25: 0 / 1 (rank 0 has no rows).
SAMPLES = {"mlp": 27, "mlp-tail": 25, "cnn": 16, "lstm": 16}
GLOBAL_BATCH = 8
EPOCHS = 2
CASES = [(kind, dtype, bn) for kind in ("mlp", "cnn", "lstm") for dtype in ("float64",
         "float32") for bn in (False, True) if not (bn and kind == "lstm")]
CASES.append(("mlp-tail", "float64", False))


def case_name(kind: str, dtype: str, bn: bool) -> str:
    return f"{kind}-{dtype}" + ("-bn" if bn else "")


def data(kind: str, dtype: str):
    rng = np.random.default_rng(7)
    shape = {"mlp": (6,), "mlp-tail": (6,), "cnn": (6, 6, 2), "lstm": (5, 3)}[kind]
    x = rng.normal(size=(SAMPLES[kind],) + shape).astype(dtype)
    y = rng.integers(0, 3, size=SAMPLES[kind])
    return x, y


class SmallLSTM(keras.Model):
    """LSTM(4) -> Dense(3): a subclassed model (built on its first batch).

    ``call`` casts its inputs to ``dtype`` itself: inside a Sequential model the LSTM would
    receive float32 inputs and compute in float32 even with float64 weights.
    """

    def __init__(self, dtype):
        super().__init__()
        self.compute_dtype = dtype
        self.lstm = keras.layers.LSTM(4, dtype=dtype)
        self.head = keras.layers.Dense(3, activation="softmax", dtype=dtype)

    def call(self, x, training=False):
        return self.head(self.lstm(x.astype(self.compute_dtype)))


def build(kind: str, dtype: str, bn: bool, seed: int):
    """The case's compiled-ready model, its initial weights drawn with ``seed``."""
    dlrandom.set_seed(seed)
    norm = [keras.layers.BatchNormalization(dtype=dtype)] if bn else []
    if kind in ("mlp", "mlp-tail"):
        layers = [keras.Input(shape=(6,)),
                  keras.layers.Dense(8, activation="relu", dtype=dtype), *norm]
    elif kind == "cnn":
        layers = [keras.Input(shape=(6, 6, 2)),
                  keras.layers.Conv2D(3, 3, activation="relu", dtype=dtype), *norm,
                  keras.layers.MaxPooling2D(2, dtype=dtype), keras.layers.Flatten(dtype=dtype)]
    else:
        return SmallLSTM(dtype)
    layers.append(keras.layers.Dense(3, activation="softmax", dtype=dtype))
    return keras.Sequential(layers)


def compile_model(model, optimizer=None):
    model.compile(optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.05),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train(kind, dtype, bn, seed=0, wrap=None, verbose=0):
    """``(weights, history)`` after `EPOCHS` epochs of fit with the global batch."""
    model = build(kind, dtype, bn, seed)
    optimizer = keras.optimizers.Adam(learning_rate=0.05)
    compile_model(model, wrap(optimizer) if wrap else optimizer)
    x, y = data(kind, dtype)
    dlrandom.set_seed(0)  # the shuffles (the data-parallel run broadcasts rank 0's state)
    history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS, verbose=verbose)
    return [w.data.copy() for w in model.weights], history.history


def ghost_batch_reference(kind, dtype, bn, ranks=2):
    """What ``ranks`` ranks with local BatchNormalization statistics compute, in one process."""
    model = compile_model(build(kind, dtype, bn, 0))
    x, y = data(kind, dtype)
    dlrandom.set_seed(0)
    variables = model.trainable_weights
    frozen = model.non_trainable_weights
    for _ in range(EPOCHS):
        order = dlrandom.generator().permutation(len(x))
        for begin in range(0, len(x), GLOBAL_BATCH):
            rows = order[begin:begin + GLOBAL_BATCH]
            start = [w.data.copy() for w in frozen]
            grads, moved, counts = [], [], []
            for r in range(ranks):
                part = rows[r * len(rows) // ranks:(r + 1) * len(rows) // ranks]
                for w, value in zip(frozen, start):
                    w.data[...] = value
                loss = model.compute_loss(x[part], y[part], model(x[part], training=True))
                loss.backward()
                grads.append([v.grad.copy() for v in variables])
                model.optimizer.zero_grad(variables)
                moved.append([w.data.astype(np.float64) for w in frozen])
                counts.append(len(part))
            total = sum(counts)
            for i, w in enumerate(frozen):
                w.data[...] = sum(c * m[i] for c, m in zip(counts, moved)) / total
            mean = [sum(c * g[i] for c, g in zip(counts, grads)) / total
                    for i in range(len(variables))]
            model.optimizer.apply(mean, variables)
    return [w.data.copy() for w in model.weights]


def custom_loop(seed=0, context=None, steps=3):
    """A loop without fit: each rank takes its half of every batch (all of it alone)."""
    from dlpath import distributed

    model = build("mlp", "float64", False, seed)
    model(np.zeros((1, 6)))  # build
    ranks, rank = (context.size, context.rank) if context else (1, 0)
    if context is not None:
        distributed.broadcast_weights(model, context)
        optimizer = distributed.DistributedOptimizer(keras.optimizers.SGD(0.1), context=context)
    else:
        optimizer = keras.optimizers.SGD(0.1)
    x, y = data("mlp", "float64")
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    variables = model.trainable_weights
    for step in range(steps):
        rows = slice(step * 8 + rank * 8 // ranks, step * 8 + (rank + 1) * 8 // ranks)
        loss = loss_fn(y[rows], model(x[rows], training=True))
        loss.backward()
        optimizer.apply([v.grad for v in variables], variables)
        optimizer.zero_grad(variables)
    return [w.data.copy() for w in model.weights]
