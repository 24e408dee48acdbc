"""``tf.dtypes`` and the dtype names of ``tf``: dlpath's dtypes are NumPy dtypes, so
``tf.float32 == np.float32`` and ``tf.DType`` is `numpy.dtype`.

``complex64`` / ``complex128`` name the dtypes, but dlpath Tensors hold real numbers and
booleans only (a complex value is refused with a TypeError).
"""

from __future__ import annotations

import numpy as np

DType = np.dtype

float16 = half = np.dtype("float16")
float32 = np.dtype("float32")
float64 = double = np.dtype("float64")
int8, int16, int32, int64 = (np.dtype(f"int{bits}") for bits in (8, 16, 32, 64))
uint8, uint16, uint32, uint64 = (np.dtype(f"uint{bits}") for bits in (8, 16, 32, 64))
bool = np.dtype("bool")  # noqa: A001 - TF's name
complex64, complex128 = np.dtype("complex64"), np.dtype("complex128")
string = np.dtype("str")

_ALIASES = {"half": "float16", "float": "float32", "double": "float64", "string": "str",
            "bool": "bool"}


def as_dtype(type_value) -> np.dtype:
    """``tf.dtypes.as_dtype``: a name (``"float32"``, ``"double"``), a NumPy type or dtype,
    or anything with ``as_numpy_dtype``, as a dtype."""
    value = getattr(type_value, "as_numpy_dtype", type_value)
    if isinstance(value, str):
        value = _ALIASES.get(value, value)
    try:
        return np.dtype(value)
    except TypeError:
        raise TypeError(f"as_dtype: cannot convert {type_value!r} to a dtype") from None


def cast(x, dtype, name=None):
    """``tf.dtypes.cast`` (``tf.cast``)."""
    from dlpath.ops import cast as cast_op

    return cast_op(x, as_dtype(dtype))


def saturate_cast(value, dtype, name=None):
    """``value`` clipped to the range of ``dtype``, then cast (no wrap-around)."""
    from dlpath import ops

    target = as_dtype(dtype)
    tensor = ops.convert_to_tensor(value)
    if target.kind in "iuf" and tensor.dtype.kind in "iuf":
        info = (np.iinfo if target.kind in "iu" else np.finfo)(target)
        source = (np.iinfo if tensor.dtype.kind in "iu" else np.finfo)(tensor.dtype)
        tensor = ops.clip(tensor, max(float(info.min), float(source.min)),
                          min(float(info.max), float(source.max)))
    return ops.cast(tensor, target)


__all__ = ["DType", "as_dtype", "bool", "cast", "complex64", "complex128", "double",
           "float16", "float32", "float64", "half", "int8", "int16", "int32", "int64",
           "saturate_cast", "string", "uint8", "uint16", "uint32", "uint64"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
