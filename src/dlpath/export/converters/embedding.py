"""Embedding (Gather), PositionalEmbedding / TokenAndPositionEmbedding, and
SinusoidalPositionEncoding.

With ``mask_zero=True`` the output carries the Keras mask ``ids != 0``, computed in the
graph (Equal, Not) for the layers after it that honour masks.
"""

from __future__ import annotations

import numpy as np

from dlpath import layers
from dlpath.export.converters.registry import register
from dlpath.export.errors import ExportError
from dlpath.export.value import Value
from dlpath.layers.transformer import sinusoidal_encoding

INT64 = 7  # onnx.TensorProto.INT64


def _ids(ctx, ids: Value, hint: str) -> str:
    if ids.dtype.kind == "i" and ids.dtype.itemsize == 8:
        return ids.name
    return ctx.builder.op("Cast", [ids.name], hint, to=INT64)


def _mask(ctx, ids: Value, hint: str) -> str:
    b = ctx.builder
    ids64 = _ids(ctx, ids, hint)
    zero = b.scalar(0, np.int64)
    return b.op("Not", [b.op("Equal", [ids64, zero], hint)], hint)


def lookup(ctx, table, ids: Value, hint: str) -> str:
    """table[ids]: Gather on axis 0 of an (input_dim, output_dim) table."""
    return ctx.builder.op("Gather", [ctx.builder.constant(table.data, table.name),
                                     _ids(ctx, ids, hint)], hint, axis=0)


@register(layers.Embedding)
def convert_embedding(ctx, layer, ids):
    y = lookup(ctx, layer.embeddings, ids, layer.name)
    mask = _mask(ctx, ids, layer.name) if layer.mask_zero else None
    return Value(y, layer.compute_output_shape(ids.shape), mask=mask)


@register(layers.PositionalEmbedding, layers.TokenAndPositionEmbedding)
def convert_positional_embedding(ctx, layer, ids):
    """y[b, t] = E_token[ids[b, t]] + E_position[t]."""
    b = ctx.builder
    steps = ids.shape[-1]
    tokens = lookup(ctx, layer.token_embedding.embeddings, ids, layer.name)
    if steps is None:
        positions = b.op("Slice", [b.constant(layer.position_embedding.embeddings.data,
                                              f"{layer.name}/positions"),
                                   b.ints([0]), b.op("Shape", [ids.name], layer.name,
                                                     start=-1)], layer.name)
    else:
        positions = b.constant(layer.position_embedding.embeddings.data[:steps],
                               f"{layer.name}/positions")  # (T, C)
    y = b.op("Add", [tokens, positions], layer.name)
    mask = _mask(ctx, ids, layer.name) if layer.mask_zero else None
    return Value(y, layer.compute_output_shape(ids.shape), mask=mask)


@register(layers.SinusoidalPositionEncoding)
def convert_sinusoidal(ctx, layer, x):
    _, steps, dim = x.shape
    if steps is None or dim is None:
        raise ExportError(f"ONNX export: layer '{layer.name}' (SinusoidalPositionEncoding) "
                          f"needs the number of steps and features, got shape {x.shape}")
    table = sinusoidal_encoding(steps, dim, layer.max_wavelength, "float32")
    y = ctx.builder.op("Add", [x.name, ctx.builder.constant(table, f"{layer.name}/table")],
                       layer.name)
    return x.like(y, mask=x.mask)
