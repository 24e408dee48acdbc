"""`Conv3DTranspose`: transposed convolution of (batch, depth, height, width, channels)
volumes; kernel (kd, kh, kw, filters, in) as Keras; computed by the fused primitive of
`dlpath.engine.conv3d_transpose`."""

from __future__ import annotations

from dlpath.engine import conv
from dlpath.engine.conv3d_transpose import conv3d_transpose
from dlpath.layers import arguments
from dlpath.layers.convolutional import BaseConv


class Conv3DTranspose(BaseConv):
    """Transposed 3-D convolution, the adjoint of a Conv3D (upsampling volumes by
    ``strides``): y_full[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w] += x[n, a, i, j]
    K[r, p, q]^T, cropped to Keras' size, + b.

    Output size per axis (k' = (k - 1) d + 1): 'valid' n s + max(k' - s, 0); 'same' n s;
    with ``output_padding`` a: (n - 1) s + k' - 2 pad + a (pad = k' // 2 for 'same').
    """

    rank = 3

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = arguments.int_tuple(output_padding, 3, "output_padding",
                                                      "Conv3DTranspose", minimum=0)
            if not all(a < s for a, s in zip(self.output_padding, self.strides)):
                raise arguments.InvalidArgumentError(
                    f"Conv3DTranspose: output_padding must be 3 non-negative ints smaller "
                    f"than strides {self.strides}, got {output_padding!r}")

    def kernel_shape(self, in_channels: int) -> tuple:
        return self.kernel_size + (self.filters, in_channels)

    def convolve(self, inputs):
        return conv3d_transpose(inputs, self.kernel, self.bias, self.strides, self.padding,
                                self.output_padding, self.dilation_rate)  # (N, D', H', W', O)

    def spatial_output(self, size, axis: int):
        if size is None:
            return None
        a = None if self.output_padding is None else self.output_padding[axis]
        return conv.transpose_output_size(size, self.kernel_size[axis], self.strides[axis],
                                          self.dilation_rate[axis], self.padding, a)[0]

    def _expected_shape_hint(self) -> str:
        return "; Conv3DTranspose takes (batch, depth, height, width, channels) inputs"

    def get_config(self):
        return {**super().get_config(), "output_padding": self.output_padding}


# Keras' long name.
Convolution3DTranspose = Conv3DTranspose
