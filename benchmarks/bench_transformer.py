"""Training speed and memory of a small Transformer text classifier, dlpath against PyTorch.

Keras' "Text classification with Transformer" model: token + learned position embeddings
(vocabulary 20000, width 32, length 200) -> one post-norm encoder block (2 heads, key_dim
32, feed-forward 32, dropout 0.1) -> mean over time -> Dense(2); sparse softmax
cross-entropy, Adam, batch 32, random ids. The PyTorch model is the same block written with
nn.Embedding, nn.Linear, F.scaled_dot_product_attention and nn.LayerNorm, starting from
dlpath's initial weights. Both run in one process with glibc told to keep freed memory
(`dlpath.engine.memory.retain_freed_memory`: without it each dlpath step pays ~10^4 page
faults re-touching its freed multi-MB arrays; PyTorch's own allocator avoids them). After
the speed line, the peak resident memory of one training step of each framework (fresh
process, 1 thread: `harness.step_peak_mib`), on the CPU.
Run: ``python benchmarks/bench_transformer.py [--threads N] [--memory-only]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from harness import compare, memory, memory_line, parse_args

from dlpath.engine import Tensor, no_grad
from dlpath.engine.losses import sparse_categorical_crossentropy
from dlpath.engine.memory import retain_freed_memory
from dlpath.layers import Dense, PositionalEmbedding, TransformerEncoder
from dlpath.layers.pooling import GlobalAveragePooling1D
from dlpath.optimizers import Adam


@dataclass
class Config:
    vocab_size: int = 20000
    length: int = 200
    embed_dim: int = 32
    num_heads: int = 2
    key_dim: int = 32
    ff_dim: int = 32
    dropout: float = 0.1
    classes: int = 2
    batch: int = 32


# 1. The dlpath model, in Keras' layers.
def dlpath_model(cfg: Config) -> list:
    return [PositionalEmbedding(cfg.length, cfg.vocab_size, cfg.embed_dim),
            TransformerEncoder(cfg.embed_dim, cfg.num_heads, cfg.ff_dim, key_dim=cfg.key_dim,
                               dropout=cfg.dropout),
            GlobalAveragePooling1D(),
            Dense(cfg.classes)]


def dlpath_forward(layers, ids, training):
    h = Tensor(ids)
    for layer in layers:
        h = layer(h, training=training)
    return h  # (B, classes) logits


def dlpath_step_fn(layers, ids, labels):
    optimizer = Adam(learning_rate=1e-3)

    def step():
        logits = dlpath_forward(layers, ids, training=True)
        loss = sparse_categorical_crossentropy(labels, logits, from_logits=True).mean()
        loss.backward()
        variables = [w for layer in layers for w in layer.trainable_weights]
        optimizer.step(variables)
        optimizer.zero_grad(variables)

    return step


# 2. The same model in PyTorch, from dlpath's initial weights (Keras layouts mapped).
class TorchTransformer(torch.nn.Module):
    def __init__(self, cfg: Config, weights: list):
        super().__init__()
        (token, position, wq, bq, wk, bk, wv, bv, wo, bo, w1, b1, w2, b2, g1, be1, g2, be2,
         wd, bd) = [torch.tensor(w) for w in weights]
        self.cfg = cfg
        self.token = torch.nn.Embedding.from_pretrained(token, freeze=False)
        self.position = torch.nn.Parameter(position)
        width = cfg.num_heads * cfg.key_dim
        self.query, self.key, self.value = (torch.nn.Linear(cfg.embed_dim, width)
                                            for _ in range(3))
        self.output = torch.nn.Linear(width, cfg.embed_dim)
        self.ffn_1 = torch.nn.Linear(cfg.embed_dim, cfg.ff_dim)
        self.ffn_2 = torch.nn.Linear(cfg.ff_dim, cfg.embed_dim)
        self.norm_1 = torch.nn.LayerNorm(cfg.embed_dim, eps=1e-6)
        self.norm_2 = torch.nn.LayerNorm(cfg.embed_dim, eps=1e-6)
        self.classifier = torch.nn.Linear(cfg.embed_dim, cfg.classes)
        with torch.no_grad():
            for linear, kernel, bias in ((self.query, wq, bq), (self.key, wk, bk),
                                         (self.value, wv, bv), (self.output, wo, bo),
                                         (self.ffn_1, w1, b1), (self.ffn_2, w2, b2),
                                         (self.classifier, wd, bd)):
                # Keras kernels (in, ...) / (..., out) -> PyTorch (out, in)
                linear.weight.copy_(kernel.reshape(linear.in_features, -1).T)
                linear.bias.copy_(bias.reshape(-1))
            for norm, gamma, beta in ((self.norm_1, g1, be1), (self.norm_2, g2, be2)):
                norm.weight.copy_(gamma)
                norm.bias.copy_(beta)

    def split_heads(self, x):  # (B, T, h d) -> (B, h, T, d)
        batch, steps, _ = x.shape
        return x.view(batch, steps, self.cfg.num_heads, -1).transpose(1, 2)

    def forward(self, ids):
        x = self.token(ids) + self.position[: ids.shape[1]]  # (B, T, C)
        q, k, v = (self.split_heads(f(x)) for f in (self.query, self.key, self.value))
        heads = F.scaled_dot_product_attention(q, k, v)  # (B, h, T, d)
        attended = self.output(heads.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1))
        p = self.cfg.dropout if self.training else 0.0
        hidden = self.norm_1(x + F.dropout(attended, p))
        forward = self.ffn_2(torch.relu(self.ffn_1(hidden)))
        out = self.norm_2(hidden + F.dropout(forward, p))
        return self.classifier(out.mean(dim=1))  # (B, classes)


def torch_step_fn(model, ids, labels):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    ids_t, labels_t = torch.from_numpy(ids), torch.from_numpy(labels)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(ids_t), labels_t)
        loss.backward()
        optimizer.step()

    return step


def random_data(cfg: Config):
    rng = np.random.default_rng(0)
    ids = rng.integers(1, cfg.vocab_size, (cfg.batch, cfg.length)).astype(np.int64)
    labels = rng.integers(0, cfg.classes, cfg.batch).astype(np.int64)
    return ids, labels


def built_model(cfg: Config, ids) -> list:
    """dlpath's layers, their weights built by a forward pass on ``ids``."""
    layers = dlpath_model(cfg)
    with no_grad():
        dlpath_forward(layers, ids, training=False)
    return layers


def memory_step(framework: str):
    cfg = Config()
    ids, labels = random_data(cfg)
    if framework == "dlpath":
        return lambda: dlpath_step_fn(built_model(cfg, ids[:1]), ids, labels)
    weights = [w.data.copy() for layer in built_model(cfg, ids[:1]) for w in layer.weights]

    def make_step():
        model = TorchTransformer(cfg, weights)
        model.train()
        return torch_step_fn(model, ids, labels)

    return make_step


def main():
    args = parse_args(__doc__)
    retain_freed_memory()
    if memory(args, __file__, {"transformer": memory_step}):
        return
    cfg = Config()
    ids, labels = random_data(cfg)

    # 3. Same starting weights, same predictions (inference, no dropout).
    layers = dlpath_model(cfg)
    with no_grad():
        ours = dlpath_forward(layers, ids, training=False).data
    weights = [w.data.copy() for layer in layers for w in layer.weights]
    model = TorchTransformer(cfg, weights)
    model.eval()
    with torch.no_grad():
        theirs = model(torch.from_numpy(ids)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-4)
    model.train()

    # 4. Interleaved timing of full training steps.
    compare("transformer", dlpath_step_fn(layers, ids, labels),
            torch_step_fn(model, ids, labels), cfg.batch, repeats=args.repeats,
            steps=args.steps, load=args.load)
    if not args.load:
        memory_line(__file__, "transformer")


if __name__ == "__main__":
    main()
