"""Reductions: sum, mean, max, min over all axes or the given ones, with ``keepdims``."""

from __future__ import annotations

import builtins

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import to_tensor


def normalize_axes(axis, ndim: int, op_name: str) -> tuple:
    """``axis`` (None, int or sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalized = []
    for ax in axes:
        if not -ndim <= ax < builtins.max(ndim, 1):
            raise ValueError(f"{op_name}: axis {ax} is out of range for a tensor of rank {ndim}")
        normalized.append(int(ax) % builtins.max(ndim, 1))
    return tuple(sorted(set(normalized)))


def _restore_reduced(grad: np.ndarray, axes: tuple, keepdims: bool) -> np.ndarray:
    """``grad`` with the reduced axes put back as size-1 axes, ready to broadcast."""
    return grad if keepdims else np.expand_dims(grad, axes)


class Sum(Function):
    """y = sum_i a_i over the axes;  dy/da_i = 1 (the gradient is broadcast back)."""

    def forward(self, a, axes, keepdims):
        self.shape, self.axes, self.keepdims = a.shape, axes, keepdims
        return np.sum(a, axis=axes, keepdims=keepdims)

    def backward(self, grad):
        return np.broadcast_to(_restore_reduced(grad, self.axes, self.keepdims), self.shape)


class Mean(Function):
    """y = (1/n) sum_i a_i over the axes;  dy/da_i = 1/n."""

    def forward(self, a, axes, keepdims):
        self.shape, self.axes, self.keepdims = a.shape, axes, keepdims
        self.count = int(np.prod([a.shape[ax] for ax in axes])) if axes else 1
        return np.mean(a, axis=axes, keepdims=keepdims)

    def backward(self, grad):
        grad = _restore_reduced(grad, self.axes, self.keepdims) / self.count
        return np.broadcast_to(grad, self.shape)


class Max(Function):
    """y = max_i a_i over the axes;  dy/da_i = 1/k on the k maximal elements, else 0."""

    reducer = staticmethod(np.max)

    def forward(self, a, axes, keepdims):
        self.axes, self.keepdims = axes, keepdims
        out = self.reducer(a, axis=axes, keepdims=True)
        self.winners = a == out
        return out if keepdims else np.squeeze(out, axis=axes)

    def backward(self, grad):
        grad = _restore_reduced(grad, self.axes, self.keepdims)
        ties = np.sum(self.winners, axis=self.axes, keepdims=True)
        return self.winners * (grad / ties)


class Min(Max):
    """y = min_i a_i over the axes;  dy/da_i = 1/k on the k minimal elements, else 0."""

    reducer = staticmethod(np.min)


def _reduce(op, name, a, axis, keepdims):
    a = to_tensor(a)
    axes = normalize_axes(axis, a.ndim, name)
    if a.size == 0 and op in (Max, Min):
        raise ValueError(f"{name}: cannot reduce an empty tensor of shape {a.shape}")
    return op.apply(a, axes=axes, keepdims=keepdims)


def sum(a, axis=None, keepdims: bool = False):  # noqa: A001 - the op's name
    return _reduce(Sum, "sum", a, axis, keepdims)


def mean(a, axis=None, keepdims: bool = False):
    return _reduce(Mean, "mean", a, axis, keepdims)


def max(a, axis=None, keepdims: bool = False):  # noqa: A001 - the op's name
    return _reduce(Max, "max", a, axis, keepdims)


def min(a, axis=None, keepdims: bool = False):  # noqa: A001 - the op's name
    return _reduce(Min, "min", a, axis, keepdims)
