"""A small two-layer regression net whose gradients come from torch autograd, shared by the
optimizer tests: run dlpath's and torch's optimizers side by side from the same start."""

from __future__ import annotations

import numpy as np
import torch

from dlpath.engine import Tensor

torch.set_num_threads(1)

SHAPES = [(5, 8), (8,), (8, 3), (3,)]


def initial_parameters(seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return [(0.5 * rng.standard_normal(shape)).astype(dtype) for shape in SHAPES]


def data(seed=1, dtype=np.float32):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((16, 5)).astype(dtype)
    y = rng.standard_normal((16, 3)).astype(dtype)
    return torch.from_numpy(x), torch.from_numpy(y)


def loss_fn(params, x, y, scale=1.0):
    w1, b1, w2, b2 = params
    hidden = torch.tanh(x @ w1 + b1)                     # (16, 8)
    return scale * ((hidden @ w2 + b2 - y) ** 2).mean()


def gradients(arrays, x, y, scale=1.0):
    """d loss / d params at ``arrays``, computed by torch autograd (as NumPy arrays)."""
    leaves = [torch.tensor(a, requires_grad=True) for a in arrays]
    loss_fn(leaves, x, y, scale).backward()
    return [leaf.grad.numpy() for leaf in leaves]


def run_ours(optimizer, steps=100, scale=1.0, dtype=np.float32):
    x, y = data(dtype=dtype)
    variables = [Tensor(a, requires_grad=True, dtype=dtype) for a in initial_parameters(
        dtype=dtype)]
    for _ in range(steps):
        optimizer.apply(gradients([v.data for v in variables], x, y, scale), variables)
    return [v.data for v in variables]


def run_torch(make_optimizer, steps=100, scale=1.0, clip=None, make_scheduler=None):
    x, y = data()
    params = [torch.tensor(a, requires_grad=True) for a in initial_parameters()]
    optimizer = make_optimizer(params)
    scheduler = make_scheduler(optimizer) if make_scheduler else None
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(params, x, y, scale).backward()
        if clip is not None:
            clip(params)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return [p.detach().numpy() for p in params]


def assert_same_parameters(ours, theirs, rtol=1e-5, atol=1e-6):
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol,
                                   err_msg=f"parameter {i} differs from torch")
