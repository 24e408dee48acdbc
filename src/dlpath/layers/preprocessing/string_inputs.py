"""Inputs of the string and integer layers (lookups, hashing, text): NumPy arrays.

dlpath's `Tensor` holds numbers only, so strings never enter the engine: the layers that
read strings take NumPy arrays of ``str`` (or ``bytes``, decoded as UTF-8, or Python lists
of them) and return integer or float `Tensor`s. Nothing here needs a gradient: the
outputs are indices and counts of discrete values.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.layer import Layer


def is_string_array(array: np.ndarray) -> bool:
    return array.dtype.kind in "US" or (array.dtype == object and all(
        isinstance(v, (str, bytes)) for v in array.reshape(-1)))


def as_strings(value, owner: str, encoding: str = "utf-8") -> np.ndarray:
    """``value`` as an array of ``str``; bytes are decoded with ``encoding``."""
    if isinstance(value, Tensor):
        raise arguments.ArgumentTypeError(
            f"{owner}: expected strings (a NumPy array or list of str), got a numeric "
            f"Tensor of dtype {value.dtype}; in a model, start it with "
            f"keras.Input(shape=(1,), dtype='string')")
    array = np.asarray(value, dtype=object if isinstance(value, (list, tuple)) else None)
    if array.dtype.kind == "U":
        return array
    if not is_string_array(array):
        raise arguments.ArgumentTypeError(
            f"{owner}: expected strings (a NumPy array or list of str), got an array of "
            f"dtype {array.dtype}")
    flat = [v.decode(encoding) if isinstance(v, bytes) else v for v in array.reshape(-1)]
    return np.asarray(flat, dtype=str).reshape(array.shape)


def as_integers(value, owner: str) -> np.ndarray:
    """``value`` as an int64 array (Tensors, arrays and lists of ints)."""
    array = value.data if isinstance(value, Tensor) else np.asarray(value)
    if array.dtype.kind == "f" and array.size and np.all(np.mod(array, 1) == 0):
        array = array.astype(np.int64)
    if array.dtype.kind not in "iub":
        raise arguments.ArgumentTypeError(
            f"{owner}: expected integers, got an array of dtype {array.dtype}")
    return array.astype(np.int64)


def as_keys(value, owner: str, strings: bool, encoding: str = "utf-8") -> np.ndarray:
    """Strings or integers, as the layer's vocabulary holds."""
    return as_strings(value, owner, encoding) if strings else as_integers(value, owner)


class StringInputLayer(Layer):
    """A layer whose inputs may be NumPy string arrays: they pass the base class's
    conversion unchanged (numbers still become Tensors), and ``call`` reads them."""

    casts_inputs = False

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)) and not any(
                hasattr(item, "shape") for item in inputs):
            inputs = np.asarray(inputs, dtype=object)  # one input given as nested lists
            if not is_string_array(inputs):
                inputs = np.asarray(inputs.tolist())
        return super().__call__(inputs, *args, **kwargs)

    def _convert(self, value):
        if not isinstance(value, Tensor):
            array = np.asarray(value, dtype=object if isinstance(value, (list, tuple))
                               else None)
            if array.dtype.kind in "USO" and array.size and is_string_array(array):
                return as_strings(array, f"Layer '{self.name}' ({type(self).__name__})")
            if array.dtype.kind in "USO" and array.size == 0:
                return np.asarray(array, dtype=str)
        return super()._convert(value)
