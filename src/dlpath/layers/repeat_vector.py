"""`RepeatVector`: (batch, features) -> (batch, n, features)."""

from __future__ import annotations

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer


class RepeatVector(Layer):
    """y[:, t] = x for t = 0..n-1: the input repeated ``n`` times along a new time axis
    (a broadcast, so the gradient is the sum over t)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = arguments.positive_int(n, "n", "RepeatVector")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        batch, features = inputs.shape
        column = ops.reshape(inputs, (batch, 1, features))  # (B, 1, F)
        return ops.broadcast_to(column, (batch, self.n, features))  # (B, n, F)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
