"""Indexing primitives: getitem (basic and advanced indexing) and take_along_axis (gather)."""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor


def _index_arrays(index):
    """Replace Tensors inside an index by their arrays."""
    if isinstance(index, tuple):
        return tuple(_index_arrays(i) for i in index)
    if hasattr(index, "data") and isinstance(getattr(index, "data"), np.ndarray):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(p, (slice, int, np.integer)) or p is None or p is Ellipsis for p in parts
    )


class GetItem(Function):
    """y = a[index];  dL/da = dL/dy scattered back to the indexed places (summed on repeats)."""

    def forward(self, a, index):
        self.shape, self.dtype, self.index = a.shape, a.dtype, index
        return a[index]

    def backward(self, grad):
        full = np.zeros(self.shape, dtype=grad.dtype)
        if _is_basic(self.index):
            full[self.index] = grad
        else:
            np.add.at(full, self.index, grad)
        return full


class TakeAlongAxis(Function):
    """y = take_along_axis(a, idx, axis) (gather);  dL/da = scatter-add of dL/dy at idx."""

    def forward(self, a, indices, axis):
        self.shape, self.indices, self.axis = a.shape, indices, axis
        return np.take_along_axis(a, indices, axis=axis)

    def backward(self, grad):
        full = np.zeros(self.shape, dtype=grad.dtype)
        index = list(np.ogrid[tuple(slice(n) for n in self.indices.shape)])
        index[self.axis] = self.indices
        np.add.at(full, tuple(index), grad)
        return full


def getitem(a, index):
    a = to_tensor(a)
    index = _index_arrays(index)
    try:
        return GetItem.apply(a, index=index)
    except IndexError as error:
        raise IndexError(f"getitem: {error} (tensor shape {a.shape})") from None


def take_along_axis(a, indices, axis: int):
    """Gather: ``out[..., i, ...] = a[..., indices[..., i, ...], ...]`` along ``axis``."""
    a = to_tensor(a)
    indices = np.asarray(_index_arrays(indices))
    if indices.dtype.kind not in "iu":
        raise TypeError(f"take_along_axis: indices must be integers, got {indices.dtype}")
    if indices.ndim != a.ndim:
        raise ValueError(f"take_along_axis: indices of shape {indices.shape} must have the "
                         f"rank of the tensor, shape {a.shape}")
    axis = axis % a.ndim
    if indices.size and (indices.min() < -a.shape[axis] or indices.max() >= a.shape[axis]):
        raise IndexError(f"take_along_axis: an index is out of range for axis {axis} of size "
                         f"{a.shape[axis]}")
    indices = np.where(indices < 0, indices + a.shape[axis], indices)
    return TakeAlongAxis.apply(a, indices=indices, axis=axis)


def gather(a, indices, axis: int):
    return take_along_axis(a, indices, axis)
