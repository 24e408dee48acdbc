"""`MultiHeadAttention` (Vaswani et al. 2017) with Keras' arguments, masks and weight layout."""

from __future__ import annotations

import math

import numpy as np

from dlpath import initializers, regularizers
from dlpath.engine import Tensor, ops
from dlpath.engine.attention import (
    attention_probabilities_composite, scaled_dot_product_attention,
)
from dlpath.layers import arguments
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.normalization import drop_unset_keras_arguments
from dlpath.random import generator


def _shape_of(value):
    return tuple(np.shape(getattr(value, "data", value)))


def _mask_of(value):
    mask = getattr(value, "_mask", None)
    return None if mask is None else np.asarray(getattr(mask, "data", mask), dtype=bool)


class MultiHeadAttention(Layer):
    """Multi-head attention: h heads of scaled dot-product attention, concatenated, projected.

        head_i = softmax(Q_i K_i^T / sqrt(key_dim)) V_i,   Q_i = query W^Q_i + b^Q_i, ...
        output = sum_i head_i W^O_i + b^O

    Weights (Keras' layout, in Keras' order): ``query/kernel`` (dim_q, num_heads, key_dim)
    and ``query/bias`` (num_heads, key_dim); ``key/kernel`` (dim_k, num_heads, key_dim),
    ``key/bias``; ``value/kernel`` (dim_v, num_heads, value_dim), ``value/bias``;
    ``attention_output/kernel`` (num_heads, value_dim, *output_shape) and
    ``attention_output/bias`` (*output_shape). ``output_shape`` defaults to dim_q.

    Call: ``layer(query, value, key=None, attention_mask=None, return_attention_scores=False,
    training=False, use_causal_mask=False)`` with query (B, T, dim_q), value (B, S, dim_v),
    key (B, S, dim_k) (default: value). ``attention_mask`` (B, T, S), broadcastable, 1 =
    attend. Keras masks carried by query, value and key (``Embedding(mask_zero=True)``) are
    combined with it as Keras does: query mask (B, T, 1) & value mask (B, 1, S) & key mask
    (B, 1, S) & causal mask (1, T, S) & attention_mask. The output carries the query's mask.
    Masked scores are set to -1e9 before the softmax. With ``return_attention_scores`` the
    call also returns the attention probabilities (B, num_heads, T, S).
    """

    supports_masking = True

    def __init__(self, num_heads: int, key_dim: int, value_dim=None, dropout: float = 0.0,
                 use_bias: bool = True, output_shape=None, attention_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, seed=None, **kwargs):
        drop_unset_keras_arguments("MultiHeadAttention", kwargs, (
            "activity_regularizer", "kernel_constraint", "bias_constraint", "flash_attention"))
        super().__init__(**kwargs)
        owner = "MultiHeadAttention"
        self.num_heads = arguments.positive_int(num_heads, "num_heads", owner)
        self.key_dim = arguments.positive_int(key_dim, "key_dim", owner)
        value_dim = arguments.optional_positive_int(value_dim, "value_dim", owner)
        self.value_dim = self.key_dim if value_dim is None else value_dim
        self.dropout = arguments.rate(dropout, "dropout", owner)
        if attention_axes not in (None, 1, -2, (1,), [1], (-2,), [-2]):
            raise ValueError(f"MultiHeadAttention: only attention over the time axis of "
                             f"(batch, time, features) inputs is supported, got "
                             f"attention_axes={attention_axes}")
        self.use_bias = bool(use_bias)
        self._output_shape = None
        if output_shape is not None:
            rank = len(output_shape) if isinstance(output_shape, (tuple, list)) else 1
            self._output_shape = arguments.int_tuple(output_shape, rank, "output_shape", owner)
        self.attention_axes = attention_axes
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None
        self.input_spec = InputSpec(ndim=3)

    # ------------------------------------------------------------ weights
    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise TypeError(f"Layer '{self.name}' (MultiHeadAttention): missing the `value` "
                            f"argument (for self-attention pass the same tensor twice)")
        if not self.built:
            key_shape = None if key is None else _shape_of(key)
            self.build(_shape_of(query), _shape_of(value), key_shape)
            self.built = True
        outputs = super().__call__(query, value, key, **kwargs)
        query_mask = kwargs.get("query_mask")
        query_mask = _mask_of(query) if query_mask is None else query_mask
        if query_mask is not None:  # the output keeps the query's mask, as in Keras
            first = outputs[0] if isinstance(outputs, tuple) else outputs
            first._mask = Tensor(np.asarray(getattr(query_mask, "data", query_mask), bool))
        return outputs

    def _check_rank(self, what: str, shape) -> None:
        if len(shape) != 3:
            raise ValueError(f"Layer '{self.name}' (MultiHeadAttention): expected {what} of "
                             f"rank 3 (batch, time, features), got shape {tuple(shape)}")

    def build(self, query_shape, value_shape=None, key_shape=None):
        value_shape = query_shape if value_shape is None else value_shape
        key_shape = value_shape if key_shape is None else key_shape
        for what, shape in (("query", query_shape), ("value", value_shape),
                            ("key", key_shape)):
            self._check_rank(what, shape)
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(f"Layer '{self.name}' (MultiHeadAttention): value and key must "
                             f"have the same length, got shapes {tuple(value_shape)} and "
                             f"{tuple(key_shape)}")
        heads, key_dim, value_dim = self.num_heads, self.key_dim, self.value_dim
        out_shape = self._output_shape or (query_shape[-1],)
        self._dims = (query_shape[-1], key_shape[-1], value_shape[-1])
        projections = (("query", query_shape[-1], key_dim), ("key", key_shape[-1], key_dim),
                       ("value", value_shape[-1], value_dim))
        for name, dim, head_dim in projections:
            kernel = self.add_weight(f"{name}/kernel", (dim, heads, head_dim),
                                     self.kernel_initializer,
                                     regularizer=self.kernel_regularizer)
            bias = (self.add_weight(f"{name}/bias", (heads, head_dim), self.bias_initializer,
                                    regularizer=self.bias_regularizer)
                    if self.use_bias else None)
            setattr(self, f"_{name}_kernel", kernel)
            setattr(self, f"_{name}_bias", bias)
        self._output_kernel = self.add_weight("attention_output/kernel",
                                              (heads, value_dim) + tuple(out_shape),
                                              self.kernel_initializer,
                                              regularizer=self.kernel_regularizer)
        self._output_bias = (self.add_weight("attention_output/bias", tuple(out_shape),
                                             self.bias_initializer,
                                             regularizer=self.bias_regularizer)
                             if self.use_bias else None)
        self._out_shape = tuple(out_shape)
        self.input_spec = InputSpec(ndim=3, axes={-1: query_shape[-1]})

    def _expected_shape_hint(self) -> str:
        return " (query, value and key are (batch, time, features))"

    # ------------------------------------------------------------ computation
    def _project(self, x, kernel, bias, head_dim):
        """(B, T, dim) -> (B, heads, T, head_dim): one matrix product for all heads."""
        batch, steps, dim = x.shape
        flat = ops.matmul(x, ops.reshape(kernel, (dim, self.num_heads * head_dim)))
        if bias is not None:
            flat = flat + ops.reshape(bias, (self.num_heads * head_dim,))
        heads = ops.reshape(flat, (batch, steps, self.num_heads, head_dim))  # (B, T, h, d)
        return ops.transpose(heads, (0, 2, 1, 3))  # (B, h, T, d)

    def _attention_mask(self, query, value, query_mask, value_mask, key_mask,
                        attention_mask, use_causal_mask):
        """Keras' merged boolean mask (B or 1, T, S), or None."""
        merged = None
        if query_mask is not None:
            merged = np.asarray(getattr(query_mask, "data", query_mask), bool)[:, :, None]
        for mask in (value_mask, key_mask):
            if mask is not None:
                mask = np.asarray(getattr(mask, "data", mask), bool)[:, None, :]
                merged = mask if merged is None else merged & mask
        steps_q, steps_v = query.shape[1], value.shape[1]
        if use_causal_mask:
            causal = np.tril(np.ones((steps_q, steps_v), dtype=bool))[None]  # (1, T, S)
            merged = causal if merged is None else merged & causal
        if attention_mask is not None:
            given = np.asarray(getattr(attention_mask, "data", attention_mask)).astype(bool)
            scores = (query.shape[0], steps_q, steps_v)
            try:
                if np.broadcast_shapes(given.shape, scores) != scores:
                    raise ValueError
            except ValueError:
                raise ValueError(
                    f"Layer '{self.name}' (MultiHeadAttention): attention_mask of shape "
                    f"{given.shape} does not broadcast to (batch, query steps, value steps) "
                    f"= {scores}") from None
            merged = given if merged is None else given & merged
        if merged is not None and merged.ndim < 3:
            merged = merged.reshape((1,) * (3 - merged.ndim) + merged.shape)
        return merged

    def _dropout_mask(self, shape, dtype):
        rng = self._generator or generator()
        keep = rng.random(shape, dtype=np.float32) >= self.dropout
        return keep * np.asarray(1 / (1 - self.dropout), dtype)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=False,
             use_causal_mask=False):
        value = self._to_tensor(value)
        key = value if key is None else self._to_tensor(key)
        self._check_rank("value", value.shape)
        self._check_rank("key", key.shape)
        dims = (query.shape[-1], key.shape[-1], value.shape[-1])
        if dims != self._dims or key.shape[1] != value.shape[1]:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention): built for query, key and value "
                f"features {self._dims}, got query {query.shape}, key {key.shape} and value "
                f"{value.shape}")
        query_mask = _mask_of(query) if query_mask is None else query_mask
        value_mask = _mask_of(value) if value_mask is None else value_mask
        if key_mask is None and key is not value:
            key_mask = _mask_of(key)
        mask = self._attention_mask(query, value, query_mask, value_mask, key_mask,
                                    attention_mask, use_causal_mask)
        mask = None if mask is None else mask[:, None]  # (B, 1, T, S): all heads

        q = self._project(query, self._query_kernel, self._query_bias, self.key_dim)
        k = self._project(key, self._key_kernel, self._key_bias, self.key_dim)
        v = self._project(value, self._value_kernel, self._value_bias, self.value_dim)
        scale = 1.0 / math.sqrt(self.key_dim)
        batch, steps_q, steps_v = query.shape[0], query.shape[1], value.shape[1]
        scores_shape = (batch, self.num_heads, steps_q, steps_v)
        dropout = (self._dropout_mask(scores_shape, query.dtype)
                   if training and self.dropout > 0 else None)
        if return_attention_scores:
            probs = attention_probabilities_composite(q, k, mask, scale)  # (B, h, T, S)
            dropped = probs if dropout is None else probs * Tensor(dropout)
            heads = ops.matmul(dropped, v)
        else:
            heads = scaled_dot_product_attention(q, k, v, mask, scale, dropout)  # (B,h,T,dv)
        heads = ops.transpose(heads, (0, 2, 1, 3))  # (B, T, h, dv)
        heads = ops.reshape(heads, (batch, steps_q, self.num_heads * self.value_dim))
        out_size = int(np.prod(self._out_shape))
        kernel = ops.reshape(self._output_kernel, (self.num_heads * self.value_dim, out_size))
        output = ops.matmul(heads, kernel)  # (B, T, out)
        if self._output_bias is not None:
            output = output + ops.reshape(self._output_bias, (out_size,))
        if self._out_shape != (out_size,):
            output = ops.reshape(output, (batch, steps_q) + self._out_shape)
        if return_attention_scores:
            return output, probs
        return output

    def compute_mask(self, inputs, mask=None):
        return mask

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        out_shape = self._output_shape or (query_shape[-1],)
        return tuple(query_shape[:-1]) + tuple(out_shape)

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "value_dim": self.value_dim, "dropout": self.dropout,
                "use_bias": self.use_bias,
                "output_shape": list(self._output_shape) if self._output_shape else None,
                "attention_axes": self.attention_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "seed": self.seed}
