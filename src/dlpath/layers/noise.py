"""Noise and regularization layers: SpatialDropout1D/2D, GaussianNoise, GaussianDropout,
ActivityRegularization.

The noise layers change their input only while training (at inference they are the
identity); their random draws come from `dlpath.random` (their own generator when given a
``seed``), so `dlpath.random.set_seed` makes them reproducible.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath import regularizers
from dlpath.engine import Tensor
from dlpath.layers import arguments
from dlpath.layers.core import Dropout
from dlpath.layers.layer import InputSpec, Layer
from dlpath.random import generator


class SpatialDropout1D(Dropout):
    """Dropout of whole feature maps of (batch, steps, channels): one Bernoulli draw per
    (sample, channel), shared by every step (Tompson et al. 2015)."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs, training=False):
        self.noise_shape = (inputs.shape[0], 1, inputs.shape[2])
        return super().call(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return config


class SpatialDropout2D(Dropout):
    """Dropout of whole channels of NHWC images: one draw per (sample, channel)."""

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = arguments.data_format(data_format, "SpatialDropout2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs, training=False):
        self.noise_shape = (inputs.shape[0], 1, 1, inputs.shape[3])
        return super().call(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        return {**config, "data_format": self.data_format}


class _Noise(Layer):
    """Base: a seed of its own or the shared generator; identity at inference."""

    supports_masking = True

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None

    def _rng(self):
        return self._generator or generator()

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class GaussianNoise(_Noise):
    """y = x + n with n ~ N(0, stddev^2), only while training (a regularizer, and data
    augmentation for real-valued inputs)."""

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.stddev = _non_negative(stddev, "stddev", "GaussianNoise")

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = self._rng().standard_normal(inputs.shape) * self.stddev
        return inputs + Tensor(noise, dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(_Noise):
    """y = x m with m ~ N(1, rate / (1 - rate)), only while training: multiplicative
    noise with the mean and variance of inverted dropout at ``rate`` (Srivastava 2014)."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.rate = arguments.rate(rate, "rate", "GaussianDropout")

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = 1.0 + self._rng().standard_normal(inputs.shape) * stddev
        return inputs * Tensor(noise, dtype=inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class ActivityRegularization(Layer):
    """y = x, and adds l1 sum |x| + l2 sum x^2 to ``layer.losses`` on every call (which the
    training loop adds to the loss), as Keras 3 does."""

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(**kwargs)
        self.l1 = _non_negative(l1, "l1", "ActivityRegularization")
        self.l2 = _non_negative(l2, "l2", "ActivityRegularization")
        self._regularizer = regularizers.L1L2(l1=self.l1, l2=self.l2)

    def call(self, inputs):
        if self.l1 or self.l2:
            self._activity_losses.append(self._regularizer(inputs))
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}


def _non_negative(value, name: str, owner: str) -> float:
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(
            value, (bool, np.bool_)):
        raise arguments.ArgumentTypeError(
            f"{owner}: {name} must be a number >= 0, got {arguments.describe(value)}")
    if not value >= 0:
        raise arguments.InvalidArgumentError(
            f"{owner}: {name} must be a number >= 0, got {arguments.describe(value)}")
    return float(value)
