"""Turning the Python numbers and arrays that users mix with Tensors into Tensors."""

from __future__ import annotations

import numpy as np


def to_tensor(value, like=None):
    """``value`` as a Tensor; plain numbers take ``like``'s floating dtype when it has one.

    So ``x * 2`` stays float32 for a float32 ``x``, and a constant never requires a gradient.
    """
    from dlpath.engine.tensor import Tensor

    if isinstance(value, Tensor):
        return value
    if like is not None and like.dtype.kind == "f":
        array = np.asarray(value)
        if array.dtype.kind in "fiub":
            return Tensor(array, dtype=like.dtype)
    return Tensor(value)


def pair(a, b):
    """Both operands of a binary op as Tensors, numbers taking the other side's dtype."""
    from dlpath.engine.tensor import Tensor

    if not isinstance(a, Tensor):
        a = to_tensor(a, like=b)
    if not isinstance(b, Tensor):
        b = to_tensor(b, like=a)
    return a, b


def check_broadcast(op_name: str, a, b) -> None:
    """Raise a ValueError naming both shapes when ``a`` and ``b`` cannot broadcast."""
    rank = min(a.ndim, b.ndim)
    if a.shape[a.ndim - rank:] == b.shape[b.ndim - rank:]:  # equal trailing axes (a bias)
        return
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"{op_name}: shapes {a.shape} and {b.shape} cannot be broadcast together "
            f"(trailing dimensions must be equal or 1)"
        ) from None


def binary(op, name: str, a, b):
    """Apply the two-input primitive ``op`` to ``a`` and ``b`` (numbers, arrays or Tensors)."""
    a, b = pair(a, b)
    check_broadcast(name, a, b)
    return op.apply(a, b)
