"""Max/average pooling (1-D, 2-D) and global pooling.

Windowed pooling runs channels-first (MaxPool, AveragePool) with TensorFlow's explicit
'same' pads; average pooling leaves the padding out of each mean
(``count_include_pad=0``), as Keras does. Global pooling reduces the spatial axes of the
channels-last value; the 1-D layers honour a Keras mask:

    average: y = sum_t m_t x_t / sum_t m_t;   max: y = max over unmasked steps (0 if none)
"""

from __future__ import annotations

import numpy as np

from dlpath import layers
from dlpath.export.converters.conv import _pads
from dlpath.export.converters.registry import register


@register(layers.MaxPooling1D, layers.MaxPooling2D, layers.AveragePooling1D,
          layers.AveragePooling2D)
def convert_pooling(ctx, layer, x):
    b = ctx.builder
    rank = layer.rank + 2
    x_cf = b.channels_first(x.name, rank, f"{layer.name}/input")
    attributes = {"kernel_shape": list(layer.pool_size), "strides": list(layer.strides),
                  "pads": _pads(layer, x.shape[1:-1])}
    if layer.mode == "max":
        y_cf = b.op("MaxPool", [x_cf], layer.name, **attributes)
    else:
        y_cf = b.op("AveragePool", [x_cf], layer.name, count_include_pad=0, **attributes)
    y = b.channels_last(y_cf, rank, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.GlobalMaxPooling1D, layers.GlobalMaxPooling2D,
          layers.GlobalAveragePooling1D, layers.GlobalAveragePooling2D)
def convert_global_pooling(ctx, layer, x):
    b = ctx.builder
    axes = list(range(1, layer.rank + 1))
    shape = layer.compute_output_shape(x.shape)
    if x.mask is not None and layer.rank == 1:
        return x.like(_masked(ctx, layer, x), shape)
    op_type = "ReduceMax" if layer.mode == "max" else "ReduceMean"
    y = b.reduce(op_type, x.name, axes, layer.name, keepdims=layer.keepdims)
    return x.like(y, shape)


def _masked(ctx, layer, x) -> str:
    b = ctx.builder
    keep = b.op("Unsqueeze", [x.mask, b.ints([2])], layer.name)  # (N, T, 1) bool
    if layer.mode == "average":
        weights = b.op("Cast", [keep], layer.name, to=1)
        total = b.reduce("ReduceSum", b.op("Mul", [x.name, weights], layer.name), [1],
                         layer.name, keepdims=layer.keepdims)
        count = b.reduce("ReduceSum", weights, [1], layer.name, keepdims=layer.keepdims)
        return b.op("Div", [total, count], layer.name)
    low = b.scalar(-np.inf)
    best = b.reduce("ReduceMax", b.op("Where", [keep, x.name, low], layer.name), [1],
                    layer.name, keepdims=layer.keepdims)
    any_kept = b.reduce("ReduceMax", b.op("Cast", [keep], layer.name, to=1), [1],
                        layer.name, keepdims=layer.keepdims)  # (N, [1,] 1): 1 or 0
    return b.op("Where", [b.op("Cast", [any_kept], layer.name, to=9), best,
                          b.scalar(0.0)], layer.name)  # 9: BOOL
