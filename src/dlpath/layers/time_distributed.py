"""`TimeDistributed`: apply one layer to every time step of a sequence."""

from __future__ import annotations

from dlpath.engine import ops
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.recurrent.rnn import deserialize_layer, serialize_layer


class TimeDistributed(Layer):
    """y[:, t] = layer(x[:, t]) for every step t of (batch, time, ...) inputs, with the
    same weights at every step.

    Computed in one call: (B, T, ...) is reshaped to (B T, ...), the layer runs on that
    batch of steps, and its output is reshaped back to (B, T, ...). A mask of the input
    (batch, time) is passed on.
    """

    supports_masking = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise TypeError(f"TimeDistributed: layer must be a Layer instance, got "
                            f"{layer!r:.80} ({type(layer).__name__})")
        super().__init__(**kwargs)
        self.layer = layer
        self.input_spec = InputSpec(min_ndim=3)

    def build(self, input_shape):
        if input_shape[1] is None:
            raise ValueError(f"Layer '{self.name}' (TimeDistributed): the time axis must have "
                             f"a known size, got inputs of shape {tuple(input_shape)}")

    def call(self, inputs, training=False):
        batch, steps = inputs.shape[:2]
        flat = ops.reshape(inputs, (batch * steps,) + inputs.shape[2:])  # (B T, ...)
        outputs = self.layer(flat, training=training)
        if not hasattr(outputs, "shape") or isinstance(outputs, (list, tuple)):
            raise ValueError(f"Layer '{self.name}' (TimeDistributed): the wrapped layer must "
                             f"return one tensor, got {type(outputs).__name__}")
        return ops.reshape(outputs, (batch, steps) + outputs.shape[1:])  # (B, T, ...)

    def compute_mask(self, inputs, mask=None):
        return mask[0] if isinstance(mask, (list, tuple)) else mask

    def compute_output_shape(self, input_shape):
        inner = getattr(self.layer, "compute_output_shape", None)
        if inner is None:
            return None
        shape = inner((None,) + tuple(input_shape[2:]))
        return (input_shape[0], input_shape[1]) + tuple(shape[1:])

    def get_config(self):
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"])
        return cls(**config)
