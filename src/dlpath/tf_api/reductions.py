"""TensorFlow's spellings of reductions and index functions (``tf.reduce_sum``,
``tf.argmax``, ...), thin over `dlpath.ops`: only the signatures and TF's defaults differ."""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor


def reduce_sum(input_tensor, axis=None, keepdims: bool = False):
    return ops.sum(input_tensor, axis, keepdims)


def reduce_mean(input_tensor, axis=None, keepdims: bool = False):
    """The mean; for integer tensors the integer (truncated) mean, as TensorFlow."""
    x = ops.convert_to_tensor(input_tensor)
    out = ops.mean(x, axis, keepdims)
    if x.dtype.kind in "iu":
        return Tensor(np.trunc(out.data).astype(x.dtype))
    return out


def reduce_max(input_tensor, axis=None, keepdims: bool = False):
    return ops.max(input_tensor, axis, keepdims)


def reduce_min(input_tensor, axis=None, keepdims: bool = False):
    return ops.min(input_tensor, axis, keepdims)


def reduce_prod(input_tensor, axis=None, keepdims: bool = False):
    return ops.prod(input_tensor, axis, keepdims)


def reduce_std(input_tensor, axis=None, keepdims: bool = False):
    return ops.std(input_tensor, axis, keepdims)


def reduce_variance(input_tensor, axis=None, keepdims: bool = False):
    return ops.var(input_tensor, axis, keepdims)


def reduce_logsumexp(input_tensor, axis=None, keepdims: bool = False):
    return ops.logsumexp(input_tensor, axis, keepdims)


def reduce_any(input_tensor, axis=None, keepdims: bool = False):
    return ops.any(input_tensor, axis, keepdims)


def reduce_all(input_tensor, axis=None, keepdims: bool = False):
    return ops.all(input_tensor, axis, keepdims)


def argmax(input, axis=None, output_type="int64"):  # noqa: A002 - TF's name
    """The index of the largest value along ``axis`` (axis 0 when None, as TensorFlow)."""
    return ops.argmax(input, 0 if axis is None else axis, dtype=output_type)


def argmin(input, axis=None, output_type="int64"):  # noqa: A002 - TF's name
    return ops.argmin(input, 0 if axis is None else axis, dtype=output_type)


def _direction(direction: str, owner: str) -> bool:
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{owner}: direction must be 'ASCENDING' or 'DESCENDING', got "
                         f"{direction!r}")
    return direction == "DESCENDING"


def sort(values, axis: int = -1, direction: str = "ASCENDING"):
    return ops.sort(values, axis, _direction(direction, "sort"))


def argsort(values, axis: int = -1, direction: str = "ASCENDING", stable: bool = False):
    return ops.argsort(values, axis, _direction(direction, "argsort"))


def cumsum(x, axis: int = 0):
    return ops.cumsum(x, axis)


def clip_by_value(t, clip_value_min, clip_value_max):
    """min(max(t, clip_value_min), clip_value_max)."""
    return ops.clip(t, clip_value_min, clip_value_max)


def add_n(inputs):
    """The element-wise sum of a list of tensors of one shape."""
    inputs = list(inputs)
    if not inputs:
        raise ValueError("add_n: expected at least one tensor")
    total = ops.convert_to_tensor(inputs[0])
    for item in inputs[1:]:
        total = ops.add(total, item)
    return total


def top_k(input, k: int = 1, sorted: bool = True):  # noqa: A002 - TF's names
    return ops.top_k(input, k, sorted)
