"""BatchNormalization (inference form) and LayerNormalization.

BatchNormalization at inference is affine: y = x s + (beta - moving_mean s) with
s = gamma / sqrt(moving_variance + eps), folded at export exactly as dlpath computes it.
LayerNormalization over the trailing axes is ONNX's LayerNormalization (opset 17); over
other axes it is written out: y = gamma (x - mu) / sqrt(var + eps) + beta.
"""

from __future__ import annotations

import numpy as np

from dlpath import layers
from dlpath.export.converters.registry import register


@register(layers.BatchNormalization)
def convert_batch_norm(ctx, layer, x):
    b = ctx.builder
    shape = layer._broadcast_shape
    dtype = np.float32
    inv_std = (1.0 / np.sqrt(layer.moving_variance.data + layer.epsilon)).astype(dtype)
    scale = inv_std.reshape(shape)
    if layer.gamma is not None:
        scale = scale * layer.gamma.data.astype(dtype).reshape(shape)
    offset = -(layer.moving_mean.data.astype(dtype).reshape(shape) * scale)
    if layer.beta is not None:
        offset = offset + layer.beta.data.astype(dtype).reshape(shape)
    y = b.op("Mul", [x.name, b.constant(scale, f"{layer.name}/scale")], layer.name)
    y = b.op("Add", [y, b.constant(offset, f"{layer.name}/offset")], layer.name)
    return x.like(y, mask=x.mask)


def layer_norm(ctx, layer, x, hint=None):
    """The LayerNormalization ``layer`` applied to ``x`` (mask passed through)."""
    b = ctx.builder
    hint = hint or layer.name
    axes = layer._norm_axes
    rank = x.rank
    norm_shape = tuple(x.shape[a] for a in axes)
    gamma = (layer.gamma.data if layer.gamma is not None
             else np.ones(norm_shape, np.float32))
    beta = layer.beta.data if layer.beta is not None else np.zeros(norm_shape, np.float32)
    if tuple(axes) == tuple(range(axes[0], rank)):
        y = b.op("LayerNormalization", [x.name, b.constant(gamma, f"{hint}/gamma"),
                                        b.constant(beta, f"{hint}/beta")], hint,
                 axis=int(axes[0]), epsilon=float(layer.epsilon))
        return x.like(y, mask=x.mask)
    shape = tuple(n if a in axes else 1 for a, n in enumerate(x.shape))
    mu = b.reduce("ReduceMean", x.name, axes, hint, keepdims=True)
    centred = b.op("Sub", [x.name, mu], hint)
    var = b.reduce("ReduceMean", b.op("Mul", [centred, centred], hint), axes, hint,
                   keepdims=True)
    std = b.op("Sqrt", [b.op("Add", [var, b.scalar(layer.epsilon)], hint)], hint)
    y = b.op("Mul", [b.op("Div", [centred, std], hint),
                     b.constant(gamma.reshape(shape), f"{hint}/gamma")], hint)
    y = b.op("Add", [y, b.constant(beta.reshape(shape), f"{hint}/beta")], hint)
    return x.like(y, mask=x.mask)


@register(layers.LayerNormalization)
def convert_layer_norm(ctx, layer, x):
    return layer_norm(ctx, layer, x)
