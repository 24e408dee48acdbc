from dlpath import keras


class ScaledDense(keras.layers.Layer):
    """y = activation((x W + b) * s): a Dense layer with a learned scale s per unit.

    Weights, created in build(input_shape) with self.add_weight (so the layer tracks and
    trains them): kernel W (in, units) "glorot_uniform", bias b (units,) "zeros", scale s
    (units,) "ones". x (..., in) -> y (..., units), in the layer's dtype.
    get_config returns what __init__ needs (units, activation) on top of the base config.
    """

    def __init__(self, units, activation=None, **kwargs):
        """Keep units and keras.activations.get(activation); create no weight here."""
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        """Create kernel (input_shape[-1], units), bias (units,), scale (units,)."""
        in_features = input_shape[-1]
        self.kernel = self.add_weight("kernel", (in_features, self.units), "glorot_uniform")
        self.bias = self.add_weight("bias", (self.units,), "zeros")
        self.scale = self.add_weight("scale", (self.units,), "ones")

    def call(self, inputs):
        """activation((inputs @ kernel + bias) * scale), with Tensor operations."""
        z = inputs @ self.kernel + self.bias          # (..., units)
        return self.activation(z * self.scale)

    def get_config(self):
        """The base config plus units and the activation's name (JSON-serialisable)."""
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation)}
