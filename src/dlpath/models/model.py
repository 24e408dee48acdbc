"""`Model`: layers grouped into one trainable object — functional or subclassed.

- Functional: ``Model(inputs, outputs)`` from ``keras.Input`` placeholders and layer calls.
- Subclassed: a subclass creates layers in ``__init__`` and writes ``call``.
Training (compile/fit/evaluate/predict) comes from `Trainer`.
"""

from __future__ import annotations

from dlpath.layers.input_layer import InputLayer
from dlpath.layers.layer import Layer
from dlpath.models.functional import FunctionalGraph
from dlpath.models.summary import print_summary
from dlpath.models.trainer import Trainer


class Model(Trainer, Layer):
    """A model: ``Model(inputs=..., outputs=...)`` or a subclass with its own ``call``."""

    casts_inputs = False  # each layer casts its own inputs (Embedding keeps integer ids)

    def __init__(self, inputs=None, outputs=None, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        Trainer.__init__(self)
        self._graph = None
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("Model: give both inputs= and outputs= (or subclass Model "
                                 "and write call())")
            self._graph = FunctionalGraph(inputs, outputs)
            self._sublayers = [layer for layer in self._graph.layers]
            self.built = True

    # ------------------------------------------------------------ structure
    @property
    def layers(self) -> list:
        if self._graph is not None:
            return list(self._graph.layers)
        return [layer for layer in self._sublayers if not isinstance(layer, InputLayer)]

    @property
    def inputs(self):
        return self._graph.flat_inputs if self._graph is not None else None

    @property
    def outputs(self):
        return self._graph.flat_outputs if self._graph is not None else None

    @property
    def input(self):
        """The input placeholder (a list for several inputs), as tf.keras gives."""
        return _single_or_list(self, self.inputs, "input")

    @property
    def output(self):
        """The output placeholder (a list for several outputs), as tf.keras gives."""
        return _single_or_list(self, self.outputs, "output")

    @property
    def input_shape(self):
        """The input's shape with None for the batch axis, e.g. ``(None, 28, 28, 1)``; a
        list of shapes for a model with several inputs (tf.keras)."""
        return _placeholder_shapes(self, self.inputs, "input")

    @property
    def output_shape(self):
        """The output's shape, e.g. ``(None, 10)``; a list for several outputs."""
        return _placeholder_shapes(self, self.outputs, "output")

    @property
    def output_names(self) -> list:
        """Names of the outputs, for per-output losses and metrics: the output layers'
        names (a dict of outputs: its keys), or "output" for a subclassed model."""
        if self._graph is not None:
            if isinstance(self._graph.outputs, dict):
                return [str(key) for key in self._graph.outputs]
            return [t.node.layer.name for t in self._graph.flat_outputs]
        return ["output"]

    def get_layer(self, name=None, index=None) -> Layer:
        """A layer by name or by index in ``layers``."""
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(f"get_layer: index {index} is out of range for "
                                 f"{len(self.layers)} layers")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}")

    def call(self, inputs, training=False):
        if self._graph is None:
            raise NotImplementedError(f"{type(self).__name__}: a subclassed Model must "
                                      f"implement call(inputs, training=False)")
        return self._graph.run(inputs, training=training)

    def reset_states(self) -> None:
        """Zero the states of every stateful layer (stateful RNNs), as between epochs."""
        for layer in self._all_layers():
            if layer is not self and getattr(layer, "stateful", False) and hasattr(
                    layer, "reset_states"):
                layer.reset_states()

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs) -> None:
        """Print the layers, their output shapes and parameter counts, as Keras does."""
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    # ------------------------------------------------------------ saving
    def save(self, filepath, overwrite: bool = True, **kwargs) -> None:
        """Save architecture, weights, compile settings and optimizer state (no pickle)."""
        from dlpath.saving import save_model

        save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        from dlpath.saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch: bool = False) -> None:
        from dlpath.saving import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def export(self, filepath, format: str = "onnx", verbose=None, input_signature=None,
               opset=None, **kwargs):
        """Export for inference, as Keras 3's ``model.export(path, format="onnx")``; ONNX
        is the one format (`dlpath.export.to_onnx`). Returns the path written."""
        from dlpath.export import export_model

        return export_model(self, filepath, format, verbose, input_signature, opset, **kwargs)

    def to_json(self, **kwargs) -> str:
        """The architecture as a JSON string (`dlpath.models.json_io`); no weights."""
        from dlpath.models.json_io import model_to_json

        return model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs):
        """Removed in tf.keras 2 for security: raises RuntimeError (use `to_json`)."""
        from dlpath.models.json_io import model_to_yaml

        return model_to_yaml(self, **kwargs)

    def get_config(self) -> dict:
        """A functional model's layers and graph; a subclass writes its own."""
        if self._graph is None:
            return {"name": self.name, "trainable": self.trainable}
        from dlpath.saving.serialize import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        if "layers" not in config:
            return cls(**config)
        from dlpath.saving.serialize import functional_from_config

        return functional_from_config(config, custom_objects, "Model.from_config")



def _single_or_list(model, placeholders, kind: str):
    if placeholders is None:
        raise AttributeError(f"Model '{model.name}' has no {kind} yet: it is known once the "
                             f"model is built (start it with keras.Input(shape=...), or call "
                             f"or fit it once)")
    return placeholders[0] if len(placeholders) == 1 else list(placeholders)


def _placeholder_shapes(model, placeholders, kind: str):
    value = _single_or_list(model, placeholders, kind)
    return [tuple(p.shape) for p in value] if isinstance(value, list) else tuple(value.shape)
