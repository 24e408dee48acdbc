"""`Rescaling`: ``y = x * scale + offset``, e.g. pixels from [0, 255] to [0, 1]."""

from __future__ import annotations

import numpy as np

from dlpath.layers import arguments
from dlpath.layers.layer import Layer


def _number_or_list(value, name: str, owner: str):
    """A float, or a list of floats (one per channel, broadcast over the last axis)."""
    if isinstance(value, (np.ndarray, list, tuple)):
        array = np.asarray(value)
        if array.dtype.kind not in "fiu" or array.size == 0:
            raise arguments.ArgumentTypeError(
                f"{owner}: {name} must be a number or a list of numbers, got "
                f"{arguments.describe(value)}")
        return array.astype(float).tolist()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        raise arguments.ArgumentTypeError(
            f"{owner}: {name} must be a number or a list of numbers, got "
            f"{arguments.describe(value)}")
    return float(value)


class Rescaling(Layer):
    """``keras.layers.Rescaling(scale, offset=0.0)``:

    .. math::  y = x \\cdot \\text{scale} + \\text{offset}

    ``Rescaling(1 / 255)`` maps [0, 255] to [0, 1]; ``Rescaling(1 / 127.5, offset=-1)``
    maps it to [-1, 1]. ``scale`` and ``offset`` may be lists, broadcast against the input
    (one value per channel). Integer inputs become floats of the layer's dtype.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.scale = _number_or_list(scale, "scale", owner)
        self.offset = _number_or_list(offset, "offset", owner)

    def call(self, inputs):
        scale = np.asarray(self.scale, dtype=inputs.dtype)
        offset = np.asarray(self.offset, dtype=inputs.dtype)
        for name, value in (("scale", scale), ("offset", offset)):
            try:
                np.broadcast_shapes(value.shape, inputs.shape)
            except ValueError:
                raise arguments.InvalidArgumentError(
                    f"Layer '{self.name}' (Rescaling): {name} of shape {value.shape} does not "
                    f"broadcast against the input of shape {inputs.shape}") from None
        return inputs * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(scale=self.scale, offset=self.offset)
        return config
