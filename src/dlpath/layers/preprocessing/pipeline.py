"""`Pipeline`: a plain layer applying a list of layers in turn, ``keras.layers.Pipeline``.

Unlike a `Sequential` model it is not a model: it has no compile/fit, only ``call``, and it
passes ``training`` on to every layer, so a pipeline of augmentations is the identity at
inference exactly when each of its layers is.
"""

from __future__ import annotations

from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.recurrent.rnn import deserialize_layer, serialize_layer


class Pipeline(Layer):
    """``layers[-1](... layers[1](layers[0](x)))``, with ``training`` given to each."""

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(
                isinstance(layer, Layer) for layer in layers):
            raise arguments.ArgumentTypeError(
                f"Pipeline: layers must be a list of layers, got {arguments.describe(layers)}")
        self._pipeline_layers = list(layers)

    @property
    def layers(self) -> list:
        return self._pipeline_layers

    def build(self, input_shape) -> None:
        self.built = True  # each layer builds on its first call

    def call(self, inputs, training=False):
        for layer in self._pipeline_layers:
            inputs = layer(inputs, training=training)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["layers"] = [serialize_layer(layer) for layer in self._pipeline_layers]
        return config

    @classmethod
    def from_config(cls, config: dict) -> "Pipeline":
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise arguments.InvalidArgumentError(
                f"Pipeline: the config must have a 'layers' list of serialized layers, got "
                f"{arguments.describe(layers)}")
        config = dict(config)
        config["layers"] = [deserialize_layer(entry) for entry in layers]
        return cls(**config)


__all__ = ["Pipeline"]
