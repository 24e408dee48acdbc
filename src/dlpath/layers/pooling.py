"""Pooling layers: one base class for windowed pooling, one for global pooling, and thin
subclasses (MaxPooling1D/2D, AveragePooling1D/2D, GlobalMax/AveragePooling1D/2D).

Windowed pooling runs the fused primitives of `dlpath.engine.pooling`; global pooling is a
mean or max over the spatial axes (composites of primitive ops).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.engine import pooling as pool_ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer

_SHAPES = {1: "(batch, steps, features)", 2: "(batch, height, width, channels)"}


class Pooling(Layer):
    """Max or average over windows of ``pool_size`` moved by ``strides`` (default: the
    pool size), with 'valid' (no padding) or 'same' (ceil(n / s) outputs) padding.

    Subclasses set ``rank`` (1 or 2) and ``mode`` ('max' or 'average').
    """

    rank = 2
    mode = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        self.pool_size = arguments.int_tuple(pool_size, self.rank, "pool_size", kind)
        self.strides = (self.pool_size if strides is None else
                        arguments.int_tuple(strides, self.rank, "strides", kind))
        self.padding = arguments.choice(padding, "padding", kind, ("valid", "same"))
        self.data_format = arguments.data_format(data_format, kind)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        if self.rank == 1:
            fn = pool_ops.max_pool1d if self.mode == "max" else pool_ops.avg_pool1d
            return fn(inputs, self.pool_size[0], self.strides[0], self.padding)
        fn = pool_ops.max_pool2d if self.mode == "max" else pool_ops.avg_pool2d
        return fn(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        spatial = []
        for size, k, s in zip(input_shape[1:-1], self.pool_size, self.strides):
            if size is None:
                spatial.append(None)
            elif self.padding == "same":
                spatial.append(-(-size // s))
            else:
                spatial.append((size - k) // s + 1)
        return (input_shape[0],) + tuple(spatial) + (input_shape[-1],)

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_SHAPES[self.rank]} inputs"

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format}


class MaxPooling1D(Pooling):
    """Max over windows of steps: y[n, t, c] = max_{p < k} x_pad[n, t s + p, c]."""

    rank, mode = 1, "max"


class MaxPooling2D(Pooling):
    """Max over k_h x k_w windows: y[n, i, j, c] = max_{p, q} x_pad[n, i s_h + p, j s_w + q, c];
    the gradient goes to the (first) maximal element of each window."""

    rank, mode = 2, "max"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class AveragePooling1D(Pooling):
    """Mean over windows of steps ('same': the padding is left out of each mean)."""

    rank, mode = 1, "average"


class AveragePooling2D(Pooling):
    """Mean over k_h x k_w windows ('same': the padding is left out of each mean)."""

    rank, mode = 2, "average"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class GlobalPooling(Layer):
    """Max or average over all spatial axes: (batch, *spatial, C) -> (batch, C), or
    (batch, 1, ..., 1, C) with ``keepdims=True``.

    The 1-D layers honour a (batch, steps) mask (e.g. from ``Embedding(mask_zero=True)``):
    masked steps are left out, y[n, c] = sum_t m[n, t] x[n, t, c] / sum_t m[n, t] for the
    average, and the maximum is taken over the unmasked steps only (0 if none is left).
    """

    rank = 2
    mode = "max"

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = arguments.data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self.supports_masking = self.rank == 1
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs, mask=None):
        axes = tuple(range(1, self.rank + 1))
        if mask is not None and self.rank == 1:
            return self._masked(inputs, mask)
        if self.mode == "max":
            return ops.max(inputs, axis=axes, keepdims=self.keepdims)
        return ops.mean(inputs, axis=axes, keepdims=self.keepdims)

    def _masked(self, inputs, mask):
        keep = np.asarray(mask.data if isinstance(mask, Tensor) else mask, dtype=bool)
        if keep.shape != inputs.shape[:2]:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the mask has "
                             f"shape {keep.shape}, expected {inputs.shape[:2]} for an input "
                             f"of shape {inputs.shape}")
        weights = Tensor(keep[:, :, None], dtype=inputs.dtype)  # (N, T, 1)
        if self.mode == "average":
            total = ops.sum(inputs * weights, axis=1, keepdims=self.keepdims)
            count = ops.sum(weights, axis=1, keepdims=self.keepdims)
            return total / count
        low = Tensor(np.asarray(-np.inf, dtype=inputs.dtype))
        best = ops.max(ops.where(keep[:, :, None], inputs, low), axis=1,
                       keepdims=self.keepdims)
        any_kept = keep.any(axis=1).reshape(best.shape[:-1] + (1,))  # (N, [1,] 1)
        return ops.where(any_kept, best, Tensor(np.zeros((), dtype=inputs.dtype)))

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_SHAPES[self.rank]} inputs"

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalMaxPooling1D(GlobalPooling):
    """y[n, c] = max_t x[n, t, c] (over the unmasked steps when a mask is given)."""

    rank, mode = 1, "max"


class GlobalMaxPooling2D(GlobalPooling):
    """y[n, c] = max_{i, j} x[n, i, j, c]."""

    rank, mode = 2, "max"


class GlobalAveragePooling1D(GlobalPooling):
    """y[n, c] = mean_t x[n, t, c] (over the unmasked steps when a mask is given)."""

    rank, mode = 1, "average"


class GlobalAveragePooling2D(GlobalPooling):
    """y[n, c] = mean_{i, j} x[n, i, j, c]."""

    rank, mode = 2, "average"


# Keras' short names.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
