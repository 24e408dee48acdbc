"""The functions of Keras 3's ``keras.ops`` whose signature differs from dlpath.ops' (or
that only Keras has); the rest of ``keras.ops`` re-exports `dlpath.ops` directly."""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.ops import array, math, nn
from dlpath.ops._convert import convert_to_tensor, to_numpy, values


def identity(n: int, dtype=None):
    """The n x n identity matrix (``keras.ops.identity``)."""
    return array.eye(n, dtype=dtype)


def eye(N: int, M=None, k: int = 0, dtype=None):  # noqa: N803 - Keras' names
    return array.eye(N, M, k, dtype=dtype)


def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` else ``x2``; with one argument, np.nonzero's tuple."""
    if x1 is None and x2 is None:
        return array.nonzero(condition)
    return array.where(condition, x1, x2)


def one_hot(x, num_classes: int, axis: int = -1, dtype=None):
    return array.one_hot(x, num_classes, axis=axis, dtype=dtype or "float32")


def convert_to_numpy(x) -> np.ndarray:
    return to_numpy(x)


def isnan(x):
    return math.is_nan(x)


def isfinite(x):
    return math.is_finite(x)


def isinf(x):
    return math.is_inf(x)


def normalize(x, axis: int = -1, order: int = 2):
    """x / ||x|| along ``axis`` (order 2 only)."""
    if order != 2:
        raise ValueError(f"normalize: only order=2 is supported, got {order}")
    return nn.l2_normalize(x, axis)


def slice(inputs, start_indices, shape):  # noqa: A001 - Keras' name
    """The block of ``shape`` starting at ``start_indices`` (differentiable)."""
    x = convert_to_tensor(inputs)
    starts = [int(s) for s in values(start_indices).tolist()]
    sizes = [int(s) for s in values(shape).tolist()]
    if len(starts) != x.ndim or len(sizes) != x.ndim:
        raise ValueError(f"slice: start_indices and shape need {x.ndim} entries for a tensor "
                         f"of shape {x.shape}, got {starts} and {sizes}")
    index = tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))
    return x[index]


def vectorized_map(function, elements):
    """stack([function(e) for e in elements along axis 0]) (a loop, not a vectorisation)."""
    return array.stack([function(e) for e in array.unstack(convert_to_tensor(elements))])
