"""Merge layers: combine a list of tensors into one (Add, Subtract, Multiply, Average,
Maximum, Minimum, Concatenate, Dot), and their functional forms (``add([a, b])``, ...)."""

from __future__ import annotations

from functools import reduce

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.layer import Layer


class Merge(Layer):
    """Base class: checks that it gets a list of at least two tensors of compatible shape.

    The element-wise merges broadcast as Keras' do: an input of lower rank first gets axes
    of size 1 inserted after its batch axis ((B, 3) against (B, 4, 3) is read as (B, 1, 3)),
    then every non-batch axis must have one size, or size 1, across the inputs.
    """

    supports_masking = True
    minimum_inputs = 2

    def _check(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < self.minimum_inputs:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): expected a list "
                             f"of at least {self.minimum_inputs} tensors, got {inputs!r:.80}")

    def call(self, inputs):
        self._check(inputs)
        shapes = [tuple(x.shape) for x in inputs]
        self._broadcast_shape(shapes)
        rank = max(len(shape) for shape in shapes)
        inputs = [x if x.ndim == rank else
                  ops.reshape(x, x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:])
                  for x in inputs]
        return self.merge(list(inputs))

    def _broadcast_shape(self, shapes) -> tuple:
        """The output shape of merging inputs of ``shapes`` (None: unknown size)."""
        rank = max(len(shape) for shape in shapes)
        aligned = [tuple(s[:1]) + (1,) * (rank - len(s)) + tuple(s[1:]) for s in shapes]
        out = [aligned[0][0]]
        for axis in range(1, rank):
            sizes = {shape[axis] for shape in aligned} - {1}
            if len(sizes - {None}) > 1:
                raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): inputs must "
                                 f"have the same shape, or size 1 where they differ, got "
                                 f"shapes {list(shapes)} (axis {axis})")
            out.append(None if None in sizes else (sizes.pop() if sizes else 1))
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return self._broadcast_shape([tuple(s) for s in input_shape])


class Add(Merge):
    """y = x_1 + x_2 + ... + x_n."""

    def merge(self, inputs):
        return reduce(ops.add, inputs)


class Subtract(Merge):
    """y = x_1 - x_2 (exactly two inputs)."""

    def merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Layer '{self.name}' (Subtract): expected exactly 2 inputs, "
                             f"got {len(inputs)}")
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """y = x_1 * x_2 * ... * x_n (element-wise)."""

    def merge(self, inputs):
        return reduce(ops.mul, inputs)


class Average(Merge):
    """y = (x_1 + ... + x_n) / n."""

    def merge(self, inputs):
        return reduce(ops.add, inputs) * (1.0 / len(inputs))


class Maximum(Merge):
    """y = max(x_1, ..., x_n) element-wise."""

    def merge(self, inputs):
        return reduce(ops.maximum, inputs)


class Minimum(Merge):
    """y = min(x_1, ..., x_n) element-wise."""

    def merge(self, inputs):
        return reduce(ops.minimum, inputs)


class Concatenate(Merge):
    """y = [x_1, ..., x_n] joined along ``axis`` (default the last)."""

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = arguments.axes(axis, "axis", "Concatenate", allow_many=False)

    def call(self, inputs):
        self._check(inputs)
        shapes = [x.shape for x in inputs]
        rank = len(shapes[0])
        axis = arguments.axis_in_range(self.axis, rank, "axis",
                                       f"Layer '{self.name}' (Concatenate)")
        others = {tuple(s for i, s in enumerate(shape) if i != axis) for shape in shapes}
        if any(len(s) != rank for s in shapes) or len(others) != 1:
            raise ValueError(f"Layer '{self.name}' (Concatenate): inputs must match except "
                             f"along axis {self.axis}, got shapes {shapes}")
        return ops.concatenate(list(inputs), axis=axis)

    def compute_output_shape(self, input_shape):
        shapes = [list(s) for s in input_shape]
        axis = arguments.axis_in_range(self.axis, len(shapes[0]), "axis",
                                       f"Layer '{self.name}' (Concatenate)")
        out = shapes[0]
        sizes = [s[axis] for s in shapes]
        out[axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """Batched dot products of two tensors along ``axes`` (Keras' ``batch_dot``).

    For each sample b: y_b = sum_k x_b[..., k, ...] z_b[..., k, ...], contracting axis
    ``axes[0]`` of x with axis ``axes[1]`` of z (one int: the same axis of both). The output
    holds x's other axes, then z's; two (batch, n) inputs give (batch, 1). With
    ``normalize=True`` both are first L2-normalized along the contracted axes, so
    y is the cosine similarity: x / sqrt(max(sum x^2, 1e-12)).
    """

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if arguments.is_int(axes):
            axes = (int(axes), int(axes))
        if not (isinstance(axes, (list, tuple)) and len(axes) == 2
                and all(arguments.is_int(a) for a in axes)):
            raise arguments.ArgumentTypeError(
                f"Dot: axes must be an int or a pair of ints, got {arguments.describe(axes)}")
        self.axes = tuple(int(a) for a in axes)
        self.normalize = bool(normalize)

    def _axes(self, shapes) -> tuple:
        result = []
        for axis, shape in zip(self.axes, shapes):
            rank = len(shape)
            if not -rank <= axis < rank or axis % rank == 0:
                raise ValueError(f"Layer '{self.name}' (Dot): axes {self.axes} must name "
                                 f"non-batch axes of inputs of shapes {shapes}")
            result.append(axis % rank)
        return tuple(result)

    def call(self, inputs):
        self._check(inputs)
        if len(inputs) != 2:
            raise ValueError(f"Layer '{self.name}' (Dot): expected exactly 2 inputs, got "
                             f"{len(inputs)}")
        x, z = inputs
        shapes = [x.shape, z.shape]
        ax, az = self._axes(shapes)
        if x.shape[ax] != z.shape[az] or x.shape[0] != z.shape[0]:
            raise ValueError(f"Layer '{self.name}' (Dot): axis {ax} of the first input and "
                             f"axis {az} of the second must have the same size, got shapes "
                             f"{shapes}")
        if self.normalize:
            x, z = _l2_normalize(x, ax), _l2_normalize(z, az)
        return _batch_dot(x, z, ax, az)

    def compute_output_shape(self, input_shape):
        (sx, sz), (ax, az) = input_shape, self._axes(input_shape)
        rest = [s for i, s in enumerate(sx) if i not in (0, ax)] + [
            s for i, s in enumerate(sz) if i not in (0, az)]
        return (sx[0],) + (tuple(rest) if rest else (1,))

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x, axis: int):
    """x / sqrt(max(sum_axis x^2, 1e-12)), Keras' l2_normalize."""
    squares = ops.sum(x * x, axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(squares, np.asarray(1e-12, x.dtype)))


def _batch_dot(x, z, ax: int, az: int):
    """x (B, ..., n at ax, ...) . z (B, ..., n at az, ...) -> (B, x's rest, z's rest)."""
    x_rest = [i for i in range(1, x.ndim) if i != ax]
    z_rest = [i for i in range(1, z.ndim) if i != az]
    batch, n = x.shape[0], x.shape[ax]
    x_mat = ops.reshape(ops.transpose(x, [0] + x_rest + [ax]), (batch, -1, n))  # (B, X, n)
    z_mat = ops.reshape(ops.transpose(z, [0, az] + z_rest), (batch, n, -1))  # (B, n, Z)
    out = ops.matmul(x_mat, z_mat)  # (B, X, Z)
    shape = tuple(x.shape[i] for i in x_rest) + tuple(z.shape[i] for i in z_rest)
    return ops.reshape(out, (batch,) + (shape if shape else (1,)))


# ---------------------------------------------------------------- functional forms
def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis: int = -1, **kwargs):
    """``Concatenate(axis=axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize: bool = False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
