"""Spatial reshaping layers: UpSampling1D/2D, ZeroPadding1D/2D, Cropping1D/2D.

All are composites of primitive ops (reshape, broadcast, pad, slicing, matmul), so their
gradients come from the engine: the adjoint of repeating is summing, of padding is cropping.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer

_IMAGES = "(batch, height, width, channels)"
_SEQUENCES = "(batch, steps, features)"


def _pairs(value, rank: int, name: str, layer: str) -> tuple:
    """Keras' padding/cropping forms as ``rank`` (before, after) pairs: an int (same
    everywhere), ``rank`` ints (symmetric per axis), or ``rank`` pairs."""
    accepted = f"an int, {rank} ints or {rank} pairs of ints, each non-negative"
    if arguments.is_int(value):
        value = [(value, value)] * rank
    elif not isinstance(value, (tuple, list)):
        raise arguments.ArgumentTypeError(
            f"{layer}: {name} must be {accepted}, got {arguments.describe(value)}")
    elif rank == 1 and len(value) == 2 and all(arguments.is_int(v) for v in value):
        value = [tuple(value)]
    else:
        value = [(v, v) if arguments.is_int(v) else v for v in value]
    if len(value) != rank or not all(isinstance(p, (tuple, list)) and len(p) == 2
                                     for p in value):
        raise arguments.InvalidArgumentError(f"{layer}: {name} must be {accepted}, got {value!r}")
    return tuple(tuple(arguments.non_negative_int(v, name, layer) for v in pair)
                 for pair in value)


class _Spatial(Layer):
    """Shared by the layers here: a fixed rank, channels_last, a shape hint in errors."""

    rank = 2

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = arguments.data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_IMAGES if self.rank == 2 else _SEQUENCES} inputs"


# ---------------------------------------------------------------------------------- upsampling
def _linear_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix of 1-D linear interpolation with half-pixel centres:
    source position u = (o + 1/2) n_in / n_out - 1/2 (clamped at 0), y[o] = (1 - f) x[floor u]
    + f x[floor u + 1] with f = u - floor u (the last index repeats at the edge)."""
    u = np.maximum((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0)
    low = np.floor(u).astype(int)
    frac = u - low
    high = np.minimum(low + 1, n_in - 1)
    low = np.minimum(low, n_in - 1)
    weights = np.zeros((n_out, n_in))
    np.add.at(weights, (np.arange(n_out), low), 1 - frac)
    np.add.at(weights, (np.arange(n_out), high), frac)
    return weights


class UpSampling2D(_Spatial):
    """Repeat rows ``size[0]`` times and columns ``size[1]`` times ('nearest'), or resize
    by bilinear interpolation with half-pixel centres ('bilinear', as Keras' image resize
    and PyTorch's ``interpolate(align_corners=False)``): y = A_h x A_w^T per image and
    channel, with A the 1-D interpolation matrices."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = arguments.int_tuple(size, 2, "size", "UpSampling2D")
        self.interpolation = arguments.choice(interpolation, "interpolation", "UpSampling2D",
                                              ("nearest", "bilinear"))

    def call(self, inputs):
        n, h, w, c = inputs.shape
        sh, sw = self.size
        if self.interpolation == "nearest":
            grid = ops.reshape(inputs, (n, h, 1, w, 1, c))
            grid = ops.broadcast_to(grid, (n, h, sh, w, sw, c))
            return ops.reshape(grid, (n, h * sh, w * sw, c))
        rows = Tensor(_linear_weights(h, h * sh), dtype=inputs.dtype)  # (P, H)
        cols = Tensor(_linear_weights(w, w * sw).T, dtype=inputs.dtype)  # (W, Q)
        y = ops.matmul(rows, ops.reshape(inputs, (n, h, w * c)))  # (N, P, W C)
        y = ops.transpose(ops.reshape(y, (n, h * sh, w, c)), (0, 1, 3, 2))  # (N, P, C, W)
        return ops.transpose(ops.matmul(y, cols), (0, 1, 3, 2))  # (N, P, Q, C)

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        return (n, None if h is None else h * self.size[0],
                None if w is None else w * self.size[1], c)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling1D(_Spatial):
    """Repeat every step ``size`` times: (N, T, C) -> (N, T size, C)."""

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(None, **kwargs)
        self.size = arguments.int_tuple(size, 1, "size", "UpSampling1D")[0]

    def call(self, inputs):
        n, t, c = inputs.shape
        grid = ops.broadcast_to(ops.reshape(inputs, (n, t, 1, c)), (n, t, self.size, c))
        return ops.reshape(grid, (n, t * self.size, c))

    def compute_output_shape(self, input_shape):
        n, t, c = input_shape
        return (n, None if t is None else t * self.size, c)

    def get_config(self):
        return {**super().get_config(), "size": self.size}


# ---------------------------------------------------------------------------------- padding
class ZeroPadding2D(_Spatial):
    """Rows/columns of zeros around each image: ``padding`` is an int, (sym_h, sym_w) or
    ((top, bottom), (left, right))."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding, 2, "padding", "ZeroPadding2D")

    def call(self, inputs):
        return ops.pad(inputs, ((0, 0),) + self.padding + ((0, 0),))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if n is None else n + lo + hi
                        for n, (lo, hi) in zip(input_shape[1:3], self.padding))
        return (input_shape[0],) + spatial + (input_shape[3],)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(_Spatial):
    """Steps of zeros at the start and end of each sequence: an int or (left, right)."""

    rank = 1

    def __init__(self, padding=1, **kwargs):
        super().__init__(None, **kwargs)
        self.padding = _pairs(padding, 1, "padding", "ZeroPadding1D")[0]

    def call(self, inputs):
        return ops.pad(inputs, ((0, 0), self.padding, (0, 0)))

    def compute_output_shape(self, input_shape):
        n, t, c = input_shape
        return (n, None if t is None else t + sum(self.padding), c)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


# ---------------------------------------------------------------------------------- cropping
class Cropping2D(_Spatial):
    """Cut rows/columns off each image: ``cropping`` as ZeroPadding2D's ``padding``."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping, 2, "cropping", "Cropping2D")

    def call(self, inputs):
        index = [slice(None)]
        for size, (lo, hi) in zip(inputs.shape[1:3], self.cropping):
            if lo + hi >= size:
                raise ValueError(f"Layer '{self.name}' (Cropping2D): cropping {self.cropping} "
                                 f"leaves nothing of an input of shape {inputs.shape}")
            index.append(slice(lo, size - hi))
        return ops.getitem(inputs, tuple(index))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if n is None else n - lo - hi
                        for n, (lo, hi) in zip(input_shape[1:3], self.cropping))
        return (input_shape[0],) + spatial + (input_shape[3],)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping1D(_Spatial):
    """Cut steps off the start and end of each sequence: an int or (start, end)."""

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(None, **kwargs)
        self.cropping = _pairs(cropping, 1, "cropping", "Cropping1D")[0]

    def call(self, inputs):
        lo, hi = self.cropping
        if lo + hi >= inputs.shape[1]:
            raise ValueError(f"Layer '{self.name}' (Cropping1D): cropping {self.cropping} "
                             f"leaves nothing of an input of shape {inputs.shape}")
        return ops.getitem(inputs, (slice(None), slice(lo, inputs.shape[1] - hi)))

    def compute_output_shape(self, input_shape):
        n, t, c = input_shape
        return (n, None if t is None else t - sum(self.cropping), c)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}
