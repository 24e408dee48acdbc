"""Activation layers with parameters: LeakyReLU, ELU, PReLU, ReLU, Softmax, ThresholdedReLU.

Each is an element-wise function of its input (Softmax: along ``axis``); PReLU alone has a
weight. All pass masks through, as Keras' do.
"""

from __future__ import annotations

import numpy as np

from dlpath import constraints, initializers, regularizers
from dlpath.engine import Tensor, activations, ops
from dlpath.layers import arguments
from dlpath.layers.layer import Layer


def _number(value, name: str, owner: str, minimum: float | None = 0.0) -> float:
    """``value`` as a float (>= ``minimum`` unless it is None)."""
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(
            value, (bool, np.bool_)):
        raise arguments.ArgumentTypeError(
            f"{owner}: {name} must be a number, got {arguments.describe(value)}")
    if minimum is not None and value < minimum:
        raise arguments.InvalidArgumentError(
            f"{owner}: {name} must be >= {minimum}, got {arguments.describe(value)}")
    return float(value)


class ElementwiseActivation(Layer):
    """Base: a shape-preserving layer that passes its input's mask through."""

    supports_masking = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class LeakyReLU(ElementwiseActivation):
    """y = x if x > 0 else s x, with s = ``negative_slope`` (Keras 3; tf.keras 2 calls it
    ``alpha``; both are accepted, default 0.3) (Maas et al. 2013)."""

    def __init__(self, negative_slope=None, alpha=None, **kwargs):
        super().__init__(**kwargs)
        if negative_slope is not None and alpha is not None and negative_slope != alpha:
            raise arguments.InvalidArgumentError(
                f"LeakyReLU: give negative_slope or its tf.keras 2 name alpha, not both "
                f"(got {negative_slope!r} and {alpha!r})")
        slope = 0.3 if negative_slope is None and alpha is None else (
            alpha if negative_slope is None else negative_slope)
        self.negative_slope = _number(slope, "negative_slope", "LeakyReLU")

    @property
    def alpha(self) -> float:
        return self.negative_slope

    def call(self, inputs):
        return activations.leaky_relu(inputs, self.negative_slope)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(ElementwiseActivation):
    """y = x if x > 0 else alpha (e^x - 1)  (Clevert et al. 2015)."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = _number(alpha, "alpha", "ELU", minimum=None)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class ReLU(ElementwiseActivation):
    """Keras' general rectifier, with m = ``max_value``, s = ``negative_slope``,
    t = ``threshold``:

        y = m             if x >= m
        y = x             if t <= x < m
        y = s (x - t)     otherwise

    With the defaults (m = None, s = 0, t = 0) it is max(x, 0).
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = None if max_value is None else _number(max_value, "max_value",
                                                                "ReLU")
        self.negative_slope = _number(negative_slope, "negative_slope", "ReLU")
        self.threshold = _number(threshold, "threshold", "ReLU")

    def call(self, inputs):
        if self.threshold == 0 and self.negative_slope == 0:
            y = activations.relu(inputs)
        else:
            above = Tensor(inputs.data >= self.threshold)
            y = ops.where(above, inputs, (inputs - self.threshold) * self.negative_slope)
        if self.max_value is not None:
            y = ops.minimum(y, Tensor(np.asarray(self.max_value, inputs.dtype)))
        return y

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ThresholdedReLU(ElementwiseActivation):
    """y = x if x > theta else 0  (tf.keras 2; Konda et al. 2014)."""

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = _number(theta, "theta", "ThresholdedReLU")

    def call(self, inputs):
        above = Tensor(inputs.data > self.theta)  # no gradient through the step itself
        return ops.where(above, inputs, Tensor(np.zeros((), inputs.dtype)))

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}


class Softmax(ElementwiseActivation):
    """y_i = e^(x_i) / sum_j e^(x_j) along ``axis`` (an int or a tuple of ints).

    With a mask (True = keep), masked entries get a large negative logit first, so their
    probability is ~0, as Keras does.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(arguments.is_int(a) for a in axis):
            self.axis = tuple(int(a) for a in axis)
        elif arguments.is_int(axis):
            self.axis = int(axis)
        else:
            raise arguments.ArgumentTypeError(
                f"Softmax: axis must be an int or a tuple of ints, got "
                f"{arguments.describe(axis)}")

    def call(self, inputs, mask=None):
        if mask is not None:
            keep = np.asarray(mask.data if isinstance(mask, Tensor) else mask).astype(bool)
            inputs = ops.where(Tensor(keep), inputs, Tensor(np.asarray(-1e9, inputs.dtype)))
        if isinstance(self.axis, int):
            return activations.softmax(inputs, self.axis)
        # Several axes: e^(x - max) / sum e^(x - max), from primitives.
        shifted = ops.exp(inputs - ops.max(inputs, self.axis, keepdims=True).detach())
        return shifted / ops.sum(shifted, self.axis, keepdims=True)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class PReLU(ElementwiseActivation):
    """y = x if x > 0 else alpha x, with a learned ``alpha`` per input unit (He et al. 2015).

    ``alpha`` has the shape of one sample; ``shared_axes`` (counted from 1, the axis after
    the batch) share one alpha along those axes, e.g. ``shared_axes=[1, 2]`` for one alpha
    per channel of an image. Computed as y = max(x, 0) + alpha min(x, 0).
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_constraint = constraints.get(alpha_constraint)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            self.shared_axes = tuple(arguments.positive_int(a, "shared_axes", "PReLU")
                                     for a in axes)

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if axis > len(shape):
                raise ValueError(f"Layer '{self.name}' (PReLU): shared_axes {self.shared_axes} "
                                 f"must name axes 1..{len(shape)} of inputs of shape "
                                 f"{tuple(input_shape)}")
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(f"Layer '{self.name}' (PReLU): every non-shared axis must have a "
                             f"known size, got inputs of shape {tuple(input_shape)}")
        self.alpha = self.add_weight("alpha", tuple(shape), self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)

    def call(self, inputs):
        zero = Tensor(np.zeros((), inputs.dtype))
        return ops.maximum(inputs, zero) + self.alpha * ops.minimum(inputs, zero)

    def get_config(self):
        return {**super().get_config(),
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes}
