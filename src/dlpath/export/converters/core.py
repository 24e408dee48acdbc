"""Dense, Activation, Dropout (the identity at inference), Flatten, Reshape, Permute.

Flatten and Reshape act on the channels-last value, so the order of the elements is
dlpath's (row-major over (H, W, C)), whatever layout the convolutions used inside.
"""

from __future__ import annotations

from dlpath import layers
from dlpath.export.converters.activations import emit_activation
from dlpath.export.converters.registry import register


def weight(ctx, variable, hint=None) -> str:
    """An initializer holding the value of ``variable`` (named after it)."""
    return ctx.builder.constant(variable.data, hint or variable.name)


def dense(ctx, layer, x, activation=True):
    """y = activation(x W + b) on the last axis: MatMul, Add, the activation."""
    b = ctx.builder
    y = b.op("MatMul", [x.name, weight(ctx, layer.kernel)], layer.name)
    if layer.bias is not None:
        y = b.op("Add", [y, weight(ctx, layer.bias)], layer.name)
    if activation:
        y = emit_activation(b, y, layer.activation, layer, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.Dense)
def convert_dense(ctx, layer, x):
    return dense(ctx, layer, x)  # an activity regularizer is a training loss: no node


@register(layers.Activation)
def convert_activation(ctx, layer, x):
    y = emit_activation(ctx.builder, x.name, layer.activation, layer, layer.name)
    return x.like(y, mask=x.mask)


@register(layers.Dropout)
def convert_dropout(ctx, layer, x):
    return x.like(x.name, mask=x.mask)


@register(layers.Flatten)
def convert_flatten(ctx, layer, x):
    y = ctx.builder.op("Flatten", [x.name], layer.name, axis=1)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.Reshape)
def convert_reshape(ctx, layer, x):
    """(batch, ...) -> (batch, *target_shape): 0 copies the batch size."""
    shape = ctx.builder.ints((0,) + layer.target_shape)
    y = ctx.builder.op("Reshape", [x.name, shape], layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))


@register(layers.Permute)
def convert_permute(ctx, layer, x):
    y = ctx.builder.transpose(x.name, (0,) + layer.dims, layer.name)
    return x.like(y, layer.compute_output_shape(x.shape))
