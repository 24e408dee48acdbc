"""Conv3D: convolution of (batch, depth, height, width, channels) volumes (channels_last).

The kernel follows Keras, (kd, kh, kw, in, filters); the computation is the fused im2col
primitive of `dlpath.engine.conv3d` (one matrix product per convolution).
"""

from __future__ import annotations

from dlpath.engine import conv3d
from dlpath.layers.convolutional import BaseConv


class Conv3D(BaseConv):
    """3-D convolution: y = activation(conv3d(x, K) + b), K of shape (kd, kh, kw, in, filters).

    y[n, a, i, j, o] = b[o] + sum_{r, p, q, c}
                       x_pad[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w, c] K[r, p, q, c, o]
    (Ji et al. 2013, "3D Convolutional Neural Networks for Human Action Recognition").
    """

    rank = 3

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         **kwargs)

    def convolve(self, inputs):
        return conv3d.conv3d(inputs, self.kernel, self.bias, self.strides, self.padding,
                             self.dilation_rate)  # (N, Do, Ho, Wo, filters)

    def _expected_shape_hint(self) -> str:
        return "; Conv3D takes (batch, depth, height, width, channels) inputs"


# Keras' long name.
Convolution3D = Conv3D
