"""`Identity`: y = x, a placeholder layer (Keras 3 ``keras.layers.Identity``)."""

from __future__ import annotations

from dlpath.layers.layer import Layer


class Identity(Layer):
    """y = x for any input (a Tensor, or a list or dict of them), its mask passed on.

    Useful where an architecture needs a layer but the computation is nothing (a skipped
    block, the head of a feature extractor). No weights.
    """

    supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
