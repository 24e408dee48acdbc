"""`SpatialDropout3D` and `AlphaDropout`: noise that acts only while training.

Both are the identity at inference; their draws come from `dlpath.random` (their own
generator when given a ``seed``), as the other noise layers.
"""

from __future__ import annotations

from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.core import Dropout
from dlpath.layers.layer import InputSpec, Layer
from dlpath.random import generator

# The SELU constants (Klambauer et al. 2017): selu(x) = scale (x if x > 0 else alpha (e^x - 1)).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class SpatialDropout3D(Dropout):
    """Dropout of whole channels of (batch, depth, height, width, channels) volumes: one
    Bernoulli draw per (sample, channel), shared by every voxel:
    y = x m / (1 - rate), m of shape (N, 1, 1, 1, C)."""

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = arguments.data_format(data_format, "SpatialDropout3D")
        self.input_spec = InputSpec(ndim=5)

    def _expected_shape_hint(self) -> str:
        return "; SpatialDropout3D takes (batch, depth, height, width, channels) inputs"

    def call(self, inputs, training=False):
        self.noise_shape = (inputs.shape[0], 1, 1, 1, inputs.shape[4])
        return super().call(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return {**config, "data_format": self.data_format}


class AlphaDropout(Layer):
    """Alpha dropout (Klambauer et al. 2017, "Self-Normalizing Neural Networks"), which keeps
    the mean and variance of SELU activations while training.

    With alpha' = -scale alpha (SELU's negative saturation value), keep mask
    m_i ~ Bernoulli(1 - rate) and

        a = ((1 - rate) (1 + rate alpha'^2))^(-1/2),   b = -a alpha' rate,
        y = a (x m + alpha' (1 - m)) + b

    so dy/dx = a m. At inference (or rate 0) y = x.
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = arguments.rate(rate, "rate", "AlphaDropout")
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = inputs.shape
        if self.noise_shape is not None:
            if len(self.noise_shape) != inputs.ndim:
                raise ValueError(f"Layer '{self.name}' (AlphaDropout): noise_shape "
                                 f"{self.noise_shape} must have one entry per axis of the "
                                 f"input, got an input of shape {inputs.shape}")
            shape = tuple(s if n is None else n for s, n in zip(inputs.shape, self.noise_shape))
        keep = ((self._generator or generator()).random(shape) >= self.rate)
        alpha_p = -SELU_ALPHA * SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        gain = Tensor(a * keep, dtype=inputs.dtype)  # (shape broadcasting to the input)
        offset = Tensor(a * alpha_p * (1 - keep) + b, dtype=inputs.dtype)
        return inputs * gain + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}
