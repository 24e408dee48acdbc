"""Scaled dot-product attention (Vaswani et al. 2017), fused and composed from primitives.

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V

over the last two axes, batched over the leading ones (batch, heads). A boolean mask
(1 = attend) sets the scores of masked pairs to a large negative number before the
softmax, so their probabilities are 0 (a query with nothing to attend to gets a uniform
row, as in Keras). Dropout, when training, multiplies the probabilities by a given
dropout mask (0 or 1 / (1 - rate)).

`ScaledDotProductAttention` is the fused primitive: one pass of matrix products and an
in-place softmax forward, and a hand-written backward. `scaled_dot_product_attention_composite`
builds the same graph from primitive ops; the tests check that both agree.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.engine.activations import softmax_composite
from dlpath.engine.function import Function
from dlpath.engine.ops import matmul, transpose, where
from dlpath.engine.ops._coerce import to_tensor

MASKED_SCORE = -1e9  # Keras' large negative number for masked attention scores (float32)


_BLOCK_BYTES = 1 << 20  # scores per block of work: small enough to stay in a core's cache


def _blocks(count: int, item_bytes: int) -> list:
    """Slices of ``range(count)`` holding about `_BLOCK_BYTES` of scores each."""
    per = max(1, _BLOCK_BYTES // max(item_bytes, 1))
    return [slice(start, min(start + per, count)) for start in range(0, count, per)]


def _empty_in_layout_of(like: np.ndarray, shape: tuple) -> np.ndarray:
    """An empty array of ``shape`` whose axes lie in memory in the order of ``like``'s.

    Multi-head attention hands in (B, h, T, d) views of (B, T, h, d) arrays; results laid
    out the same way turn the caller's transpose back and reshape into free views.
    """
    order = sorted(range(like.ndim), key=lambda axis: -like.strides[axis])
    if order == list(range(like.ndim)):
        return np.empty(shape, like.dtype)
    stored = np.empty([shape[axis] for axis in order], like.dtype)
    return np.transpose(stored, np.argsort(order))


def _take(a, block):
    """The rows ``block`` of ``a`` along its first axis (all of ``a`` if that is broadcast)."""
    return a if a is None or a.shape[0] == 1 else a[block]


class ScaledDotProductAttention(Function):
    """O = P' V with P' = P * D, P = softmax_rows(S), S = c Q K^T (masked entries -> -1e9).

    Q: (..., T, d), K: (..., S, d), V: (..., S, d_v), c the scale, D the dropout multipliers
    (all 1 without dropout). Backward:

        dV = P'^T dO
        dP = (dO V^T) * D
        dS = P * (dP - rowsum(dP * P)),  where rowsum(dP * P) = rowsum(dO * O)
             (the identity FlashAttention uses, Dao et al. 2022: no (T, S) product needed)
        dQ = c dS K,   dK = c dS^T Q

    Masked entries of S are constants, so dS is 0 there (this matters only for a fully
    masked row, whose probabilities are uniform rather than 0).

    Both passes run block by block over the first axis (the batch), so that each block's
    (T, S) scores stay in cache while the softmax makes its passes over them.
    """

    def forward(self, q, k, v, scale, mask, dropout):
        self.squeezed = q.ndim == 2  # no batch axis: give it one of size 1
        if self.squeezed:
            q, k, v = q[None], k[None], v[None]
        lead = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
        steps_q, steps_k = q.shape[-2], k.shape[-2]
        rank = len(lead) + 2
        if mask is not None:
            mask = mask.reshape((1,) * (rank - mask.ndim) + mask.shape)
        if dropout is not None:
            dropout = dropout.reshape((1,) * (rank - dropout.ndim) + dropout.shape)
        self.q_scaled = q * np.asarray(scale, q.dtype)  # (..., T, d)
        self.k, self.v, self.scale, self.dropout = k, v, scale, dropout
        self.masked_out = None
        if mask is not None:
            self.masked_out = np.logical_not(mask)
        self.probs = np.empty(lead + (steps_q, steps_k), q.dtype)  # (..., T, S)
        self.out = _empty_in_layout_of(q, lead + (steps_q, v.shape[-1]))  # (..., T, d_v)
        self.blocks = _blocks(lead[0], self.probs[0].nbytes)
        for block in self.blocks:
            self._forward_block(block)
        if mask is not None and np.all(np.any(mask, axis=-1)):
            self.masked_out = None  # no fully masked row: nothing to cut in backward
        return self.out[0] if self.squeezed else self.out

    def _forward_block(self, block):
        scores = self.probs[block]
        np.matmul(_take(self.q_scaled, block), np.swapaxes(_take(self.k, block), -1, -2),
                  out=scores)
        if self.masked_out is not None:
            np.copyto(scores, np.asarray(MASKED_SCORE, scores.dtype),
                      where=_take(self.masked_out, block))
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        total = scores.sum(axis=-1, keepdims=True)
        np.reciprocal(total, out=total)
        scores *= total
        dropout = _take(self.dropout, block)
        dropped = scores if dropout is None else scores * dropout
        np.matmul(dropped, _take(self.v, block), out=self.out[block])

    def backward(self, grad):
        if self.squeezed:
            grad = grad[None]
        self.grad = grad
        lead = self.probs.shape[:-2]  # gradients in the broadcast batch shape
        self.grads = [_empty_in_layout_of(a, lead + a.shape[-2:]) if needed else None
                      for a, needed in zip((self.q_scaled, self.k, self.v), self.needs_grad)]
        for block in self.blocks:
            self._backward_block(block)
        grads, self.grads, self.grad = self.grads, None, None
        if self.squeezed:
            grads = [None if g is None else g[0] for g in grads]
        return tuple(grads)

    def _backward_block(self, block):
        grad_q, grad_k, grad_v = self.grads
        probs, grad = self.probs[block], _take(self.grad, block)
        dropout = _take(self.dropout, block)
        if grad_v is not None:
            dropped = probs if dropout is None else probs * dropout
            np.matmul(np.swapaxes(dropped, -1, -2), grad, out=grad_v[block])
        if grad_q is None and grad_k is None:
            return
        d_scores = np.matmul(grad, np.swapaxes(_take(self.v, block), -1, -2))  # dP'
        if dropout is not None:
            d_scores *= dropout
        row = np.einsum("...i,...i->...", grad, self.out[block])[..., None]  # (..., T, 1)
        d_scores -= row
        d_scores *= probs  # dS
        if self.masked_out is not None:
            np.copyto(d_scores, np.zeros((), d_scores.dtype),
                      where=_take(self.masked_out, block))
        if grad_q is not None:
            np.matmul(d_scores, _take(self.k, block), out=grad_q[block])
            grad_q[block] *= np.asarray(self.scale, grad_q.dtype)
        if grad_k is not None:
            np.matmul(np.swapaxes(d_scores, -1, -2), _take(self.q_scaled, block),
                      out=grad_k[block])


def _check_shapes(name, query, key, value, mask):
    if query.ndim < 2 or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(f"{name}: query, key and value must have the same rank >= 2, got "
                         f"shapes {query.shape}, {key.shape} and {value.shape}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(
            f"{name}: expected query (..., T, d), key (..., S, d) and value (..., S, d_v), "
            f"got shapes {query.shape}, {key.shape} and {value.shape}")
    scores_shape = np.broadcast_shapes(query.shape[:-1], key.shape[:-1][:-1] + (1,))
    scores_shape = scores_shape + (key.shape[-2],)
    if mask is not None:
        try:
            if np.broadcast_shapes(mask.shape, scores_shape) != scores_shape:
                raise ValueError
        except ValueError:
            raise ValueError(f"{name}: mask of shape {mask.shape} does not broadcast to the "
                             f"scores' shape {scores_shape}") from None
    return scores_shape


def _mask_array(mask):
    if mask is None:
        return None
    return np.asarray(getattr(mask, "data", mask)).astype(bool, copy=False)


def scaled_dot_product_attention(query, key, value, mask=None, scale=None,
                                 dropout_mask=None):
    """softmax(scale Q K^T, masked) V  (fused); ``scale`` defaults to 1 / sqrt(d).

    Args:
        query: (..., T, d); key: (..., S, d); value: (..., S, d_v) Tensors.
        mask: optional boolean array broadcastable to (..., T, S), 1 = attend.
        scale: the factor of the scores (default 1 / sqrt(d)).
        dropout_mask: optional array of the scores' shape multiplying the probabilities.
    """
    query, key, value = to_tensor(query), to_tensor(key), to_tensor(value)
    mask = _mask_array(mask)
    _check_shapes("scaled_dot_product_attention", query, key, value, mask)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    if dropout_mask is not None:
        dropout_mask = np.asarray(getattr(dropout_mask, "data", dropout_mask), query.dtype)
    return ScaledDotProductAttention.apply(query, key, value, scale=scale, mask=mask,
                                           dropout=dropout_mask)


def attention_probabilities_composite(query, key, mask=None, scale=None):
    """softmax(scale Q K^T) with masked scores set to -1e9, from primitive ops: (..., T, S)."""
    query, key = to_tensor(query), to_tensor(key)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    last_two_swapped = tuple(range(key.ndim - 2)) + (key.ndim - 1, key.ndim - 2)
    scores = matmul(query * scale, transpose(key, last_two_swapped))  # (..., T, S)
    mask = _mask_array(mask)
    if mask is not None:
        scores = where(mask, scores, MASKED_SCORE)
    return softmax_composite(scores, axis=-1)


def scaled_dot_product_attention_composite(query, key, value, mask=None, scale=None,
                                           dropout_mask=None):
    """`scaled_dot_product_attention` from primitive ops (the reference)."""
    query, key, value = to_tensor(query), to_tensor(key), to_tensor(value)
    _check_shapes("scaled_dot_product_attention", query, key, value, _mask_array(mask))
    probs = attention_probabilities_composite(query, key, mask, scale)
    if dropout_mask is not None:
        probs = probs * np.asarray(getattr(dropout_mask, "data", dropout_mask), query.dtype)
    return matmul(probs, value)  # (..., T, d_v)
