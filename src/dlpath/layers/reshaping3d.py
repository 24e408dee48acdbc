"""Reshaping of (batch, depth, height, width, channels) volumes: UpSampling3D, ZeroPadding3D,
Cropping3D (channels_last).

Composites of primitive ops (reshape, broadcast, pad, slicing), so the engine gives the
gradients: the adjoint of repeating is summing, of padding is cropping, of cropping is padding.
"""

from __future__ import annotations

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.reshaping import _pairs

_VOLUMES = "(batch, depth, height, width, channels)"


class _Volume(Layer):
    """Shared: rank-5 channels_last inputs and a shape hint in errors."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = arguments.data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=5)

    def _expected_shape_hint(self) -> str:
        return f"; {type(self).__name__} takes {_VOLUMES} inputs"

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class UpSampling3D(_Volume):
    """Repeat each voxel size[0] x size[1] x size[2] times (nearest neighbour):
    y[n, d, h, w, c] = x[n, d // s_d, h // s_h, w // s_w, c]."""

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = arguments.int_tuple(size, 3, "size", "UpSampling3D")

    def call(self, inputs):
        n, d, h, w, c = inputs.shape
        sd, sh, sw = self.size
        grid = ops.reshape(inputs, (n, d, 1, h, 1, w, 1, c))
        grid = ops.broadcast_to(grid, (n, d, sd, h, sh, w, sw, c))
        return ops.reshape(grid, (n, d * sd, h * sh, w * sw, c))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if m is None else m * s
                        for m, s in zip(input_shape[1:4], self.size))
        return (input_shape[0],) + spatial + (input_shape[4],)

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class ZeroPadding3D(_Volume):
    """Planes of zeros around each volume: ``padding`` is an int, 3 ints (symmetric per
    axis) or ((front, back), (top, bottom), (left, right))."""

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding, 3, "padding", "ZeroPadding3D")

    def call(self, inputs):
        return ops.pad(inputs, ((0, 0),) + self.padding + ((0, 0),))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if m is None else m + lo + hi
                        for m, (lo, hi) in zip(input_shape[1:4], self.padding))
        return (input_shape[0],) + spatial + (input_shape[4],)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


class Cropping3D(_Volume):
    """Cut planes off each volume: ``cropping`` in ZeroPadding3D's forms;
    y = x[:, f:D-b, t:H-bo, l:W-r, :]."""

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping, 3, "cropping", "Cropping3D")

    def call(self, inputs):
        index = [slice(None)]
        for size, (lo, hi) in zip(inputs.shape[1:4], self.cropping):
            if lo + hi >= size:
                raise ValueError(f"Layer '{self.name}' (Cropping3D): cropping {self.cropping} "
                                 f"leaves nothing of an input of shape {inputs.shape}")
            index.append(slice(lo, size - hi))
        return ops.getitem(inputs, tuple(index))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if m is None else m - lo - hi
                        for m, (lo, hi) in zip(input_shape[1:4], self.cropping))
        return (input_shape[0],) + spatial + (input_shape[4],)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}
