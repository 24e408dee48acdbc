"""Identity and the inference-time identities (SpatialDropout3D, AlphaDropout, RandomBrightness,
RandomHeight, RandomWidth), UnitNormalization, GroupNormalization, RMSNormalization,
UpSampling3D, ZeroPadding3D, Cropping3D, EinsumDense, DepthwiseConv1D, Conv1DTranspose and
Conv3DTranspose, written out as dlpath computes them:

- UnitNormalization: y = x / sqrt(max(sum_axis x^2, eps^2));
- GroupNormalization: reshape the channels to (G, C / G), y = (x - mu) / sqrt(var + eps)
  over the spatial axes and the group's channels, reshape back, y gamma + beta;
- RMSNormalization: y = x / sqrt(mean_axis x^2 + eps) scale;
- EinsumDense: ONNX's Einsum (the same equation), + bias, the activation;
- DepthwiseConv1D: a grouped Conv, kernel (k, C, m) -> (C m, 1, k), group = C;
- Conv1DTranspose / Conv3DTranspose: the full ConvTranspose (kernel (k.., out, in) ->
  (in, out, k..)), zero planes where an output_padding reaches past it, Keras' crop, bias.
"""

from __future__ import annotations

import numpy as np

from dlpath import layers
from dlpath.engine.conv import transpose_output_size
from dlpath.export.converters.activations import emit_activation
from dlpath.export.converters.conv import _conv, _finish
from dlpath.export.converters.registry import register
from dlpath.export.converters.reshaping import _crop, _known, _pad, _repeat
from dlpath.export.errors import ExportError


@register(layers.Identity, layers.SpatialDropout3D, layers.AlphaDropout,
          layers.RandomBrightness, layers.RandomHeight, layers.RandomWidth)
def convert_identity(ctx, layer, x):
    return x.like(x.name, mask=x.mask)


@register(layers.UnitNormalization)
def convert_unit_normalization(ctx, layer, x):
    b = ctx.builder
    squares = b.reduce("ReduceSum", b.op("Mul", [x.name, x.name], layer.name), layer._axes,
                       layer.name, keepdims=True)
    norm = b.op("Sqrt", [b.op("Max", [squares, b.scalar(layer.epsilon ** 2)], layer.name)],
                layer.name)
    return x.like(b.op("Div", [x.name, norm], layer.name), mask=x.mask)


@register(layers.GroupNormalization)
def convert_group_normalization(ctx, layer, x):
    b = ctx.builder
    shape = (1,) + tuple(_known(layer, x))
    axis, groups = layer._axis, layer.groups
    grouped = shape[:axis] + (groups, shape[axis] // groups) + shape[axis + 1:]
    reduce = [a for a in range(1, len(grouped)) if a != axis]
    g = b.op("Reshape", [x.name, b.ints((-1,) + grouped[1:])], layer.name)
    mu = b.reduce("ReduceMean", g, reduce, layer.name, keepdims=True)
    centred = b.op("Sub", [g, mu], layer.name)
    var = b.reduce("ReduceMean", b.op("Mul", [centred, centred], layer.name), reduce,
                   layer.name, keepdims=True)
    std = b.op("Sqrt", [b.op("Add", [var, b.scalar(layer.epsilon)], layer.name)], layer.name)
    y = b.op("Reshape", [b.op("Div", [centred, std], layer.name), b.ints((-1,) + shape[1:])],
             layer.name)
    along = tuple(n if a == axis else 1 for a, n in enumerate(shape))
    if layer.gamma is not None:
        gamma = b.constant(layer.gamma.data.reshape(along), f"{layer.name}/gamma")
        y = b.op("Mul", [y, gamma], layer.name)
    if layer.beta is not None:
        beta = b.constant(layer.beta.data.reshape(along), f"{layer.name}/beta")
        y = b.op("Add", [y, beta], layer.name)
    return x.like(y, mask=x.mask)


@register(layers.RMSNormalization)
def convert_rms_normalization(ctx, layer, x):
    b = ctx.builder
    mean_square = b.reduce("ReduceMean", b.op("Mul", [x.name, x.name], layer.name),
                           layer._axes, layer.name, keepdims=True)
    rms = b.op("Sqrt", [b.op("Add", [mean_square, b.scalar(layer.epsilon)], layer.name)],
               layer.name)
    scale = b.constant(layer.scale.data.reshape((1,) + layer._along[1:]),
                       f"{layer.name}/scale")
    y = b.op("Mul", [b.op("Div", [x.name, rms], layer.name), scale], layer.name)
    return x.like(y, mask=x.mask)


@register(layers.UpSampling3D)
def convert_upsampling3d(ctx, layer, x):
    d, h, w, c = _known(layer, x)
    sd, sh, sw = layer.size
    y = _repeat(ctx, layer, x, (d, 1, h, 1, w, 1, c), (1, sd, 1, sh, 1, sw, 1),
                (d * sd, h * sh, w * sw, c))
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.ZeroPadding3D)
def convert_zero_padding3d(ctx, layer, x):
    return _pad(ctx, layer, x, layer.padding)


@register(layers.Cropping3D)
def convert_cropping3d(ctx, layer, x):
    return _crop(ctx, layer, x, layer.cropping)


@register(layers.EinsumDense)
def convert_einsum_dense(ctx, layer, x):
    b = ctx.builder
    kernel = b.constant(layer.kernel.data, layer.kernel.name)
    y = b.op("Einsum", [x.name, kernel], layer.name, equation=layer.equation.replace(" ", ""))
    if layer.bias is not None:
        y = b.op("Add", [y, b.constant(np.asarray(layer.bias.data), layer.bias.name)],
                 layer.name)
    y = emit_activation(b, y, layer.activation, layer, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.DepthwiseConv1D)
def convert_depthwise_conv1d(ctx, layer, x):
    k, channels, multiplier = layer.kernel.shape
    kernel = np.transpose(layer.kernel.data.reshape(k, channels * multiplier), (1, 0))
    return _conv(ctx, layer, x, kernel[:, None], group=channels)  # (C m, 1, k)


@register(layers.Conv1DTranspose, layers.Conv3DTranspose)
def convert_conv_transpose(ctx, layer, x):
    b = ctx.builder
    rank = layer.rank
    spatial = x.shape[1:1 + rank]
    if any(size is None for size in spatial):
        raise ExportError(f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) needs "
                          f"the input's spatial sizes, got shape {x.shape}")
    x_cf = b.channels_first(x.name, rank + 2, f"{layer.name}/input")
    perm = (rank + 1, rank) + tuple(range(rank))  # (k.., out, in) -> (in, out, k..)
    kernel = b.constant(np.transpose(layer.kernel.data, perm), f"{layer.name}/kernel")
    y = b.op("ConvTranspose", [x_cf, kernel], layer.name,
             kernel_shape=list(layer.kernel_size), strides=list(layer.strides),
             dilations=list(layer.dilation_rate))
    full, tops, sizes = [], [], []
    for axis in range(rank):
        k, s, d = layer.kernel_size[axis], layer.strides[axis], layer.dilation_rate[axis]
        a = None if layer.output_padding is None else layer.output_padding[axis]
        size, top = transpose_output_size(spatial[axis], k, s, d, layer.padding, a)
        full.append((spatial[axis] - 1) * s + (k - 1) * d + 1)
        tops.append(top)
        sizes.append(size)
    extra = [max(t + n - f, 0) for t, n, f in zip(tops, sizes, full)]
    if any(extra):
        y = b.op("Pad", [y, b.ints([0] * (rank + 4) + extra)], layer.name)
    ends = [t + n for t, n in zip(tops, sizes)]
    y = b.op("Slice", [y, b.ints(tops), b.ints(ends), b.ints(range(2, rank + 2))], layer.name)
    if layer.bias is not None:
        bias = b.constant(layer.bias.data.reshape((1, -1) + (1,) * rank),
                          f"{layer.name}/bias")
        y = b.op("Add", [y, bias], layer.name)
    return _finish(ctx, layer, x, y, rank + 2)
