"""`Conv1DTranspose` and `DepthwiseConv1D`: the 1-D forms of Conv2DTranspose and
DepthwiseConv2D on (batch, steps, channels) sequences, with Keras' weight layouts.

Conv1DTranspose kernel: (k, filters, in); DepthwiseConv1D kernel: (k, in, depth_multiplier).
The computation is `dlpath.engine.conv1d_variants` (the 2-D fused primitives on height 1).
"""

from __future__ import annotations

from dlpath.engine import conv
from dlpath.engine.conv1d_variants import conv1d_transpose, depthwise_conv1d
from dlpath.layers import arguments
from dlpath.layers.convolutional import BaseConv, DepthwiseConv2D


class Conv1DTranspose(BaseConv):
    """Transposed 1-D convolution: the adjoint of a Conv1D, mapping its output length back
    to its input length (upsampling a sequence by ``strides``), K of shape (k, filters, in):

        y[n, t s + p d, o] += x[n, t, c] K[p, o, c],  then cropped to Keras' length, + b[o]

    Output length (k' = (k - 1) d + 1): 'valid' T s + max(k' - s, 0); 'same' T s; with
    ``output_padding`` a: (T - 1) s + k' - 2 pad + a (pad = k' // 2 for 'same', else 0).
    """

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = arguments.int_tuple(output_padding, 1, "output_padding",
                                                      "Conv1DTranspose", minimum=0)
            if not self.output_padding[0] < self.strides[0]:
                raise arguments.InvalidArgumentError(
                    f"Conv1DTranspose: output_padding must be a non-negative int smaller "
                    f"than strides {self.strides[0]}, got {output_padding!r}")

    def kernel_shape(self, in_channels: int) -> tuple:
        return self.kernel_size + (self.filters, in_channels)

    def convolve(self, inputs):
        extra = None if self.output_padding is None else self.output_padding[0]
        return conv1d_transpose(inputs, self.kernel, self.bias, self.strides[0],
                                self.padding, extra, self.dilation_rate[0])  # (N, T', filters)

    def spatial_output(self, size, axis: int):
        if size is None:
            return None
        a = None if self.output_padding is None else self.output_padding[0]
        return conv.transpose_output_size(size, self.kernel_size[0], self.strides[0],
                                          self.dilation_rate[0], self.padding, a)[0]

    def get_config(self):
        return {**super().get_config(), "output_padding": self.output_padding}


class DepthwiseConv1D(DepthwiseConv2D):
    """Depthwise 1-D convolution: each input channel c gets its own ``depth_multiplier`` m
    filters, output channel c m + k, kernel (k, in, m):

        y[n, t, c m + k] = b[c m + k] + sum_p x_pad[n, t s + p d, c] K[p, c, k]
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        self.depth_multiplier = arguments.positive_int(depth_multiplier, "depth_multiplier",
                                                       "DepthwiseConv1D")
        BaseConv.__init__(self, None, kernel_size, strides, padding, data_format,
                          dilation_rate, activation=activation, use_bias=use_bias,
                          kernel_initializer=depthwise_initializer,
                          bias_initializer=bias_initializer,
                          kernel_regularizer=depthwise_regularizer,
                          bias_regularizer=bias_regularizer,
                          activity_regularizer=activity_regularizer,
                          kernel_constraint=depthwise_constraint,
                          bias_constraint=bias_constraint, **kwargs)

    def convolve(self, inputs):
        return depthwise_conv1d(inputs, self.kernel, self.bias, self.strides[0], self.padding,
                                self.dilation_rate[0])  # (N, T', in m)


# Keras' long name.
Convolution1DTranspose = Conv1DTranspose
