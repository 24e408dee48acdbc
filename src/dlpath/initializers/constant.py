"""Deterministic initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

import numpy as np

from dlpath.initializers.base import Initializer, check_dtype, check_shape


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        return np.zeros(check_shape(owner, shape), check_dtype(owner, dtype, floating=False))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        return np.ones(check_shape(owner, shape), check_dtype(owner, dtype, floating=False))


class Constant(Initializer):
    """Every entry ``value`` (a scalar, or an array broadcastable to the shape)."""

    def __init__(self, value=0.0):
        array = np.asarray(value)
        if array.dtype.kind not in "fiub":
            raise TypeError(f"Constant: value must be numeric, got {value!r}")
        self.value = value

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape = check_shape(owner, shape)
        dtype = check_dtype(owner, dtype, floating=False)
        try:
            return np.broadcast_to(np.asarray(self.value, dtype=dtype), shape).copy()
        except ValueError:
            raise ValueError(
                f"Constant: value of shape {np.shape(self.value)} cannot fill shape {shape}"
            ) from None

    def get_config(self) -> dict:
        value = self.value
        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        return {"value": value}


class Identity(Initializer):
    r"""``gain`` times the identity matrix (2-D shapes only; rectangular allowed):
    :math:`W_{ij} = \text{gain} \cdot [i = j]`."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype="float32") -> np.ndarray:
        owner = type(self).__name__
        shape = check_shape(owner, shape)
        if len(shape) != 2:
            raise ValueError(f"Identity: needs a 2-D shape, got {shape} of rank {len(shape)}")
        dtype = check_dtype(owner, dtype)
        return (self.gain * np.eye(*shape)).astype(dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain}
