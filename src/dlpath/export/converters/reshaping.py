"""UpSampling1D/2D, ZeroPadding1D/2D and Cropping1D/2D on channels-last values.

Nearest upsampling repeats as dlpath does: reshape to (N, H, 1, W, 1, C), broadcast
(Expand) to (N, H, sh, W, sw, C), reshape to (N, H sh, W sw, C). Bilinear upsampling is
dlpath's two products with the interpolation matrices: y = A_h x A_w^T.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.export.converters.registry import register
from dlpath.export.errors import ExportError
from dlpath.layers.reshaping import _linear_weights


def _known(layer, x):
    if any(size is None for size in x.shape[1:]):
        raise ExportError(f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) needs "
                          f"the sizes of its input, got shape {x.shape}")
    return x.shape[1:]


def _repeat(ctx, layer, x, split_shape, repeats, out_shape) -> str:
    b = ctx.builder
    grid = b.op("Reshape", [x.name, b.ints((-1,) + split_shape)], layer.name)
    grid = b.op("Expand", [grid, b.ints((1,) + repeats)], layer.name)
    return b.op("Reshape", [grid, b.ints((-1,) + out_shape)], layer.name)


@register(layers.UpSampling2D)
def convert_upsampling2d(ctx, layer, x):
    b = ctx.builder
    h, w, c = _known(layer, x)
    sh, sw = layer.size
    out = layer.compute_output_shape(x.shape)
    if layer.interpolation == "nearest":
        y = _repeat(ctx, layer, x, (h, 1, w, 1, c), (1, sh, 1, sw, 1), (h * sh, w * sw, c))
        return x.like(y, out)
    rows = b.constant(_linear_weights(h, h * sh), f"{layer.name}/rows")  # (P, H)
    cols = b.constant(_linear_weights(w, w * sw).T, f"{layer.name}/cols")  # (W, Q)
    y = b.op("MatMul", [rows, b.op("Reshape", [x.name, b.ints((-1, h, w * c))], layer.name)],
             layer.name)  # (N, P, W C)
    y = b.transpose(b.op("Reshape", [y, b.ints((-1, h * sh, w, c))], layer.name),
                    (0, 1, 3, 2), layer.name)  # (N, P, C, W)
    y = b.transpose(b.op("MatMul", [y, cols], layer.name), (0, 1, 3, 2), layer.name)
    return x.like(y, out)


@register(layers.UpSampling1D)
def convert_upsampling1d(ctx, layer, x):
    t, c = _known(layer, x)
    s = layer.size
    y = _repeat(ctx, layer, x, (t, 1, c), (1, s, 1), (t * s, c))
    return x.like(y, layer.compute_output_shape(x.shape))


def _pad(ctx, layer, x, pairs):
    """Zeros around the spatial axes: pairs (before, after) per spatial axis."""
    before = [0] + [lo for lo, _ in pairs] + [0]
    after = [0] + [hi for _, hi in pairs] + [0]
    y = ctx.builder.op("Pad", [x.name, ctx.builder.ints(before + after)], layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.ZeroPadding2D)
def convert_zero_padding2d(ctx, layer, x):
    return _pad(ctx, layer, x, layer.padding)


@register(layers.ZeroPadding1D)
def convert_zero_padding1d(ctx, layer, x):
    return _pad(ctx, layer, x, [layer.padding])


def _crop(ctx, layer, x, pairs):
    b = ctx.builder
    sizes = _known(layer, x)[:len(pairs)]
    starts = [lo for lo, _ in pairs]
    ends = [n - hi for n, (_, hi) in zip(sizes, pairs)]
    axes = list(range(1, len(pairs) + 1))
    y = b.op("Slice", [x.name, b.ints(starts), b.ints(ends), b.ints(axes)], layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.Cropping2D)
def convert_cropping2d(ctx, layer, x):
    return _crop(ctx, layer, x, layer.cropping)


@register(layers.Cropping1D)
def convert_cropping1d(ctx, layer, x):
    return _crop(ctx, layer, x, [layer.cropping])
