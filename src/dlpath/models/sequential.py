"""`Sequential`: a plain stack of layers, each feeding the next."""

from __future__ import annotations

from dlpath.layers.input_layer import Input, InputLayer, KerasTensor
from dlpath.layers.layer import Layer
from dlpath.models.model import Model


class Sequential(Model):
    """``Sequential([Flatten(input_shape=(28, 28)), Dense(128, 'relu'), Dense(10)])``.

    The model is built (weights created, output shapes known for ``summary``) as soon as
    the input shape is known: from an `Input`, an `InputLayer`, or the tf.keras 2
    ``input_shape=`` of the first layer; otherwise on the first call.
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._stack: list = []
        self._input = None
        self._output = None  # the last layer's placeholder output, once built
        for layer in layers or []:
            self.add(layer)

    def add(self, layer) -> None:
        """Append a layer (or an `Input` placeholder as the first entry)."""
        if isinstance(layer, KerasTensor):
            layer = layer.node.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: expected a Layer, got {type(layer).__name__}: "
                            f"{layer!r:.80}")
        if isinstance(layer, InputLayer):
            if self._stack or self._input is not None:
                raise ValueError("Sequential: an Input/InputLayer must come first")
            self._input = layer.output
            return
        if not self._stack and self._input is None and layer.input_shape_argument is not None:
            self._input = Input(shape=layer.input_shape_argument,
                                batch_size=layer.batch_size_argument)
        self._stack.append(layer)
        self._sublayers.append(layer)
        self._compiled_loss = None
        if self._input is not None:
            self._build_symbolic()

    def pop(self) -> Layer:
        if not self._stack:
            raise ValueError("Sequential.pop: there is no layer to remove")
        layer = self._stack.pop()
        self._sublayers.remove(layer)
        self._output = None
        if self._stack and self._input is not None:
            self._build_symbolic()
        return layer

    def _build_symbolic(self) -> None:
        """Run placeholders through the stack: builds weights and records output shapes."""
        x = self._input
        for layer in self._stack:
            x = layer(x)
        self._output = x
        self.built = True

    def build(self, input_shape=None) -> None:
        if input_shape is not None and self._input is None:
            self._input = Input(shape=tuple(input_shape)[1:])
        if self._input is None:
            raise ValueError("Sequential.build: the input shape is unknown; pass "
                             "input_shape=(None, ...) or start the model with keras.Input")
        self._build_symbolic()

    @property
    def layers(self) -> list:
        return list(self._stack)

    @property
    def inputs(self):
        """``[placeholder]`` once the input shape is known, as tf.keras gives; else None.
        ``keras.Model(model.inputs, model.layers[-2].output)`` cuts a Sequential model."""
        return [self._input] if self._output is not None else None

    @property
    def outputs(self):
        return [self._output] if self._output is not None else None

    @property
    def output_names(self) -> list:
        return [self._stack[-1].name] if self._stack else ["output"]

    def call(self, inputs, training=False, mask=None):
        if not self._stack:
            raise ValueError("Sequential: the model has no layers; add some first")
        if self._input is None:
            shape = getattr(inputs, "shape", None)
            dtype = getattr(inputs, "dtype", "float32")
            if shape is not None:
                self._input = Input(shape=tuple(shape)[1:], dtype=dtype)
                self._build_symbolic()
        x = inputs
        for layer in self._stack:
            x = layer(x, training=training)
        return x

    def get_config(self) -> dict:
        from dlpath.saving.serialize import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from dlpath.saving.serialize import sequential_from_config

        return sequential_from_config(config, custom_objects, "Sequential.from_config")
