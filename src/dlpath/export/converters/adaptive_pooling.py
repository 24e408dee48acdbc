"""Adaptive average/max pooling (1-D, 2-D, 3-D) for inputs of static spatial size.

Each spatial axis is pooled as the layer does (`dlpath.layers.adaptive_pooling`): a Gather
of the (n, w) indices of the bins (padded with each bin's last element) gives
(..., n, w, ...), then ReduceMax over w, or a product with the weights 1/count (0 on the
padding) and ReduceSum over w.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.export.converters.registry import register
from dlpath.export.errors import UnsupportedLayerError
from dlpath.layers.adaptive_pooling import bin_indices


@register(layers.AdaptiveAveragePooling1D, layers.AdaptiveAveragePooling2D,
          layers.AdaptiveAveragePooling3D, layers.AdaptiveMaxPooling1D,
          layers.AdaptiveMaxPooling2D, layers.AdaptiveMaxPooling3D)
def convert_adaptive_pooling(ctx, layer, x):
    b = ctx.builder
    y = x.name
    for axis, out in zip(layer.spatial_axes(), layer.output_size):
        size = x.shape[axis]
        if size is None:
            raise UnsupportedLayerError(
                f"ONNX export: layer '{layer.name}' ({type(layer).__name__}) needs a static "
                f"size on spatial axis {axis}, got input shape {tuple(x.shape)}")
        index, weights = bin_indices(size, out)  # (n, w) each
        gathered = b.op("Gather", [y, b.constant(index, f"{layer.name}/bins")], layer.name,
                        axis=axis)  # (..., n, w, ...)
        if layer.mode == "max":
            y = b.reduce("ReduceMax", gathered, [axis + 1], layer.name)
            continue
        trailing = len(x.shape) - axis - 1
        w = b.constant(weights.reshape(weights.shape + (1,) * trailing),
                       f"{layer.name}/weights")
        y = b.reduce("ReduceSum", b.op("Mul", [gathered, w], layer.name), [axis + 1],
                     layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))
