"""Conv1D, Conv2D, DepthwiseConv2D and Conv2DTranspose as ONNX Conv / ConvTranspose.

dlpath is channels-last, ONNX's convolutions channels-first: the input is transposed to
(N, C, *spatial) (once per value, see `GraphBuilder.channels_first`) and the output back.
Kernels are re-laid out once, at export:

    Conv2D           (kh, kw, in, out)  -> (out, in, kh, kw)
    Conv1D           (k, in, out)       -> (out, in, k)
    DepthwiseConv2D  (kh, kw, C, m)     -> (C m, 1, kh, kw), group = C (channel c m + k)
    Conv2DTranspose  (kh, kw, out, in)  -> (in, out, kh, kw)

'same' padding is written as explicit pads computed as TensorFlow does (the odd one after,
`dlpath.engine.conv.same_pads`), which also covers even kernels and strides > 1.
"""

from __future__ import annotations

import numpy as np

from dlpath import activations, layers
from dlpath.engine.conv import same_pads, transpose_output_size
from dlpath.export.converters.activations import emit_activation
from dlpath.export.converters.registry import register
from dlpath.export.errors import ExportError

_AFTER_LAYOUT = ("softmax", "log_softmax")  # act on the channel axis: channels-last only


def _pads(layer, spatial) -> list:
    """ONNX pads [begin_1, ..., begin_n, end_1, ..., end_n] of a Conv or pooling layer."""
    kernel = getattr(layer, "kernel_size", None) or layer.pool_size
    dilation = getattr(layer, "dilation_rate", (1,) * len(kernel))
    if layer.padding == "valid":
        pairs = [(0, 0)] * len(kernel)
    elif layer.padding == "causal":
        pairs = [((kernel[0] - 1) * dilation[0], 0)]
    else:
        if any(size is None for size in spatial):
            raise ExportError(f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) "
                              f"has 'same' padding on an input of unknown size "
                              f"{tuple(spatial)}; give the model's Input a full shape")
        pairs = [same_pads(n, k, s, d) for n, k, s, d in
                 zip(spatial, kernel, layer.strides, dilation)]
    return [lo for lo, _ in pairs] + [hi for _, hi in pairs]


def _finish(ctx, layer, x, y_cf, rank):
    """Activation (channels-first when element-wise) and the transpose back."""
    b = ctx.builder
    after = activations.serialize(layer.activation) in _AFTER_LAYOUT
    if not after:
        y_cf = emit_activation(b, y_cf, layer.activation, layer, layer.name)
    y = b.channels_last(y_cf, rank, layer.name)
    if after:
        y = emit_activation(b, y, layer.activation, layer, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


def _conv(ctx, layer, x, kernel, group=1):
    b = ctx.builder
    rank = layer.rank + 2
    x_cf = b.channels_first(x.name, rank, f"{layer.name}/input")
    inputs = [x_cf, b.constant(kernel, f"{layer.name}/kernel")]
    if layer.bias is not None:
        inputs.append(b.constant(layer.bias.data, f"{layer.name}/bias"))
    y_cf = b.op("Conv", inputs, layer.name, kernel_shape=list(layer.kernel_size),
                strides=list(layer.strides), dilations=list(layer.dilation_rate),
                pads=_pads(layer, x.shape[1:-1]), group=group)
    return _finish(ctx, layer, x, y_cf, rank)


@register(layers.Conv2D)
def convert_conv2d(ctx, layer, x):
    return _conv(ctx, layer, x, np.transpose(layer.kernel.data, (3, 2, 0, 1)))


@register(layers.Conv1D)
def convert_conv1d(ctx, layer, x):
    return _conv(ctx, layer, x, np.transpose(layer.kernel.data, (2, 1, 0)))


@register(layers.DepthwiseConv2D)
def convert_depthwise_conv2d(ctx, layer, x):
    kh, kw, channels, multiplier = layer.kernel.shape
    kernel = layer.kernel.data.reshape(kh, kw, channels * multiplier)
    kernel = np.transpose(kernel, (2, 0, 1))[:, None]  # (C m, 1, kh, kw)
    return _conv(ctx, layer, x, kernel, group=channels)


@register(layers.Conv2DTranspose)
def convert_conv2d_transpose(ctx, layer, x):
    """The full transposed convolution, then dlpath's crop (rows past the full output,
    which a Keras output_padding may ask for, are zeros), then the bias."""
    b = ctx.builder
    if any(size is None for size in x.shape[1:3]):
        raise ExportError(f"ONNX export: layer '{layer.name}' (Conv2DTranspose) needs the "
                          f"input's height and width, got shape {x.shape}")
    x_cf = b.channels_first(x.name, 4, f"{layer.name}/input")
    kernel = b.constant(np.transpose(layer.kernel.data, (3, 2, 0, 1)), f"{layer.name}/kernel")
    y = b.op("ConvTranspose", [x_cf, kernel], layer.name,
             kernel_shape=list(layer.kernel_size), strides=list(layer.strides),
             dilations=list(layer.dilation_rate))
    full, tops, sizes = [], [], []
    for axis in range(2):
        k, s, d = layer.kernel_size[axis], layer.strides[axis], layer.dilation_rate[axis]
        a = None if layer.output_padding is None else layer.output_padding[axis]
        size, top = transpose_output_size(x.shape[1 + axis], k, s, d, layer.padding, a)
        full.append((x.shape[1 + axis] - 1) * s + (k - 1) * d + 1)
        tops.append(top)
        sizes.append(size)
    extra = [max(t + n - f, 0) for t, n, f in zip(tops, sizes, full)]
    if any(extra):
        y = b.op("Pad", [y, b.ints([0, 0, 0, 0, 0, 0] + extra)], layer.name)
    ends = [t + n for t, n in zip(tops, sizes)]
    y = b.op("Slice", [y, b.ints(tops), b.ints(ends), b.ints([2, 3])], layer.name)
    if layer.bias is not None:
        bias = b.constant(layer.bias.data.reshape(1, -1, 1, 1), f"{layer.name}/bias")
        y = b.op("Add", [y, bias], layer.name)
    return _finish(ctx, layer, x, y, 4)
