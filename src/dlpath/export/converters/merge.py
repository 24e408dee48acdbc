"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate.

Each folds its inputs left to right as dlpath does (x_1 + x_2 + ...); Average multiplies
the sum by 1 / n. No mask comes out of a merge (dlpath's Merge.compute_mask).
"""

from __future__ import annotations

from dlpath import layers
from dlpath.export.converters.registry import register

_FOLDS = {layers.Add: "Add", layers.Subtract: "Sub", layers.Multiply: "Mul",
          layers.Average: "Add", layers.Maximum: "Max", layers.Minimum: "Min"}


@register(*_FOLDS)
def convert_merge(ctx, layer, inputs):
    b = ctx.builder
    op_type = _FOLDS[type(layer)]
    y = inputs[0].name
    for other in inputs[1:]:
        y = b.op(op_type, [y, other.name], layer.name)
    if isinstance(layer, layers.Average):
        y = b.op("Mul", [y, b.scalar(1.0 / len(inputs))], layer.name)
    return inputs[0].like(y)


@register(layers.Concatenate)
def convert_concatenate(ctx, layer, inputs):
    axis = layer.axis % inputs[0].rank
    y = ctx.builder.op("Concat", [v.name for v in inputs], layer.name, axis=axis)
    return inputs[0].like(y, layer.compute_output_shape([v.shape for v in inputs]))
