"""Max and average pooling of NHWC images (and (N, T, C) sequences), fused and composite.

A pooling window at output (i, j) covers x_pad[i s_h + p, j s_w + q] for 0 <= p < k_h,
0 <= q < k_w. The fused primitives visit the k_h k_w window offsets one at a time: each
offset is one strided view of the padded input with the output's shape, so a pass is one
element-wise NumPy call over the whole batch and nothing is copied into windows.

    max:      y = max_{p, q} x_pad[i s_h + p, j s_w + q]
              dL/dx = G routed to the first maximal element of each window (row-major
              order), as PyTorch's max_pool2d does; padding is -inf.
    average:  y = (1 / n_ij) sum_{p, q} x_pad[i s_h + p, j s_w + q],   dL/dx += G / n_ij
              on every element of the window; n_ij counts only the elements inside the
              image (Keras' 'same' average pooling leaves the padding out of the mean).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.conv import (conv_pads, crop_nhwc, output_size, pad_nhwc, pair_of,
                                remembered)
from dlpath.engine.function import Function
from dlpath.engine.ops import getitem, max as reduce_max, pad, reshape, stack
from dlpath.engine.ops._coerce import to_tensor
from dlpath.engine.tensor import Tensor


def _offset_views(xp: np.ndarray, pool: tuple, strides: tuple, out_hw: tuple):
    """(p, q, view) for every window offset: view[n, i, j, c] = xp[n, i s_h + p, j s_w + q, c]."""
    sh, sw = strides
    ho, wo = out_hw
    for p in range(pool[0]):
        for q in range(pool[1]):
            yield xp[:, p:p + sh * (ho - 1) + 1:sh, q:q + sw * (wo - 1) + 1:sw, :]


def _overlapping(pool: tuple, strides: tuple) -> bool:
    return pool[0] > strides[0] or pool[1] > strides[1]


def _gradient_buffer(padded_shape, pool, strides, out_hw, dtype) -> np.ndarray:
    """Zeros, or an uninitialized buffer when the windows tile the padded input exactly
    (then every element is written once)."""
    tiles = (tuple(pool) == tuple(strides) and out_hw[0] * strides[0] == padded_shape[1]
             and out_hw[1] * strides[1] == padded_shape[2])
    return np.empty(padded_shape, dtype) if tiles else np.zeros(padded_shape, dtype)


def _tournament(views: list, lo: int, hi: int, matches: dict) -> np.ndarray:
    """The element-wise maximum of ``views[lo:hi]``, as a knock-out tournament.

    Each match records ``right_won = right > left``: a tie keeps the left (earlier) winner,
    so the champion of every range is its first maximal element in row-major order.
    """
    if hi - lo == 1:
        return views[lo]
    mid = (lo + hi) // 2
    left = _tournament(views, lo, mid, matches)
    right = _tournament(views, mid, hi, matches)
    matches[lo, hi] = right > left
    return np.maximum(left, right, out=left if mid - lo > 1 else None)


def _maximum(views: list) -> np.ndarray:
    """The element-wise maximum of ``views`` (a new array): `_tournament`'s value without
    its match outcomes, for a forward that is not recorded."""
    if len(views) == 1:
        return np.array(views[0])
    out = np.maximum(views[0], views[1])
    for view in views[2:]:
        np.maximum(out, view, out=out)
    return out


def _route(grad: np.ndarray, lo: int, hi: int, matches: dict, dviews: list,
           overlapping: bool) -> None:
    """Send ``grad`` down the tournament to the champion of ``views[lo:hi]``:
    g_right = g [right won], g_left = g - g_right, written straight into the leaves."""
    if hi - lo == 1:
        if overlapping:
            dviews[lo] += grad
        else:
            dviews[lo][...] = grad
        return
    mid = (lo + hi) // 2
    right_won = matches[lo, hi]
    if hi - mid == 1 and not overlapping:
        g_right = np.multiply(grad, right_won, out=dviews[mid])
    else:
        g_right = grad * right_won
        _route(g_right, mid, hi, matches, dviews, overlapping)
    if mid - lo == 1 and not overlapping:
        np.subtract(grad, g_right, out=dviews[lo])
    else:
        _route(grad - g_right, lo, mid, matches, dviews, overlapping)


class MaxPool2d(Function):
    """y[n, i, j, c] = max_{p, q} x_pad[n, i s_h + p, j s_w + q, c]  (padding = -inf).

    dL/dx: G[n, i, j, c] goes to the first (p, q), in row-major order, where the window
    attains its maximum; the other elements of the window get nothing from it.

    Unrecorded (inference), the forward is k_h k_w - 1 maxima and keeps nothing. Recorded,
    the k_h k_w window offsets play a knock-out tournament (`_tournament`): k_h k_w - 1
    matches, each one maximum and one comparison over the output's shape, whose outcomes
    (booleans) are all backward keeps. Backward replays it from the root (`_route`): two
    passes per match, and the last ones write straight into the gradient of x.
    """

    def forward(self, x, pool, strides, pads, out_hw):
        xp = pad_nhwc(x, pads, value=-np.inf)
        views = list(_offset_views(xp, pool, strides, out_hw))
        if not self.recording:  # inference: the maximum alone, no argmax masks
            return _maximum(views)
        self.matches = {}
        out = _tournament(views, 0, len(views), self.matches)
        out = np.array(out) if out is views[0] else out  # a 1 x 1 pool copies
        self.padded_shape, self.x_hw = xp.shape, x.shape[1:3]
        self.pool, self.strides, self.pads, self.out_hw = pool, strides, pads, out_hw
        return out

    def backward(self, grad):
        dxp = _gradient_buffer(self.padded_shape, self.pool, self.strides, self.out_hw,
                               grad.dtype)
        dviews = list(_offset_views(dxp, self.pool, self.strides, self.out_hw))
        _route(grad, 0, len(dviews), self.matches, dviews,
               _overlapping(self.pool, self.strides))
        self.matches = None
        return crop_nhwc(dxp, self.pads, self.x_hw)


class AvgPool2d(Function):
    """y[n, i, j, c] = (1 / n_ij) sum_{p, q} x_pad[n, i s_h + p, j s_w + q, c];
    dL/dx_pad[window of (i, j)] += G[n, i, j, c] / n_ij, with n_ij the number of elements of
    the window inside the image."""

    def forward(self, x, pool, strides, pads, out_hw, inverse_count):
        xp = pad_nhwc(x, pads)
        views = _offset_views(xp, pool, strides, out_hw)
        out = np.array(next(views))
        for view in views:
            out += view
        out *= inverse_count
        self.padded_shape, self.x_hw, self.dtype = xp.shape, x.shape[1:3], x.dtype
        self.pool, self.strides, self.pads, self.out_hw = pool, strides, pads, out_hw
        self.inverse_count = inverse_count
        return out

    def backward(self, grad):
        share = grad * self.inverse_count  # (N, Ho, Wo, C)
        dxp = _gradient_buffer(self.padded_shape, self.pool, self.strides, self.out_hw,
                               grad.dtype)
        overlapping = _overlapping(self.pool, self.strides)
        for dview in _offset_views(dxp, self.pool, self.strides, self.out_hw):
            if overlapping:
                dview += share
            else:
                dview[...] = share
        return crop_nhwc(dxp, self.pads, self.x_hw)


# ---------------------------------------------------------------------------------- geometry
_GEOMETRIES: dict = {}  # checked pooling arguments -> (pool, strides, pads, out_hw)


def _geometry(op_name, x, pool_size, strides, padding):
    """The checked (pool, strides, pads, out_hw), worked out once per shape and arguments."""
    return remembered(_GEOMETRIES, (op_name, x.shape, pool_size, strides, padding),
                      _check_geometry, op_name, x, pool_size, strides, padding)


def _check_geometry(op_name, x, pool_size, strides, padding):
    if x.ndim != 4:
        raise ValueError(f"{op_name}: expected an NHWC input of rank 4, got shape {x.shape}")
    pool = pair_of(pool_size, "pool_size", op_name)
    strides = pool if strides is None else pair_of(strides, "strides", op_name)
    pads = conv_pads(x.shape[1:3], pool, strides, (1, 1), padding)
    out_hw = tuple(output_size(n, k, s, 1, *p) for n, k, s, p in
                   zip(x.shape[1:3], pool, strides, pads))
    if min(out_hw) < 1:
        raise ValueError(f"{op_name}: the input of shape {x.shape} is smaller than the pool "
                         f"{pool} with padding '{padding}'")
    return pool, strides, pads, out_hw


def _window_counts(size: int, pool: int, stride: int, pads: tuple, out: int) -> np.ndarray:
    """How many of the ``pool`` elements of each window lie inside the unpadded axis."""
    starts = np.arange(out) * stride - pads[0]
    return np.minimum(starts + pool, size) - np.maximum(starts, 0)


def _inverse_count(x_shape, pool, strides, pads, out_hw, dtype):
    """1 / n_ij as a scalar (no padding) or a (1, Ho, Wo, 1) array."""
    if all(p == (0, 0) for p in pads):
        return np.asarray(1.0 / (pool[0] * pool[1]), dtype=dtype)
    rows = _window_counts(x_shape[1], pool[0], strides[0], pads[0], out_hw[0])
    cols = _window_counts(x_shape[2], pool[1], strides[1], pads[1], out_hw[1])
    return (1.0 / np.outer(rows, cols)).astype(dtype)[None, :, :, None]


# ---------------------------------------------------------------------------------- functional
def max_pool2d(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling of NHWC ``x``; ``strides`` default to ``pool_size``, as in Keras."""
    x = to_tensor(x)
    pool, strides, pads, out_hw = _geometry("max_pool2d", x, pool_size, strides, padding)
    return MaxPool2d.apply(x, pool=pool, strides=strides, pads=pads, out_hw=out_hw)


def avg_pool2d(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling of NHWC ``x``; with 'same' the padding is left out of each mean."""
    x = to_tensor(x)
    pool, strides, pads, out_hw = _geometry("avg_pool2d", x, pool_size, strides, padding)
    inverse = _inverse_count(x.shape, pool, strides, pads, out_hw, x.dtype)
    return AvgPool2d.apply(x, pool=pool, strides=strides, pads=pads, out_hw=out_hw,
                           inverse_count=inverse)


def _pool1d(fn, op_name, x, pool_size, strides, padding):
    x = to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"{op_name}: expected an input of rank 3 (batch, steps, channels), "
                         f"got shape {x.shape}")
    pool = pool_size if isinstance(pool_size, (int, np.integer)) else pool_size[0]
    stride = pool if strides is None else (
        strides if isinstance(strides, (int, np.integer)) else strides[0])
    out = fn(reshape(x, (x.shape[0], 1) + x.shape[1:]), (1, pool), (1, stride), padding)
    return reshape(out, (out.shape[0],) + out.shape[2:])  # (N, T', C)


def max_pool1d(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling over the steps of ``x`` (N, T, C)."""
    return _pool1d(max_pool2d, "max_pool1d", x, pool_size, strides, padding)


def avg_pool1d(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling over the steps of ``x`` (N, T, C)."""
    return _pool1d(avg_pool2d, "avg_pool1d", x, pool_size, strides, padding)


# ---------------------------------------------------------------------------------- composites
def _window_stack(x, pool, strides, pads, out_hw, value):
    xp = pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), value=value)
    sh, sw = strides
    patches = [getitem(xp, (slice(None), slice(p, p + sh * (out_hw[0] - 1) + 1, sh),
                            slice(q, q + sw * (out_hw[1] - 1) + 1, sw)))
               for p in range(pool[0]) for q in range(pool[1])]
    return stack(patches, axis=-1)  # (N, Ho, Wo, C, kh kw)


def max_pool2d_composite(x, pool_size=2, strides=None, padding="valid"):
    """Max pooling from primitives (pad with -inf, slice every offset, stack, max): the
    reference for `MaxPool2d` (its gradient splits ties, so compare on tie-free inputs)."""
    x = to_tensor(x)
    pool, strides, pads, out_hw = _geometry("max_pool2d", x, pool_size, strides, padding)
    return reduce_max(_window_stack(x, pool, strides, pads, out_hw, -np.inf), axis=-1)


def avg_pool2d_composite(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling from primitives (pad, slice every offset, stack, sum, times 1/n_ij)."""
    x = to_tensor(x)
    pool, strides, pads, out_hw = _geometry("avg_pool2d", x, pool_size, strides, padding)
    total = _window_stack(x, pool, strides, pads, out_hw, 0.0).sum(axis=-1)
    inverse = _inverse_count(x.shape, pool, strides, pads, out_hw, x.dtype)
    return total * Tensor(inverse, dtype=x.dtype)


__all__ = [
    "MaxPool2d", "AvgPool2d", "max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d",
    "max_pool2d_composite", "avg_pool2d_composite",
]
