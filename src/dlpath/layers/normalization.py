"""`BatchNormalization` and `LayerNormalization`: normalize, then scale by gamma, shift by beta.

Both compute y = gamma (x - mu) / sqrt(var + eps) + beta; they differ in which axes the
statistics mu and var are taken over (see `dlpath.engine.normalization`).
"""

from __future__ import annotations

import numpy as np

from dlpath import constraints, initializers, regularizers
from dlpath.engine import Tensor, no_grad, ops
from dlpath.engine.normalization import batch_norm, layer_norm
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer


def drop_unset_keras_arguments(owner: str, kwargs: dict, names) -> None:
    """Accept Keras arguments dlpath does not implement (constraints, tf.keras 2's
    ``renorm`` options) when they are unset, as in saved configs, and refuse a set one.
    Speed hints (``fused``, ``flash_attention``) are accepted with any value."""
    for name in names:
        value = kwargs.pop(name, None)
        if name in ("fused", "flash_attention") or value in (None, False):
            continue
        raise ValueError(f"{owner}: the argument {name}={value!r} is not supported")


def _axes_tuple(axis) -> tuple:
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return (int(axis),)


def _resolve_axes(layer: Layer, axes: tuple, input_shape) -> tuple:
    """``axes`` as non-negative axes of ``input_shape``, or a ValueError naming the layer."""
    rank = len(input_shape)
    for axis in axes:
        if not -rank <= axis < rank:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}): axis {axis} is "
                             f"out of range for an input of shape {tuple(input_shape)}")
    resolved = tuple(sorted(axis % rank for axis in axes))
    if 0 in resolved and isinstance(layer, BatchNormalization):
        raise ValueError(f"Layer '{layer.name}' (BatchNormalization): axis 0 is the batch "
                         f"axis and cannot be the feature axis (input shape "
                         f"{tuple(input_shape)})")
    return resolved


class BatchNormalization(Layer):
    """Batch normalization (Ioffe & Szegedy 2015), Keras semantics.

    Training (``training=True`` and the layer trainable): normalize with the batch's mean
    and biased variance over every axis but ``axis``, and update the non-trainable moving
    statistics

        moving_mean     <- moving_mean * momentum + mean_batch * (1 - momentum)
        moving_variance <- moving_variance * momentum + var_batch * (1 - momentum)

    (``var_batch`` is the biased variance, as Keras' ``ops.moments``; PyTorch's
    ``running_var`` uses the unbiased one, and its momentum is 1 - this one.)
    Inference, or a frozen layer (``trainable=False``, as Keras since TF 2.0): normalize with
    the moving statistics, y = gamma (x - moving_mean) / sqrt(moving_variance + eps) + beta.

    A mask of shape ``inputs.shape[:-1]`` (from ``Embedding(mask_zero=True)``) leaves the
    masked steps out of the batch statistics, as in Keras 3.

    Weights: ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance``, each of
    shape ``(input_shape[axis],)``.
    """

    supports_masking = True

    def __init__(self, axis=-1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros",
                 moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 synchronized: bool = False, **kwargs):
        drop_unset_keras_arguments("BatchNormalization", kwargs, (
            "fused", "renorm", "renorm_clipping",
            "renorm_momentum", "virtual_batch_size", "adjustment"))
        super().__init__(**kwargs)
        self.axis = arguments.axes(axis, "axis", "BatchNormalization")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        if not 0.0 <= self.momentum <= 1.0:
            raise ValueError(f"BatchNormalization: momentum must be in [0, 1], got {momentum}")
        if self.epsilon <= 0:
            raise ValueError(f"BatchNormalization: epsilon must be > 0, got {epsilon}")
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = bool(synchronized)  # one process: nothing to synchronize
        self.gamma = self.beta = None

    def build(self, input_shape):
        axes = _resolve_axes(self, _axes_tuple(self.axis), input_shape)
        self._feature_axes = axes
        self._reduction_axes = tuple(a for a in range(len(input_shape)) if a not in axes)
        shape = tuple(input_shape[a] for a in axes)
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", shape, self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.moving_mean = self.add_weight("moving_mean", shape, self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape,
                                               self.moving_variance_initializer,
                                               trainable=False)
        self._broadcast_shape = tuple(n if a in axes else 1 for a, n in enumerate(input_shape))
        self.input_spec = InputSpec(ndim=len(input_shape),
                                    axes={a: input_shape[a] for a in axes})

    def _expected_shape_hint(self) -> str:
        return " (the feature axis is `axis`; NHWC images put channels last)"

    def call(self, inputs, training=False, mask=None):
        if mask is not None:
            mask = getattr(mask, "data", mask)
            if np.ndim(mask) != inputs.ndim - 1:
                raise ValueError(
                    f"Layer '{self.name}' (BatchNormalization): the mask must have one "
                    f"dimension less than the inputs, got mask shape {np.shape(mask)} and "
                    f"input shape {inputs.shape}")
        if training and self.trainable:
            weights = None if mask is None else np.expand_dims(np.asarray(mask), -1)
            outputs, mean, variance = batch_norm(inputs, self.gamma, self.beta,
                                                 self._reduction_axes, self.epsilon,
                                                 mask=weights)
            self._update_moving(mean, variance)
            return outputs
        return self._normalize_with_moving(inputs)

    def _update_moving(self, mean, variance) -> None:
        """moving <- moving * momentum + batch * (1 - momentum), in place."""
        momentum = np.asarray(self.momentum, self.moving_mean.dtype)
        for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
            moving.data *= momentum
            moving.data += batch.astype(moving.dtype) * (1 - momentum)

    def _normalize_with_moving(self, inputs):
        """y = x s + (beta - moving_mean s),  s = gamma / sqrt(moving_variance + eps)."""
        shape = self._broadcast_shape
        with no_grad():
            inv_std = 1.0 / np.sqrt(self.moving_variance.data + self.epsilon)
        scale = ops.reshape(Tensor(inv_std, dtype=inputs.dtype), shape)
        if self.gamma is not None:
            scale = scale * ops.reshape(self.gamma, shape)
        offset = -(ops.reshape(self.moving_mean, shape) * scale)
        if self.beta is not None:
            offset = offset + ops.reshape(self.beta, shape)
        return inputs * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(
                    self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
                "synchronized": self.synchronized}


class LayerNormalization(Layer):
    """Layer normalization (Ba, Kiros & Hinton 2016), Keras semantics.

    Each sample is normalized over ``axis`` (default the last, the features) with its own
    mean and biased variance: y = gamma (x - mu) / sqrt(var + eps) + beta. The same in
    training and inference. Weights ``gamma`` and ``beta`` have the shape of the normalized
    axes.
    """

    supports_masking = True

    def __init__(self, axis=-1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        drop_unset_keras_arguments("LayerNormalization", kwargs, ("rms_scaling",))
        super().__init__(**kwargs)
        self.axis = arguments.axes(axis, "axis", "LayerNormalization")
        self.epsilon = float(epsilon)
        if self.epsilon <= 0:
            raise ValueError(f"LayerNormalization: epsilon must be > 0, got {epsilon}")
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def build(self, input_shape):
        axes = _resolve_axes(self, _axes_tuple(self.axis), input_shape)
        self._norm_axes = axes
        shape = tuple(input_shape[a] for a in axes)
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", shape, self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.input_spec = InputSpec(ndim=len(input_shape),
                                    axes={a: input_shape[a] for a in axes})

    def call(self, inputs):
        return layer_norm(inputs, self.gamma, self.beta, self._norm_axes, self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint)}
