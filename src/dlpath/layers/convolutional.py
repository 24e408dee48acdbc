"""Convolution layers: Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D (channels_last).

Weights follow Keras: a Conv2D kernel is (kh, kw, in, filters), a Conv1D kernel
(k, in, filters), a Conv2DTranspose kernel (kh, kw, filters, in) and a DepthwiseConv2D
kernel (kh, kw, in, depth_multiplier). The computation is the fused im2col primitives of
`dlpath.engine.conv` (one matrix product per convolution).
"""

from __future__ import annotations

from dlpath import activations, constraints, initializers, regularizers
from dlpath.engine import conv
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer


class BaseConv(Layer):
    """What all convolution layers share: configuration, bias, activation, config.

    Subclasses set ``rank`` and write ``kernel_shape(in_channels)``, ``convolve`` and
    ``spatial_output``.
    """

    rank = 2
    paddings = ("valid", "same")
    has_filters = True  # DepthwiseConv2D has a depth_multiplier instead

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        self.filters = (arguments.positive_int(filters, "filters", kind) if self.has_filters
                        else None)
        self.kernel_size = arguments.int_tuple(kernel_size, self.rank, "kernel_size", kind)
        self.strides = arguments.int_tuple(strides, self.rank, "strides", kind)
        self.padding = arguments.choice(padding, "padding", kind, self.paddings)
        self.data_format = arguments.data_format(data_format, kind)
        self.dilation_rate = arguments.int_tuple(dilation_rate, self.rank, "dilation_rate",
                                                 kind)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{kind}: strides > 1 are not supported together with "
                             f"dilation_rate > 1, got strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        if arguments.positive_int(groups, "groups", kind) != 1:
            raise ValueError(f"{kind}: only groups=1 is supported, got groups={groups}")
        self.groups = 1
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    # ----------------------------------------------------------------- weights
    def kernel_shape(self, in_channels: int) -> tuple:
        return self.kernel_size + (in_channels, self.filters)

    def output_channels(self, in_channels: int) -> int:
        return self.filters

    def build(self, input_shape):
        in_channels = input_shape[-1]
        if in_channels is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the channel axis "
                             f"of the input must be known, got shape {tuple(input_shape)}")
        self.kernel = self.add_weight("kernel", self.kernel_shape(in_channels),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = (self.add_weight("bias", (self.output_channels(in_channels),),
                                     self.bias_initializer, regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: in_channels})

    # ----------------------------------------------------------------- computing
    def convolve(self, inputs):  # pragma: no cover - always overridden
        raise NotImplementedError

    @property
    def fuses_relu(self) -> bool:
        """Conv1D/Conv2D apply a ReLU activation inside the convolution op (one pass fewer)."""
        return False

    def call(self, inputs):
        outputs = self.convolve(inputs)
        if not self.fuses_relu:
            outputs = self.activation(outputs)
        if self.activity_regularizer is not None:
            self._activity_losses.append(self.activity_regularizer(outputs))
        return outputs

    def spatial_output(self, size, axis: int):
        """Output length along spatial ``axis`` for an input length ``size``."""
        if size is None:
            return None
        k, s, d = self.kernel_size[axis], self.strides[axis], self.dilation_rate[axis]
        if self.padding == "same":
            return -(-size // s)
        if self.padding == "causal":
            return (size - 1) // s + 1
        return (size - (k - 1) * d - 1) // s + 1

    def compute_output_shape(self, input_shape):
        spatial = tuple(self.spatial_output(n, a) for a, n in enumerate(input_shape[1:-1]))
        return (input_shape[0],) + spatial + (self.output_channels(input_shape[-1]),)

    def _expected_shape_hint(self) -> str:
        axes = {1: "(batch, steps, channels)", 2: "(batch, height, width, channels)"}
        return f"; {type(self).__name__} takes {axes[self.rank]} inputs"

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}


class Conv2D(BaseConv):
    """2-D convolution of (batch, height, width, channels) images:
    y = activation(conv2d(x, K) + b), K of shape (kh, kw, in, filters).

    y[n, i, j, o] = b[o] + sum_{p, q, c} x_pad[n, i s_h + p d_h, j s_w + q d_w, c] K[p, q, c, o]
    (a cross-correlation, as in every deep learning framework; LeCun et al. 1998).
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer, **kwargs)

    @property
    def fuses_relu(self) -> bool:
        return self.activation is activations.relu

    def convolve(self, inputs):
        return conv.conv2d(inputs, self.kernel, self.bias, self.strides, self.padding,
                           self.dilation_rate, relu=self.fuses_relu)  # (N, Ho, Wo, filters)


class Conv1D(BaseConv):
    """1-D convolution of (batch, steps, channels) sequences, K of shape (k, in, filters).

    ``padding='causal'`` pads (k - 1) d steps on the left only, so y[t] depends on x[<= t].
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer, **kwargs)

    @property
    def fuses_relu(self) -> bool:
        return self.activation is activations.relu

    def convolve(self, inputs):
        return conv.conv1d(inputs, self.kernel, self.bias, self.strides[0], self.padding,
                           self.dilation_rate[0], relu=self.fuses_relu)  # (N, T', filters)


class Conv2DTranspose(BaseConv):
    """Transposed 2-D convolution ("deconvolution"): the adjoint of a Conv2D, mapping its
    output shape back to its input shape. K has shape (kh, kw, filters, in).

    Output size per axis (k' = (k - 1) d + 1): 'valid': n s + max(k' - s, 0); 'same': n s;
    with ``output_padding`` a: (n - 1) s + k' - 2 pad + a (pad = k' // 2 for 'same').
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
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
            self.output_padding = arguments.int_tuple(output_padding, 2, "output_padding",
                                                      "Conv2DTranspose", minimum=0)
            if not all(a < s for a, s in zip(self.output_padding, self.strides)):
                raise ValueError(f"Conv2DTranspose: output_padding must be 2 non-negative "
                                 f"ints smaller than strides {self.strides}, got "
                                 f"{output_padding}")

    def kernel_shape(self, in_channels: int) -> tuple:
        return self.kernel_size + (self.filters, in_channels)

    def convolve(self, inputs):
        return conv.conv2d_transpose(inputs, self.kernel, self.bias, self.strides,
                                     self.padding, self.output_padding, self.dilation_rate)

    def spatial_output(self, size, axis: int):
        if size is None:
            return None
        a = None if self.output_padding is None else self.output_padding[axis]
        return conv.transpose_output_size(size, self.kernel_size[axis], self.strides[axis],
                                          self.dilation_rate[axis], self.padding, a)[0]

    def get_config(self):
        return {**super().get_config(), "output_padding": self.output_padding}


class DepthwiseConv2D(BaseConv):
    """Depthwise 2-D convolution (Chollet 2017): each input channel c gets its own
    ``depth_multiplier`` filters; output channel c m + k. Kernel (kh, kw, in, m)."""

    rank = 2
    has_filters = False

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        self.depth_multiplier = arguments.positive_int(depth_multiplier, "depth_multiplier",
                                                       "DepthwiseConv2D")
        super().__init__(None, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)

    def kernel_shape(self, in_channels: int) -> tuple:
        return self.kernel_size + (in_channels, self.depth_multiplier)

    def output_channels(self, in_channels: int) -> int:
        return None if in_channels is None else in_channels * self.depth_multiplier

    @property
    def depthwise_kernel(self):
        return self.kernel

    def convolve(self, inputs):
        return conv.depthwise_conv2d(inputs, self.kernel, self.bias, self.strides,
                                     self.padding, self.dilation_rate)

    def get_config(self):
        config = super().get_config()
        for key in ("filters", "groups"):
            config.pop(key)
        config["depth_multiplier"] = self.depth_multiplier
        config["depthwise_initializer"] = config.pop("kernel_initializer")
        config["depthwise_regularizer"] = config.pop("kernel_regularizer")
        config["depthwise_constraint"] = config.pop("kernel_constraint")
        return config


# Keras' long names.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
