"""The data that ``adapt`` reads, as a stream of NumPy batches.

``adapt(data)`` takes what Keras' ``adapt`` takes: an array (or Tensor, or a nested Python
list of values), a list of batches (arrays), a generator or iterator of batches, or any
re-iterable dataset (an object with ``__iter__`` yielding batches). A batch given as an
``(x, y)`` or ``(x, y, sample_weight)`` tuple contributes its ``x`` only.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments


def _is_array(value) -> bool:
    return isinstance(value, (np.ndarray, Tensor))


def _as_array(value, owner: str) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    array = np.asarray(value)
    if array.dtype == object:
        try:
            array = np.asarray(value, dtype=str)
        except (TypeError, ValueError):
            raise arguments.ArgumentTypeError(
                f"{owner}.adapt: a batch must hold numbers or strings, got an object array "
                f"of shape {array.shape}") from None
    return array


def _features(batch):
    """``x`` of an ``(x, y)`` / ``(x, y, sample_weight)`` batch; the batch otherwise."""
    if isinstance(batch, tuple) and len(batch) in (2, 3) and all(
            _is_array(item) or item is None for item in batch):
        return batch[0]
    return batch


def batches(data, batch_size=None, steps=None, owner: str = "adapt"):
    """Yield the batches of ``data`` as NumPy arrays (see the module docstring).

    Args:
        data: the data to read.
        batch_size: for array data, the rows per batch (default: all rows at once).
        steps: read at most this many batches (default: all of them).
        owner: the layer class, named in errors.
    """
    batch_size = arguments.optional_positive_int(batch_size, "batch_size", f"{owner}.adapt")
    steps = arguments.optional_positive_int(steps, "steps", f"{owner}.adapt")
    if data is None or isinstance(data, (str, bytes, dict)):
        raise arguments.ArgumentTypeError(
            f"{owner}.adapt: data must be an array, a list of batches, a generator or a "
            f"dataset of batches, got {arguments.describe(data)}")
    if _is_array(data) or (isinstance(data, (list, tuple)) and not all(
            _is_array(item) or isinstance(item, tuple) for item in data)) or np.isscalar(data):
        array = _as_array(data, owner)
        if array.ndim == 0:
            raise arguments.InvalidArgumentError(
                f"{owner}.adapt: data must have a batch axis, got a scalar {array.item()!r}")
        size = batch_size or max(len(array), 1)
        source = (array[i:i + size] for i in range(0, len(array), size))
    elif hasattr(data, "__iter__"):
        source = (_as_array(_features(batch), owner) for batch in data)
    else:
        raise arguments.ArgumentTypeError(
            f"{owner}.adapt: data must be an array, a list of batches, a generator or a "
            f"dataset of batches, got {arguments.describe(data)}")
    count = 0
    for batch in source:
        if steps is not None and count >= steps:
            return
        count += 1
        yield batch
    if count == 0:
        raise arguments.InvalidArgumentError(f"{owner}.adapt: the data holds no batches")
