"""MultiHeadAttention and TransformerEncoder as MatMul / Softmax subgraphs.

    Q_i = query W^Q_i + b^Q_i (and K_i, V_i alike), split into heads (B, h, T, d)
    P = softmax((c Q) K^T), with masked scores set to -1e9,  c = 1 / sqrt(key_dim)
    output = concat_i(P_i V_i) W^O + b^O

The mask is dlpath's: query mask (B, T, 1) & value mask (B, 1, S) & key mask & causal mask
(1, T, S) & attention_mask, the same for every head.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath import layers
from dlpath.engine.attention import MASKED_SCORE
from dlpath.export.converters.core import dense
from dlpath.export.converters.normalization import layer_norm
from dlpath.export.converters.registry import register
from dlpath.export.errors import ExportError
from dlpath.export.value import Value

BOOL = 9  # onnx.TensorProto.BOOL


def _project(b, x: Value, kernel, bias, heads: int, head_dim: int, hint: str) -> str:
    """(B, T, dim) -> (B, heads, T, head_dim)."""
    flat_kernel = kernel.data.reshape(kernel.shape[0], heads * head_dim)
    y = b.op("MatMul", [x.name, b.constant(flat_kernel, kernel.name)], hint)
    if bias is not None:
        y = b.op("Add", [y, b.constant(bias.data.reshape(-1), bias.name)], hint)
    y = b.op("Reshape", [y, b.ints([0, 0, heads, head_dim])], hint)
    return b.transpose(y, (0, 2, 1, 3), hint)


def _merged_mask(b, layer, query, value, query_mask, value_mask, key_mask,
                 attention_mask, use_causal_mask):
    """The (B or 1, 1, T, S) boolean mask of the scores, or None."""
    hint = layer.name
    parts = []
    if query_mask is not None:
        parts.append((b.op("Unsqueeze", [query_mask, b.ints([2])], hint), 3))
    for mask in (value_mask, key_mask):
        if mask is not None:
            parts.append((b.op("Unsqueeze", [mask, b.ints([1])], hint), 3))
    if use_causal_mask:
        steps_q, steps_v = query.shape[1], value.shape[1]
        if steps_q is None or steps_v is None:
            raise ExportError(f"ONNX export: layer '{layer.name}' (MultiHeadAttention) needs "
                              f"known sequence lengths for use_causal_mask, got query "
                              f"{query.shape} and value {value.shape}")
        causal = np.tril(np.ones((steps_q, steps_v), dtype=bool))[None]
        parts.append((b.constant(causal, f"{hint}/causal_mask"), 3))
    if attention_mask is not None:
        given = attention_mask.name
        if attention_mask.dtype != np.dtype(bool):
            given = b.op("Cast", [given], hint, to=BOOL)
        parts.append((given, attention_mask.rank))
    if not parts:
        return None
    merged, rank = parts[0]
    for mask, mask_rank in parts[1:]:
        merged, rank = b.op("And", [merged, mask], hint), max(rank, mask_rank)
    if rank < 3:
        merged = b.op("Unsqueeze", [merged, b.ints(list(range(3 - rank)))], hint)
    return b.op("Unsqueeze", [merged, b.ints([1])], hint)  # (B, 1, T, S): all heads


def attention(ctx, layer, query: Value, value: Value, key=None, query_mask=None,
              value_mask=None, key_mask=None, attention_mask=None, use_causal_mask=False):
    """(output name, probabilities name) of ``layer`` on the given values and mask names."""
    b = ctx.builder
    hint = layer.name
    key = value if key is None else key
    heads = layer.num_heads
    mask = _merged_mask(b, layer, query, value, query_mask, value_mask, key_mask,
                        attention_mask, use_causal_mask)
    q = _project(b, query, layer._query_kernel, layer._query_bias, heads, layer.key_dim,
                 hint)
    k = _project(b, key, layer._key_kernel, layer._key_bias, heads, layer.key_dim, hint)
    v = _project(b, value, layer._value_kernel, layer._value_bias, heads, layer.value_dim,
                 hint)
    scaled = b.op("Mul", [q, b.scalar(1.0 / math.sqrt(layer.key_dim))], hint)
    scores = b.op("MatMul", [scaled, b.transpose(k, (0, 1, 3, 2), hint)], hint)  # (B,h,T,S)
    if mask is not None:
        scores = b.op("Where", [mask, scores, b.scalar(MASKED_SCORE)], hint)
    probs = b.op("Softmax", [scores], hint, axis=-1)
    y = b.transpose(b.op("MatMul", [probs, v], hint), (0, 2, 1, 3), hint)  # (B, T, h, dv)
    y = b.op("Reshape", [y, b.ints([0, 0, heads * layer.value_dim])], hint)
    out_size = int(np.prod(layer._out_shape))
    kernel = layer._output_kernel.data.reshape(heads * layer.value_dim, out_size)
    y = b.op("MatMul", [y, b.constant(kernel, layer._output_kernel.name)], hint)
    if layer._output_bias is not None:
        bias = layer._output_bias.data.reshape(out_size)
        y = b.op("Add", [y, b.constant(bias, layer._output_bias.name)], hint)
    if layer._out_shape != (out_size,):
        y = b.op("Reshape", [y, b.ints([0, 0] + list(layer._out_shape))], hint)
    return y, probs


def _name(mask):
    return mask.name if isinstance(mask, Value) else mask


@register(layers.MultiHeadAttention)
def convert_multi_head_attention(ctx, layer, query, value, key=None, query_mask=None,
                                 value_mask=None, key_mask=None, attention_mask=None,
                                 return_attention_scores=False, use_causal_mask=False):
    for name, given in (("query_mask", query_mask), ("value_mask", value_mask),
                        ("key_mask", key_mask), ("attention_mask", attention_mask)):
        if given is not None and not isinstance(given, Value):
            raise ExportError(f"ONNX export: layer '{layer.name}' (MultiHeadAttention) was "
                              f"called with a constant {name}; pass it as a model input")
    query_mask = query.mask if query_mask is None else query_mask.name
    value_mask = value.mask if value_mask is None else value_mask.name
    if key_mask is None and key is not None and key.name != value.name:
        key_mask = key.mask
    y, probs = attention(ctx, layer, query, value, key, query_mask, value_mask,
                         _name(key_mask), attention_mask, bool(use_causal_mask))
    output = Value(y, layer.compute_output_shape(query.shape), mask=query_mask)
    if return_attention_scores:
        scores_shape = (query.shape[0], layer.num_heads, query.shape[1], value.shape[1])
        return [output, Value(probs, scores_shape)]
    return output


@register(layers.TransformerEncoder)
def convert_transformer_encoder(ctx, layer, x):
    """h = LayerNorm(x + MHA(x, x)),  y = LayerNorm(h + Dense(activation(Dense(h))))."""
    b = ctx.builder
    attended, _ = attention(ctx, layer.attention, x, x, None, x.mask, x.mask)
    hidden = x.like(b.op("Add", [x.name, attended], layer.name))
    hidden = layer_norm(ctx, layer.layernorm_1, hidden, f"{layer.name}/layernorm_1")
    forward = dense(ctx, layer.ffn_2, dense(ctx, layer.ffn_1, hidden))
    summed = x.like(b.op("Add", [hidden.name, forward.name], layer.name))
    y = layer_norm(ctx, layer.layernorm_2, summed, f"{layer.name}/layernorm_2")
    return x.like(y.name, mask=x.mask)
