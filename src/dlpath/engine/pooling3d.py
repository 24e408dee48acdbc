"""Max and average pooling of NDHWC volumes, fused and composite.

A window at output (a, i, j) covers x_pad[a s_d + r, i s_h + p, j s_w + q] for r < k_d,
p < k_h, q < k_w. The fused primitives visit the k_d k_h k_w window offsets one at a time:
each offset is one strided view of the padded input with the output's shape, so a pass is
one element-wise NumPy call over the whole batch (no loop over pixels, no window copies).

    max:      y = max_{r, p, q} x_pad[a s_d + r, i s_h + p, j s_w + q]   (padding = -inf)
              dL/dx = G routed to the first maximal element of each window (row-major
              order of (r, p, q)), as PyTorch's max_pool3d does.
    average:  y = (1 / n_aij) sum_{r, p, q} x_pad[...],   dL/dx += G / n_aij on the window;
              n_aij counts only the elements inside the volume (Keras' 'same' average
              leaves the padding out of the mean).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.conv import output_size
from dlpath.engine.conv3d import (
    crop_spatial, offset_slices, pad_spatial, triple_of, volume_pads,
)
from dlpath.engine.function import Function
from dlpath.engine.ops import getitem, max as reduce_max, pad, stack
from dlpath.engine.ops._coerce import to_tensor
from dlpath.engine.tensor import Tensor


def _offset_views(xp: np.ndarray, pool: tuple, strides: tuple, out: tuple):
    """view[n, a, i, j, c] = xp[n, a s_d + r, i s_h + p, j s_w + q, c] for every (r, p, q)."""
    for offset in np.ndindex(*pool):
        yield xp[offset_slices(offset, strides, out)]


class MaxPool3d(Function):
    """y[n, a, i, j, c] = max_{r, p, q} x_pad[n, a s_d + r, i s_h + p, j s_w + q, c].

    Forward keeps a running maximum and the index k of the offset that attains it (a
    strictly larger value replaces it, so ties keep the first). Backward:
    dL/dx_pad[window offset k] += G [argmax == k], one pass per offset.
    """

    def forward(self, x, pool, strides, pads, out):
        xp = pad_spatial(x, pads, value=-np.inf)
        views = _offset_views(xp, pool, strides, out)
        best = np.array(next(views))
        argmax = np.zeros(best.shape, np.int32)
        for k, view in enumerate(views, start=1):
            better = view > best
            np.copyto(best, view, where=better)
            argmax[better] = k
        self.argmax, self.padded_shape, self.spatial = argmax, xp.shape, x.shape[1:4]
        self.pool, self.strides, self.pads, self.out = pool, strides, pads, out
        return best

    def backward(self, grad):
        dxp = np.zeros(self.padded_shape, grad.dtype)
        for k, dview in enumerate(_offset_views(dxp, self.pool, self.strides, self.out)):
            dview += np.where(self.argmax == k, grad, 0)
        self.argmax = None
        return crop_spatial(dxp, self.pads, self.spatial)


class AvgPool3d(Function):
    """y[n, a, i, j, c] = (1 / n_aij) sum_{r, p, q} x_pad[n, a s_d + r, i s_h + p, j s_w + q, c];
    dL/dx_pad[window of (a, i, j)] += G[n, a, i, j, c] / n_aij."""

    def forward(self, x, pool, strides, pads, out, inverse_count):
        xp = pad_spatial(x, pads)
        views = _offset_views(xp, pool, strides, out)
        total = np.array(next(views))
        for view in views:
            total += view
        total *= inverse_count
        self.padded_shape, self.spatial = xp.shape, x.shape[1:4]
        self.inverse_count = inverse_count
        self.pool, self.strides, self.pads, self.out = pool, strides, pads, out
        return total

    def backward(self, grad):
        share = grad * self.inverse_count  # (N, Do, Ho, Wo, C)
        dxp = np.zeros(self.padded_shape, grad.dtype)
        for dview in _offset_views(dxp, self.pool, self.strides, self.out):
            dview += share
        return crop_spatial(dxp, self.pads, self.spatial)


# ---------------------------------------------------------------------------------- geometry
def _geometry(op_name, x, pool_size, strides, padding):
    if x.ndim != 5:
        raise ValueError(f"{op_name}: expected an NDHWC input of rank 5, got shape {x.shape}")
    pool = triple_of(pool_size, "pool_size", op_name)
    strides = pool if strides is None else triple_of(strides, "strides", op_name)
    pads = volume_pads(x.shape[1:4], pool, strides, (1, 1, 1), padding)
    out = tuple(output_size(n, k, s, 1, *p) for n, k, s, p in
                zip(x.shape[1:4], pool, strides, pads))
    if min(out) < 1:
        raise ValueError(f"{op_name}: the input of shape {x.shape} is smaller than the pool "
                         f"{pool} with padding '{padding}'")
    return pool, strides, pads, out


def _inverse_count(spatial, pool, strides, pads, out, dtype):
    """1 / n_aij: a scalar without padding, else a (1, Do, Ho, Wo, 1) array, where n_aij is
    the product over the axes of the window elements inside the unpadded axis."""
    if all(p == (0, 0) for p in pads):
        return np.asarray(1.0 / np.prod(pool), dtype=dtype)
    counts = []
    for size, k, s, (before, _), n in zip(spatial, pool, strides, pads, out):
        starts = np.arange(n) * s - before
        counts.append(np.minimum(starts + k, size) - np.maximum(starts, 0))
    total = counts[0][:, None, None] * counts[1][None, :, None] * counts[2][None, None, :]
    return (1.0 / total).astype(dtype)[None, ..., None]


# ---------------------------------------------------------------------------------- functional
def max_pool3d(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling of NDHWC ``x``; ``strides`` default to ``pool_size``, as in Keras."""
    x = to_tensor(x)
    pool, strides, pads, out = _geometry("max_pool3d", x, pool_size, strides, padding)
    return MaxPool3d.apply(x, pool=pool, strides=strides, pads=pads, out=out)


def avg_pool3d(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling of NDHWC ``x``; with 'same' the padding is left out of each mean."""
    x = to_tensor(x)
    pool, strides, pads, out = _geometry("avg_pool3d", x, pool_size, strides, padding)
    inverse = _inverse_count(x.shape[1:4], pool, strides, pads, out, x.dtype)
    return AvgPool3d.apply(x, pool=pool, strides=strides, pads=pads, out=out,
                           inverse_count=inverse)


# ---------------------------------------------------------------------------------- composites
def _window_stack(x, pool, strides, pads, out, value):
    xp = pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), value=value)
    patches = [getitem(xp, offset_slices(offset, strides, out)) for offset in np.ndindex(*pool)]
    return stack(patches, axis=-1)  # (N, Do, Ho, Wo, C, kd kh kw)


def max_pool3d_composite(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling from primitives (pad with -inf, slice every offset, stack, max): the
    reference for `MaxPool3d` (compare gradients on tie-free inputs)."""
    x = to_tensor(x)
    pool, strides, pads, out = _geometry("max_pool3d", x, pool_size, strides, padding)
    return reduce_max(_window_stack(x, pool, strides, pads, out, -np.inf), axis=-1)


def avg_pool3d_composite(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling from primitives (pad, slice every offset, stack, sum, times 1/n)."""
    x = to_tensor(x)
    pool, strides, pads, out = _geometry("avg_pool3d", x, pool_size, strides, padding)
    total = _window_stack(x, pool, strides, pads, out, 0.0).sum(axis=-1)
    inverse = _inverse_count(x.shape[1:4], pool, strides, pads, out, x.dtype)
    return total * Tensor(inverse, dtype=x.dtype)


__all__ = [
    "MaxPool3d", "AvgPool3d", "max_pool3d", "avg_pool3d",
    "max_pool3d_composite", "avg_pool3d_composite",
]
