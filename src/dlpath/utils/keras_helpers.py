"""Small helpers of ``keras.utils`` and the top-level ``keras`` namespace: dtype names,
ordinal targets, the inputs behind a symbolic tensor, and the no-op scopes (``name_scope``,
``device``) that Keras 3 programs open."""

from __future__ import annotations

import contextlib

import numpy as np

# Keras 3's dtype names (keras.src.backend.common.dtypes.ALLOWED_DTYPES).
ALLOWED_DTYPES = ("float16", "float32", "float64", "bfloat16", "uint8", "uint16", "uint32",
                  "uint64", "int8", "int16", "int32", "int64", "bool", "string", "complex64",
                  "complex128")
_PYTHON_DTYPES = {bool: "bool", int: "int64", float: "float32", str: "string", "int": "int64"}


def standardize_dtype(dtype=None) -> str:
    """Keras' canonical name of ``dtype``: a NumPy dtype, a Python type, a name or anything
    with ``.name``; ``None`` is ``keras.config.floatx()``."""
    if dtype is None:
        from dlpath.ops.config import floatx

        return floatx()
    try:
        dtype = _PYTHON_DTYPES.get(dtype, dtype)
    except TypeError:  # unhashable
        pass
    if hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name
    elif isinstance(dtype, str):
        name = dtype
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        name = np.dtype(dtype).name
    else:
        name = str(dtype).split(".")[-1]
    name = {"str": "string", "bool_": "bool", "object": "string"}.get(name, name)
    if name not in ALLOWED_DTYPES:
        raise ValueError(f"standardize_dtype: invalid dtype {dtype!r}; expected one of "
                         f"{', '.join(ALLOWED_DTYPES)}")
    return name


def to_ordinal(x, num_classes=None) -> np.ndarray:
    """Ordinal-regression targets: class ``k`` of ``n`` becomes ``n - 1`` values, the
    first ``k`` of them 1 (``to_ordinal([0, 2], 3)`` is ``[[0, 0], [1, 1]]``), float32.

    A trailing axis of size 1 is dropped, as ``to_categorical`` does.
    """
    x = np.asarray(x)
    if x.dtype.kind not in "iub":
        if x.dtype.kind != "f" or not np.array_equal(x, np.round(x)):
            raise ValueError(f"to_ordinal: expected integer class indices, got {x.dtype}")
    x = x.astype(np.int64)
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = x.reshape(-1)
    if flat.size and flat.min() < 0:
        raise ValueError(f"to_ordinal: class indices must be >= 0, got {flat.min()}")
    if num_classes is None:
        num_classes = int(flat.max()) + 1 if flat.size else 1
    num_classes = int(num_classes)
    if flat.size and flat.max() >= num_classes:
        raise ValueError(f"to_ordinal: class {flat.max()} is out of range for "
                         f"num_classes={num_classes}")
    ordinal = (np.arange(num_classes - 1)[None, :] < flat[:, None]).astype(np.float32)
    return ordinal.reshape(shape + (num_classes - 1,))


def get_source_inputs(tensor) -> list:
    """The `keras.Input` tensors a symbolic tensor was computed from (in the order they
    are first met); a tensor that is itself an input gives ``[tensor]``."""
    from dlpath.layers.input_layer import InputLayer, KerasTensor

    if not isinstance(tensor, KerasTensor):
        raise TypeError(f"get_source_inputs: expected a symbolic tensor (keras.Input or a "
                        f"layer's output on one), got {type(tensor).__name__}")
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        node = current.node
        if node is None or isinstance(node.layer, InputLayer):
            found.append(current)
            continue
        stack.extend(reversed(node.parents))
    return found


@contextlib.contextmanager
def name_scope(name, **kwargs):
    """Keras 3's ``keras.name_scope``: accepted and ignored (dlpath names layers and
    weights itself); yields ``name``."""
    if not isinstance(name, str):
        raise TypeError(f"name_scope: name must be a string, got {type(name).__name__}")
    yield name


@contextlib.contextmanager
def device(device_name):
    """``keras.device("cpu:0")``: accepted and ignored, since dlpath computes on the CPU
    only; yields ``device_name``."""
    if not isinstance(device_name, str):
        raise TypeError(f"device: expected a device name such as 'cpu:0', got "
                        f"{type(device_name).__name__}")
    yield device_name


def enable_unsafe_deserialization() -> None:
    """``keras.config.enable_unsafe_deserialization()``: Keras then loads Lambda layers
    holding Python bytecode. dlpath never runs code from a file, so this changes nothing;
    it warns, and a ``Lambda`` with code stays refused (register the function instead)."""
    import warnings

    warnings.warn("enable_unsafe_deserialization: dlpath never loads code from a file, so "
                  "Lambda layers that hold bytecode stay refused; save the function with "
                  "@register_keras_serializable() and dlpath's Lambda refers to it by name",
                  UserWarning, stacklevel=2)


def version() -> str:
    """``keras.version()``: the version of the package answering, dlpath's."""
    from dlpath import __version__

    return __version__


__all__ = ["standardize_dtype", "to_ordinal", "get_source_inputs", "name_scope", "device",
           "enable_unsafe_deserialization", "version"]
