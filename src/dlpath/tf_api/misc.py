"""TensorFlow's small top-level helpers: ``tf.name_scope`` and ``tf.device`` (accepted; dlpath
computes eagerly on the CPU), ``tf.py_function`` / ``tf.numpy_function`` (the function is
called at once), ``tf.get_logger`` and the ``tf.*_initializer`` classes (Keras'
initializers under TensorFlow's names and arguments)."""

from __future__ import annotations

import logging

import numpy as np

from dlpath.engine import Tensor
from dlpath.initializers import Constant as constant_initializer
from dlpath.initializers import Ones as ones_initializer
from dlpath.initializers import RandomNormal as random_normal_initializer
from dlpath.initializers import RandomUniform as random_uniform_initializer
from dlpath.initializers import Zeros as zeros_initializer


class name_scope:  # noqa: N801 - TF's name
    """``with tf.name_scope("block"):``: the scope's name, nothing else (names in dlpath
    are the layers' and variables' own)."""

    def __init__(self, name, default_name=None, values=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name_scope: name must be a str, got {type(name).__name__}")
        self.name = name if name is not None else default_name

    def __enter__(self):
        return self.name + "/" if self.name else ""

    def __exit__(self, *exc) -> bool:
        return False


class device:  # noqa: N801 - TF's name
    """``with tf.device("/GPU:0"):``: accepted; every op runs on the CPU."""

    def __init__(self, device_name):
        if device_name is not None and not isinstance(device_name, str) and not callable(
                device_name):
            raise TypeError(f"device: device_name must be a str, got "
                            f"{type(device_name).__name__}")
        self.device_name = device_name

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False


def _as_outputs(result, Tout, owner: str):
    if Tout is None:
        return None
    if isinstance(Tout, (list, tuple)):
        items = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(items) != len(Tout):
            raise ValueError(f"{owner}: Tout names {len(Tout)} outputs, the function returned "
                             f"{len(items)}")
        return [_as_output(item, dtype, owner) for item, dtype in zip(items, Tout)]
    return _as_output(result, Tout, owner)


def _as_output(value, dtype, owner: str) -> Tensor:
    from dlpath.ops import cast, convert_to_tensor

    tensor = value if isinstance(value, Tensor) else convert_to_tensor(np.asarray(value))
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    return tensor if tensor.dtype == dtype else cast(tensor, dtype)


def py_function(func, inp, Tout, name=None):  # noqa: N803 - TF's name
    """``func(*inp)`` called now, with the Tensors as they are (so gradients flow through
    what it computes with dlpath ops); the results are Tensors of the ``Tout`` dtypes."""
    if not callable(func):
        raise TypeError(f"py_function: func must be callable, got {type(func).__name__}")
    return _as_outputs(func(*list(inp)), Tout, "py_function")


def numpy_function(func, inp, Tout, stateful: bool = True, name=None):  # noqa: N803
    """``func`` called now on NumPy arrays (no gradient); the results are Tensors of the
    ``Tout`` dtypes."""
    if not callable(func):
        raise TypeError(f"numpy_function: func must be callable, got {type(func).__name__}")
    arrays = [x.numpy() if isinstance(x, Tensor) else np.asarray(x) for x in inp]
    return _as_outputs(func(*arrays), Tout, "numpy_function")


def get_logger() -> logging.Logger:
    """The ``"dlpath"`` logger (TensorFlow's is ``"tensorflow"``)."""
    return logging.getLogger("dlpath")


__all__ = ["constant_initializer", "device", "get_logger", "name_scope", "numpy_function",
           "ones_initializer", "py_function", "random_normal_initializer",
           "random_uniform_initializer", "zeros_initializer"]
