"""TensorFlow's core objects over dlpath: `Variable`, `TensorShape`, `function`, `print`,
and the spellings of array functions whose TF signature differs from NumPy's."""

from __future__ import annotations

import sys

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor
from dlpath.engine import Variable as _EngineVariable


class _VariableType(type):
    # Every dlpath Variable (a layer's kernel too) is a tf.Variable for isinstance.
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, _EngineVariable)


class Variable(_EngineVariable, metaclass=_VariableType):
    """``tf.Variable(initial_value, trainable=True, name=None, dtype=None)``.

    The dtype follows TF's rules (a Python float gives float32, a NumPy array keeps its
    dtype); ``initial_value`` may be a callable returning the value.
    """

    def __init__(self, initial_value=None, trainable: bool = True, name=None, dtype=None,
                 shape=None, **_ignored):
        if initial_value is None:
            raise ValueError("Variable: initial_value is required")
        if callable(initial_value):
            initial_value = initial_value()
        value = ops.convert_to_tensor(initial_value, dtype, "Variable").data
        if shape is not None and tuple(shape) != value.shape and None not in tuple(shape):
            raise ValueError(f"Variable: initial value of shape {value.shape} does not match "
                             f"shape={tuple(shape)}")
        super().__init__(np.array(value, copy=True), name=name or "Variable",
                         trainable=trainable, dtype=value.dtype)

    def read_value(self) -> Tensor:
        return Tensor(self.data.copy(), dtype=self.dtype)

    def value(self) -> Tensor:
        return self.read_value()


class TensorShape:
    """A light ``tf.TensorShape``: dimensions (ints or None) with ``as_list``, ``rank``."""

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            dims = dims.dims
        self.dims = None if dims is None else [None if d is None else int(d) for d in dims]

    @property
    def rank(self):
        return None if self.dims is None else len(self.dims)

    ndims = rank

    def as_list(self) -> list:
        if self.dims is None:
            raise ValueError("TensorShape.as_list: the rank is unknown")
        return list(self.dims)

    def num_elements(self):
        if self.dims is None or None in self.dims:
            return None
        return int(np.prod(self.dims, dtype=np.int64))

    def is_fully_defined(self) -> bool:
        return self.dims is not None and None not in self.dims

    def concatenate(self, other) -> "TensorShape":
        return TensorShape(self.as_list() + TensorShape(other).as_list())

    def __len__(self) -> int:
        return len(self.as_list())

    def __iter__(self):
        return iter(self.as_list())

    def __getitem__(self, key):
        if isinstance(key, slice):
            return TensorShape(self.as_list()[key])
        return self.as_list()[key]

    def __eq__(self, other) -> bool:
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (list, tuple)):
            return self.dims == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"TensorShape({self.dims})"


def function(func=None, **options):
    """``@tf.function`` (with or without arguments such as ``jit_compile=True``): dlpath runs
    eagerly, so the function is returned unchanged."""
    if func is None:
        return lambda f: f
    return func


def print(*inputs, output_stream=None, sep: str = " ", end: str = "\n", **_options):  # noqa: A001
    """``tf.print``: tensors as their values, to stderr by default (as TensorFlow)."""
    stream = sys.stderr if output_stream is None else output_stream
    if isinstance(stream, str):
        stream = sys.stdout if stream.endswith("stdout") else sys.stderr
    parts = [str(item.data) if isinstance(item, Tensor) else str(item) for item in inputs]
    stream.write(sep.join(parts) + end)


def shape(input, out_type="int32") -> Tensor:  # noqa: A002 - TF's name
    """The dynamic shape as a 1-D int32 Tensor."""
    return Tensor(np.asarray(ops.convert_to_tensor(input).shape, dtype=out_type))


def range(start, limit=None, delta=1, dtype=None):  # noqa: A001 - TF's name
    return ops.arange(start, limit, delta, dtype)


def concat(values, axis):
    return ops.concatenate(values, axis)


def split(value, num_or_size_splits, axis: int = 0, num=None):
    return ops.split_sizes(value, num_or_size_splits, axis)


def transpose(a, perm=None, conjugate: bool = False):
    return ops.transpose(a, perm)


def tile(input, multiples):  # noqa: A002 - TF's name
    return ops.tile(input, multiples)


def fill(dims, value):
    return ops.full(dims, value)


def zeros(shape, dtype="float32"):  # noqa: A002
    return ops.zeros(shape, dtype)


def ones(shape, dtype="float32"):  # noqa: A002
    return ops.ones(shape, dtype)


def eye(num_rows, num_columns=None, batch_shape=None, dtype="float32"):
    return ops.eye(num_rows, num_columns, 0, batch_shape, dtype)


def linspace(start, stop, num, axis: int = 0):
    return ops.linspace(start, stop, num, axis=axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None):
    """``tf.one_hot``: float32 (or ``on_value``'s dtype) rows; out-of-range indices give
    a row of ``off_value``."""
    if dtype is None and on_value is not None:
        dtype = ops.convert_to_tensor(on_value).dtype
    return ops.one_hot(indices, depth, 1 if on_value is None else on_value,
                       0 if off_value is None else off_value, -1 if axis is None else axis,
                       dtype or "float32")


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    if dtype is None and dtype_hint is not None and not isinstance(value, Tensor):
        dtype = dtype_hint
    return ops.convert_to_tensor(value, dtype)


def constant(value, dtype=None, shape=None, name=None):
    return ops.constant(value, dtype, shape)
