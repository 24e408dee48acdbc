import numpy as np


def attention(q, k, v, mask=None):
    """Scaled dot-product attention (Vaswani et al. 2017), batched over leading axes.

        scores  = q kᵀ / sqrt(d)                       (..., T, S)
        scores  = where(mask, scores, -1e9)            masked pairs: a very negative score
        weights = softmax(scores) over the last axis   (each query's weights sum to 1)
        out     = weights v                            (..., T, dv)

    q: (..., T, d); k: (..., S, d); v: (..., S, dv); mask: None or booleans broadcastable
    to (..., T, S), True where query t may attend to key s. Masked pairs get a weight of
    exactly 0; a query with no allowed key gets uniform weights 1 / S (as Keras and dlpath:
    -1e9 everywhere, not -inf, which would give nan). The softmax subtracts each row's
    maximum first, so large scores do not overflow.
    Returns the tuple (out, weights) in the dtype of q.
    """
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    weights = (e / e.sum(axis=-1, keepdims=True)).astype(q.dtype)
    return weights @ v, weights
