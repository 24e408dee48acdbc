"""Training speed and memory of the IMDB-style LSTM classifier, dlpath against PyTorch (CPU).

Embedding(10000, 128) on length-500 id sequences -> LSTM(64) -> Dense(1, sigmoid); binary
cross-entropy, Adam, batch 64, random ids and labels. The PyTorch model (nn.Embedding,
nn.LSTM(batch_first=True), nn.Linear, BCEWithLogitsLoss) starts from dlpath's initial
weights. After the speed line, the peak resident memory of one training step of each
framework (fresh process, 1 thread: `harness.step_peak_mib`). A step takes a few tenths of
a second, so use few steps per repeat:
``python benchmarks/bench_lstm.py --steps 3 [--repeats 7] [--threads N] [--memory-only]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from harness import compare, memory, memory_line, parse_args

from dlpath.engine import Tensor
from dlpath.engine.losses import binary_crossentropy
from dlpath.layers import LSTM, Dense, Embedding
from dlpath.optimizers import Adam


@dataclass
class Config:
    vocabulary: int = 10000
    embedding: int = 128
    length: int = 500
    units: int = 64
    batch: int = 64
    learning_rate: float = 1e-3


def build_dlpath(cfg: Config, ids):
    layers = [Embedding(cfg.vocabulary, cfg.embedding), LSTM(cfg.units),
              Dense(1, activation="sigmoid")]
    h = Tensor(ids)
    for layer in layers:
        h = layer(h)
    return layers


def dlpath_step_fn(cfg: Config, layers, ids, labels):
    optimizer = Adam(learning_rate=cfg.learning_rate)
    variables = [w for layer in layers for w in layer.trainable_weights]

    def step():
        h = Tensor(ids)
        for layer in layers:
            h = layer(h, training=True)
        loss = binary_crossentropy(labels, h).mean()
        loss.backward()
        optimizer.step(variables)
        optimizer.zero_grad(variables)

    return step


class TorchModel(torch.nn.Module):
    def __init__(self, cfg: Config, layers):
        super().__init__()
        self.embedding = torch.nn.Embedding(cfg.vocabulary, cfg.embedding)
        self.lstm = torch.nn.LSTM(cfg.embedding, cfg.units, batch_first=True)
        self.head = torch.nn.Linear(cfg.units, 1)
        embedding, lstm, dense = layers
        kernel, recurrent, bias = (w.data for w in lstm.weights)
        with torch.no_grad():  # Keras gates i, f, c, o are PyTorch's i, f, g, o
            self.embedding.weight.copy_(torch.from_numpy(embedding.embeddings.data))
            self.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T.copy()))
            self.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent.T.copy()))
            self.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
            self.lstm.bias_hh_l0.zero_()
            self.head.weight.copy_(torch.from_numpy(dense.kernel.data.T.copy()))
            self.head.bias.copy_(torch.from_numpy(dense.bias.data))

    def forward(self, ids):
        _, (h, _) = self.lstm(self.embedding(ids))
        return self.head(h[0])  # logits (B, 1)


def torch_step_fn(cfg: Config, model, ids, labels):
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate, eps=1e-7)
    ids_t, labels_t = torch.from_numpy(ids), torch.from_numpy(labels)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(ids_t), labels_t)
        loss.backward()
        optimizer.step()

    return step


def random_data(cfg: Config):
    """Random ids (no padding) and binary labels."""
    rng = np.random.default_rng(0)
    ids = rng.integers(1, cfg.vocabulary, (cfg.batch, cfg.length)).astype(np.int64)
    labels = rng.integers(0, 2, (cfg.batch, 1)).astype(np.float32)
    return ids, labels


def memory_step(framework: str):
    cfg = Config()
    ids, labels = random_data(cfg)
    if framework == "dlpath":
        return lambda: dlpath_step_fn(cfg, build_dlpath(cfg, ids[:1, :1]), ids, labels)
    layers = build_dlpath(cfg, ids[:1, :1])  # PyTorch's initial weights, built on one id
    return lambda: torch_step_fn(cfg, TorchModel(cfg, layers), ids, labels)


def main():
    args = parse_args(__doc__)
    if memory(args, __file__, {"imdb-lstm": memory_step}):
        return
    cfg = Config()
    # 1. Data: random ids (no padding) and binary labels.
    ids, labels = random_data(cfg)
    # 2. The same model in both frameworks, from the same initial weights.
    layers = build_dlpath(cfg, ids)
    model = TorchModel(cfg, layers)
    # 3. Interleaved timing of full training steps.
    compare("imdb-lstm", dlpath_step_fn(cfg, layers, ids, labels),
            torch_step_fn(cfg, model, ids, labels), cfg.batch, repeats=args.repeats,
            steps=args.steps, warmup=1, load=args.load)
    if not args.load:
        memory_line(__file__, "imdb-lstm")


if __name__ == "__main__":
    main()
