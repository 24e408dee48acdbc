"""`Masking`: mark the time steps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.layers.layer import InputSpec, Layer


class Masking(Layer):
    """For (batch, time, features) inputs: step t of a sample is padding when every feature
    equals ``mask_value``. Such steps are set to 0, and the output carries the mask
    m_t = any_f (x_tf != mask_value) (True = a real step), which recurrent layers follow as
    they follow ``Embedding(mask_zero=True)``'s: they skip padded steps.
    """

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, (bool, np.bool_)) or not isinstance(
                mask_value, (int, float, np.integer, np.floating)):
            raise TypeError(f"Masking: mask_value must be a number, got {mask_value!r:.60} "
                            f"({type(mask_value).__name__})")
        self.mask_value = float(mask_value)
        self.input_spec = InputSpec(min_ndim=2)

    def _keep(self, inputs) -> np.ndarray:
        return np.any(inputs.data != self.mask_value, axis=-1)  # (B, T)

    def call(self, inputs):
        keep = self._keep(inputs)[..., None]  # (B, T, 1)
        return inputs * Tensor(keep, dtype=inputs.dtype)

    def compute_mask(self, inputs, mask=None):
        return Tensor(self._keep(inputs))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
