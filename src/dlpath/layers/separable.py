"""Depthwise separable convolutions (Chollet 2017, "Xception"): SeparableConv1D/2D.

A depthwise convolution filters each input channel on its own with ``depth_multiplier``
kernels, then a pointwise (1 x 1) convolution mixes the C m resulting channels:

    z = depthwise_conv(x, D)          D: (kh, kw, C, m)          z: (N, Ho, Wo, C m)
    y = activation(z P + b)           P: (1, 1, C m, filters)    y: (N, Ho, Wo, filters)

Strides, padding and dilation apply to the depthwise step; the pointwise step is a matrix
product over the channel axis. Weights follow Keras: ``depthwise_kernel``,
``pointwise_kernel``, ``bias`` (SeparableConv1D: (k, C, m), (1, C m, filters), (filters,)).
"""

from __future__ import annotations

from dlpath import constraints, initializers, regularizers
from dlpath.engine import conv, ops
from dlpath.layers import arguments
from dlpath.layers.convolutional import BaseConv
from dlpath.layers.layer import InputSpec


class SeparableConv(BaseConv):
    """What SeparableConv1D and SeparableConv2D share; subclasses set ``rank`` and
    ``depthwise``, the depthwise step."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        kind = type(self).__name__
        self.depth_multiplier = arguments.positive_int(depth_multiplier, "depth_multiplier",
                                                       kind)
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the channel axis "
                             f"of the input must be known, got shape {tuple(input_shape)}")
        mixed = channels * self.depth_multiplier
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", self.kernel_size + (channels, self.depth_multiplier),
            self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", (1,) * self.rank + (mixed, self.filters),
            self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = (self.add_weight("bias", (self.filters,), self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: channels})

    def depthwise(self, inputs):  # pragma: no cover - always overridden
        raise NotImplementedError

    def convolve(self, inputs):
        z = self.depthwise(inputs)  # (N, *spatial', C m)
        mixed, filters = self.pointwise_kernel.shape[-2:]
        y = ops.matmul(z, ops.reshape(self.pointwise_kernel, (mixed, filters)))  # z P
        return y if self.bias is None else y + self.bias

    def get_config(self):
        config = super().get_config()
        config.pop("groups")
        config["depth_multiplier"] = self.depth_multiplier
        config["depthwise_initializer"] = config.pop("kernel_initializer")
        config["depthwise_regularizer"] = config.pop("kernel_regularizer")
        config["pointwise_initializer"] = initializers.serialize(self.pointwise_initializer)
        config["pointwise_regularizer"] = regularizers.serialize(self.pointwise_regularizer)
        config["depthwise_constraint"] = config.pop("kernel_constraint")
        config["pointwise_constraint"] = constraints.serialize(self.pointwise_constraint)
        return config


class SeparableConv2D(SeparableConv):
    """Depthwise separable 2-D convolution of (batch, height, width, channels) images:

    y[n, i, j, o] = b[o] + sum_{c, k} P[0, 0, c m + k, o]
                    sum_{p, q} x_pad[n, i s_h + p d_h, j s_w + q d_w, c] D[p, q, c, k]
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), depth_multiplier=1, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, **kwargs)

    def depthwise(self, inputs):
        return conv.depthwise_conv2d(inputs, self.depthwise_kernel, None, self.strides,
                                     self.padding, self.dilation_rate)  # (N, Ho, Wo, C m)


class SeparableConv1D(SeparableConv):
    """Depthwise separable 1-D convolution of (batch, steps, channels) sequences, run as a
    SeparableConv2D of height 1; ``padding='causal'`` pads (k - 1) d steps on the left."""

    rank = 1
    paddings = ("valid", "same", "causal")

    def depthwise(self, inputs):
        n, steps, channels = inputs.shape
        k, d = self.kernel_size[0], self.dilation_rate[0]
        padding = ((0, 0), ((k - 1) * d, 0)) if self.padding == "causal" else self.padding
        image = ops.reshape(inputs, (n, 1, steps, channels))  # (N, 1, T, C)
        kernel = ops.reshape(self.depthwise_kernel, (1,) + self.depthwise_kernel.shape)
        z = conv.depthwise_conv2d(image, kernel, None, (1, self.strides[0]), padding,
                                  (1, d))  # (N, 1, T', C m)
        return ops.reshape(z, (n, z.shape[2], z.shape[3]))


# Keras' long names.
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
