"""Adaptive pooling: AdaptiveAverage/MaxPooling1D/2D/3D pool any input to a fixed
``output_size``.

Along a spatial axis of length L pooled to n outputs, bin i covers

    start_i = floor(i L / n),   end_i = ceil((i + 1) L / n)

(PyTorch's rule; neighbouring bins overlap when n does not divide L). Bins are products of
intervals, so a d-dimensional pool is d one-axis pools in a row: the mean of means over a
product of intervals is the mean over it, and the same holds for the max.

One axis is pooled with engine ops: a gather of every bin's elements, padded to the widest
bin w by repeating the bin's last element, gives (..., n, w, ...); the max over w is the
bin's max (a repeat changes no maximum), and a sum with weights 1/(end_i - start_i) on the
real elements and 0 on the repeats is its mean.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer

_SHAPES = {
    ("channels_last", 1): "(batch, steps, features)",
    ("channels_last", 2): "(batch, height, width, channels)",
    ("channels_last", 3): "(batch, depth, height, width, channels)",
    ("channels_first", 1): "(batch, features, steps)",
    ("channels_first", 2): "(batch, channels, height, width)",
    ("channels_first", 3): "(batch, channels, depth, height, width)",
}


def adaptive_bins(size: int, out: int) -> tuple:
    """(starts, ends) of the ``out`` bins over an axis of ``size`` elements."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def bin_indices(size: int, out: int) -> tuple:
    """(index (out, w), weights (out, w)): bin i's elements, padded with its last one, and
    1/count on the real elements, 0 on the padding."""
    starts, ends = adaptive_bins(size, out)
    width = int((ends - starts).max())
    offsets = starts[:, None] + np.arange(width)[None, :]  # (n, w)
    real = offsets < ends[:, None]
    index = np.minimum(offsets, ends[:, None] - 1)
    weights = real / (ends - starts)[:, None]
    return index, weights


def adaptive_pool_axis(x, axis: int, out: int, mode: str):
    """Pool axis ``axis`` of ``x`` to ``out`` bins by their max or mean ('max'/'average')."""
    size = x.shape[axis]
    index, weights = bin_indices(size, out)
    lead = (slice(None),) * axis
    gathered = ops.getitem(x, lead + (index.reshape(-1),))  # (..., n w, ...)
    shape = x.shape[:axis] + index.shape + x.shape[axis + 1:]
    gathered = ops.reshape(gathered, shape)  # (..., n, w, ...)
    if mode == "max":
        return ops.max(gathered, axis=axis + 1)
    w = weights.reshape(index.shape + (1,) * (x.ndim - axis - 1)).astype(x.dtype)
    return ops.sum(gathered * Tensor(w), axis=axis + 1)


class AdaptivePooling(Layer):
    """Max or average over the bins that pool every spatial axis to ``output_size``.

    Subclasses set ``rank`` (1, 2 or 3) and ``mode`` ('max' or 'average').
    """

    rank = 2
    mode = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        self.output_size = arguments.int_tuple(output_size, self.rank, "output_size", kind)
        self.data_format = ("channels_last" if data_format is None else arguments.choice(
            data_format, "data_format", kind, ("channels_last", "channels_first")))
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def spatial_axes(self) -> tuple:
        """The axes of the input that are pooled."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        for axis in self.spatial_axes():
            if inputs.shape[axis] == 0:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): spatial axis {axis} of the "
                    f"input is empty, got shape {inputs.shape}")
        y = inputs
        for axis, out in zip(self.spatial_axes(), self.output_size):
            y = adaptive_pool_axis(y, axis, out, self.mode)
        return y

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, out in zip(self.spatial_axes(), self.output_size):
            shape[axis] = out
        return tuple(shape)

    def _expected_shape_hint(self) -> str:
        return (f"; {type(self).__name__} takes "
                f"{_SHAPES[(self.data_format, self.rank)]} inputs")

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


class AdaptiveAveragePooling1D(AdaptivePooling):
    """y[b, i, c] = mean_{start_i <= t < end_i} x[b, t, c]."""

    rank, mode = 1, "average"


class AdaptiveAveragePooling2D(AdaptivePooling):
    """y[b, i, j, c] = mean of x[b, h, w, c] over bin i of the rows and bin j of the
    columns."""

    rank, mode = 2, "average"


class AdaptiveAveragePooling3D(AdaptivePooling):
    """y[b, i, j, k, c] = mean of x over the product of bins i, j, k of the three axes."""

    rank, mode = 3, "average"


class AdaptiveMaxPooling1D(AdaptivePooling):
    """y[b, i, c] = max_{start_i <= t < end_i} x[b, t, c]; the gradient goes to the
    maximum (shared equally among ties)."""

    rank, mode = 1, "max"


class AdaptiveMaxPooling2D(AdaptivePooling):
    """y[b, i, j, c] = max of x[b, h, w, c] over bin i of the rows and bin j of the
    columns."""

    rank, mode = 2, "max"


class AdaptiveMaxPooling3D(AdaptivePooling):
    """y[b, i, j, k, c] = max of x over the product of bins i, j, k of the three axes."""

    rank, mode = 3, "max"
