"""Turning what users pass (Tensors, Variables, NumPy arrays, Python numbers) into Tensors.

The dtype rules are TensorFlow's (and Keras 3's): a Python float becomes float32, a Python
int int32, a bool bool; a NumPy array keeps its dtype; a Tensor is returned as it is, so its
graph is kept.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")
string = np.dtype("str")

DTYPES = {d.name: d for d in (float16, float32, float64, int8, int16, int32, int64, uint8,
                              bool_)}


def as_dtype(dtype, owner: str = "dtype") -> np.dtype:
    """``dtype`` (a name, a NumPy type, a dtype) as a NumPy dtype dlpath can hold."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{owner}: {dtype!r} is not a dtype (expected e.g. 'float32')") from None
    if resolved.kind not in "fiub":
        raise TypeError(f"{owner}: dtype {resolved} is not supported; dlpath tensors hold "
                        f"numbers and booleans (float16/32/64, int8..int64, uint8, bool)")
    return resolved


def _python_default(array: np.ndarray) -> np.ndarray:
    """Python numbers and lists: float64 -> float32, int64 -> int32 (TF's defaults)."""
    if array.dtype == np.float64:
        return array.astype(np.float32)
    if array.dtype == np.int64:
        if array.size and (array.max() > np.iinfo(np.int32).max
                           or array.min() < np.iinfo(np.int32).min):
            return array
        return array.astype(np.int32)
    return array


def convert_to_tensor(value, dtype=None, name: str = "convert_to_tensor") -> Tensor:
    """``value`` as a Tensor; a Tensor (or Variable) comes back unchanged, graph and all.

    With ``dtype``, a Tensor of another dtype is cast (differentiably for floats).
    """
    if isinstance(value, Tensor):
        if dtype is None or value.dtype == as_dtype(dtype, name):
            return value
        from dlpath.ops.math import cast

        return cast(value, dtype)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        from dlpath.ops.array import stack

        return convert_to_tensor(stack([convert_to_tensor(v) for v in value]), dtype, name)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}: cannot convert a {type(value).__name__} to a tensor "
                        f"({error})") from None
    if array.dtype.kind in "SUO":
        raise TypeError(f"{name}: dlpath tensors hold numbers and booleans, got "
                        f"{type(value).__name__} of dtype {array.dtype}")
    if dtype is not None:
        return Tensor(array, dtype=as_dtype(dtype, name))
    if not isinstance(value, np.ndarray) and not isinstance(value, np.generic):
        array = _python_default(array)
    return Tensor(array, dtype=array.dtype)


def constant(value, dtype=None, shape=None, name: str = "constant") -> Tensor:
    """A Tensor that does not require a gradient; ``shape`` broadcasts a scalar (as TF)."""
    if isinstance(value, Tensor):
        value = value.data
    tensor = convert_to_tensor(value, dtype, name)
    if shape is not None:
        shape = tuple(int(n) for n in shape)
        data = tensor.data
        if data.size == 1:
            data = np.broadcast_to(data.reshape(()), shape).copy()
        elif data.size == int(np.prod(shape)):
            data = data.reshape(shape)
        else:
            raise ValueError(f"{name}: a value of {data.size} elements cannot take shape "
                             f"{shape}")
        tensor = Tensor(data, dtype=data.dtype)
    return tensor


def to_numpy(value) -> np.ndarray:
    """The values of a Tensor or array-like as a NumPy array (a copy for Tensors)."""
    if isinstance(value, Tensor):
        return np.array(value.data, copy=True)
    return np.asarray(value)


def values(value):
    """The raw array of ``value`` (no copy), for arguments that are not differentiated."""
    if isinstance(value, Tensor):
        return value.data
    return np.asarray(value)
