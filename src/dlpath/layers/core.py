"""Shape-only and element-wise layers: Activation, Dropout, Flatten, Reshape, Permute."""

from __future__ import annotations

import numpy as np

from dlpath import activations
from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer
from dlpath.random import generator


class Activation(Layer):
    """y = activation(x), e.g. ``Activation('relu')``."""

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """Inverted dropout (Srivastava et al. 2014), only while training.

    y = x * m / (1 - rate) with m_i ~ Bernoulli(1 - rate), so E[y] = x and inference is
    the identity.
    """

    supports_masking = True

    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = arguments.rate(rate, "rate", type(self).__name__)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = inputs.shape
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for s, n in zip(inputs.shape, self.noise_shape))
        rng = self._generator or generator()
        keep = rng.random(shape, dtype=np.float32) >= self.rate
        scale = np.asarray(1 / (1 - self.rate), dtype=inputs.dtype)
        return inputs * Tensor(keep * scale, dtype=inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Flatten(Layer):
    """(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = arguments.data_format(data_format, "Flatten")
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(s is None for s in rest) else int(np.prod(rest))
        return (input_shape[0], size)


class Reshape(Layer):
    """(batch, ...) -> (batch, *target_shape); one entry of target_shape may be -1."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = _target_shape(target_shape)

    def call(self, inputs):
        try:
            return ops.reshape(inputs, (inputs.shape[0],) + self.target_shape)
        except ValueError:
            raise ValueError(
                f"Layer '{self.name}' (Reshape): cannot reshape an input of shape "
                f"{inputs.shape} to (batch,) + {self.target_shape}"
            ) from None

    def compute_output_shape(self, input_shape):
        target = list(self.target_shape)
        if -1 in target and None not in input_shape[1:]:
            known = int(np.prod([t for t in target if t != -1]))
            target[target.index(-1)] = int(np.prod(input_shape[1:])) // known
        return (input_shape[0],) + tuple(target)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


def _target_shape(target_shape) -> tuple:
    """Reshape's ``target_shape``: positive ints, and at most one -1 for "the rest"."""
    accepted = "a tuple of positive ints with at most one -1"
    if not isinstance(target_shape, (tuple, list)) or not all(
            arguments.is_int(s) for s in target_shape):
        raise arguments.ArgumentTypeError(
            f"Reshape: target_shape must be {accepted}, got {arguments.describe(target_shape)}")
    shape = tuple(int(s) for s in target_shape)
    if any(s == 0 or s < -1 for s in shape) or shape.count(-1) > 1:
        raise arguments.InvalidArgumentError(
            f"Reshape: target_shape must be {accepted}, got {shape}")
    return shape


class Permute(Layer):
    """Permute the non-batch axes; ``dims`` counts from 1, as in Keras."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(dims, (list, tuple)) or not dims or not all(
                arguments.is_int(d) for d in dims):
            raise arguments.ArgumentTypeError(
                f"Permute: dims must be a tuple of ints, a permutation of 1..n counting the "
                f"non-batch axes from 1, got {arguments.describe(dims)}")
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise arguments.InvalidArgumentError(
                f"Permute: dims must be a permutation of 1..{len(self.dims)}, "
                f"got {self.dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
