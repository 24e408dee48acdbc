"""`Attention` (Luong et al. 2015, dot-product) and `AdditiveAttention` (Bahdanau et al.
2015), with Keras' arguments, weights and masks.

Both take ``[query, value]`` or ``[query, value, key]`` (key defaults to value): query
(B, T, d), value (B, S, d_v), key (B, S, d). From the scores s (B, T, S):

    p = softmax_S(s - 1e9 [masked]),   output = p value              (B, T, d_v)

masked pairs are the value steps left out by the value mask (B, S) and, with
``use_causal_mask=True``, the steps j > i; query steps left out by the query mask get
output 0 (and the output carries the query's mask). While training, dropout multiplies p.

    Attention, 'dot':       s = scale * query key^T          (scale a weight if use_scale)
    Attention, 'concat':    s = w * sum_d tanh(scale * (q_i + k_j))   (w: concat_score_weight)
    AdditiveAttention:      s = sum_d scale_d tanh(q_i + k_j)  (scale (d,) if use_scale)
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.engine.attention import MASKED_SCORE
from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.random import generator


def _as_mask(mask):
    return None if mask is None else np.asarray(getattr(mask, "data", mask)).astype(bool)


class BaseDenseAttention(Layer):
    """What Attention and AdditiveAttention share: inputs, masks, softmax, dropout;
    subclasses write ``scores(query, key)``."""

    supports_masking = True

    def __init__(self, dropout: float = 0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.dropout = arguments.rate(dropout, "dropout", type(self).__name__)
        self.seed = seed
        self._generator = generator(seed) if seed is not None else None

    def _fail(self, message: str):
        return ValueError(f"Layer '{self.name}' ({type(self).__name__}): {message}")

    def _split(self, inputs):
        """(query, value, key) from [query, value] or [query, value, key], checked."""
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise self._fail("inputs must be a list [query, value] or [query, value, key], "
                             f"got {type(inputs).__name__}"
                             + (f" of length {len(inputs)}"
                                if isinstance(inputs, (list, tuple)) else ""))
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) == 3 else value
        for what, tensor in (("query", query), ("value", value), ("key", key)):
            if len(tensor.shape) != 3:
                raise self._fail(f"expected {what} of rank 3 (batch, steps, features), got "
                                 f"shape {tuple(tensor.shape)}")
        if key.shape[:2] != value.shape[:2] or query.shape[0] != value.shape[0]:
            raise self._fail(f"query {tuple(query.shape)}, value {tuple(value.shape)} and key "
                             f"{tuple(key.shape)} must share the batch, and value and key "
                             f"the steps")
        if query.shape[-1] != key.shape[-1]:
            raise self._fail(f"query and key must have the same features, got shapes "
                             f"{tuple(query.shape)} and {tuple(key.shape)}")
        return query, value, key

    def build(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) not in (2, 3):
            raise self._fail("inputs must be a list [query, value] or [query, value, key], "
                             f"got shape {input_shape}")

    def _score_mask(self, query, value, mask, use_causal_mask):
        """The boolean mask (B or 1, T or 1, S) of the pairs that may attend, or None."""
        value_mask = _as_mask(mask[1]) if mask is not None and len(mask) > 1 else None
        allowed = None
        if value_mask is not None:
            if value_mask.shape != value.shape[:2]:
                raise self._fail(f"the value mask has shape {value_mask.shape}, expected "
                                 f"(batch, value steps) = {value.shape[:2]}")
            allowed = value_mask[:, None, :]  # (B, 1, S)
        if use_causal_mask:
            causal = np.tril(np.ones((query.shape[1], value.shape[1]), bool))[None]
            allowed = causal if allowed is None else allowed & causal  # (B, T, S)
        return allowed

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        query, value, key = self._split(inputs)
        if mask is not None and not isinstance(mask, (list, tuple)):
            raise self._fail("mask must be a list [query_mask, value_mask(, key_mask)]")
        scores = self.scores(query, key)  # (B, T, S)
        allowed = self._score_mask(query, value, mask, use_causal_mask)
        if allowed is not None:
            scores = scores + Tensor(np.where(allowed, 0.0, MASKED_SCORE), dtype=scores.dtype)
        weights = scores.softmax(axis=-1)  # (B, T, S)
        dropped = weights
        if training and self.dropout > 0:
            rng = self._generator or generator()
            keep = rng.random(weights.shape) >= self.dropout
            dropped = weights * Tensor(keep / (1 - self.dropout), dtype=weights.dtype)
        output = ops.matmul(dropped, value)  # (B, T, d_v)
        query_mask = _as_mask(mask[0]) if mask is not None else None
        if query_mask is not None:
            if query_mask.shape != query.shape[:2]:
                raise self._fail(f"the query mask has shape {query_mask.shape}, expected "
                                 f"(batch, query steps) = {query.shape[:2]}")
            output = output * Tensor(query_mask[:, :, None], dtype=output.dtype)
        if return_attention_scores:  # the probabilities after dropout, as Keras returns
            return output, dropped
        return output

    def compute_mask(self, inputs, mask=None):
        if mask is None or not isinstance(mask, (list, tuple)) or mask[0] is None:
            return None
        return Tensor(_as_mask(mask[0]))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def get_config(self):
        return {**super().get_config(), "dropout": self.dropout, "seed": self.seed}


class Attention(BaseDenseAttention):
    """Dot-product attention (Luong et al. 2015, "Effective Approaches to Attention-based
    Neural Machine Translation"). ``use_scale`` adds a learned scalar ``scale`` (init 1);
    ``score_mode='concat'`` scores with tanh of sums and a learned ``concat_score_weight``.
    Call: ``layer([query, value(, key)], mask=[query_mask, value_mask],
    return_attention_scores=False, training=False, use_causal_mask=False)``.
    """

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = bool(use_scale)
        self.score_mode = arguments.choice(score_mode, "score_mode", "Attention",
                                           ("dot", "concat"))

    def build(self, input_shape):
        super().build(input_shape)
        self.scale = (self.add_weight("scale", (), "ones") if self.use_scale else None)
        self.concat_score_weight = (self.add_weight("concat_score_weight", (), "ones")
                                    if self.score_mode == "concat" else None)

    def scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)))  # (B, T, S)
            return scores if self.scale is None else scores * self.scale
        q = ops.reshape(query, (query.shape[0], query.shape[1], 1, query.shape[2]))
        k = ops.reshape(key, (key.shape[0], 1, key.shape[1], key.shape[2]))
        total = q + k  # (B, T, S, d)
        if self.scale is not None:
            total = total * self.scale
        return self.concat_score_weight * total.tanh().sum(axis=-1)

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode}


class AdditiveAttention(BaseDenseAttention):
    """Additive attention (Bahdanau, Cho & Bengio 2015, "Neural Machine Translation by
    Jointly Learning to Align and Translate"): s_ij = sum_d scale_d tanh(q_id + k_jd).
    ``use_scale`` (default True) learns ``scale`` (d,), initialised glorot_uniform."""

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, seed=None, **kwargs):
        super().__init__(dropout=dropout, seed=seed, **kwargs)
        self.use_scale = bool(use_scale)

    def build(self, input_shape):
        super().build(input_shape)
        dim = input_shape[0][-1]
        self.scale = (self.add_weight("scale", (dim,), "glorot_uniform")
                      if self.use_scale else None)

    def scores(self, query, key):
        q = ops.reshape(query, (query.shape[0], query.shape[1], 1, query.shape[2]))
        k = ops.reshape(key, (key.shape[0], 1, key.shape[1], key.shape[2]))
        terms = (q + k).tanh()  # (B, T, S, d)
        if self.scale is not None:
            terms = terms * self.scale
        return terms.sum(axis=-1)

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale}
