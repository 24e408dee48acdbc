r"""Circle loss (Sun et al. 2020, "Circle Loss: A Unified Perspective of Pair Similarity
Optimization"), as Keras 3 computes it for L2-normalised embeddings ``y_pred`` (n, d) with
integer labels ``y_true`` (n,), against reference embeddings and labels (default: the batch).

With cosine distances d_ij = max(1 - <e_i, r_j>, 0), positives P_i (same label, j != i when
``remove_diagonal``) and negatives N_i (other labels), margin m and scale gamma:

.. math::

    \alpha^p_{ij} = \max(m + d_{ij}, 0), \qquad \alpha^n_{ij} = \max(1 + m - d_{ij}, 0)

    L_i = \operatorname{softplus}\Big(
        \operatorname{logsumexp}_{j \in P_i} \big(-\gamma\, \alpha^p_{ij} (m - d_{ij})\big)
        + \operatorname{logsumexp}_{j \in N_i} \big(\gamma\, \alpha^n_{ij} (1 - m - d_{ij})\big)
    \Big)

An empty P_i or N_i gives logsumexp = -inf, so L_i = 0. Only samples with L_i > 0 count in the
mean over the batch (their mask rides on the result as ``_keras_mask``).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.activations import softplus
from dlpath.engine.ops import exp, log, matmul, maximum, sum as reduce_sum, transpose, where
from dlpath.engine.ops._coerce import to_tensor
from dlpath.losses import LossFunctionWrapper, _as_prediction, _labels_of


def _masked_logsumexp(x, mask: np.ndarray):
    """log sum_{j: mask_ij} exp(x_ij) over axis 1; -inf for a row with no entry."""
    valid = mask.any(axis=1)
    shift = np.where(mask, x.data, -np.inf).max(axis=1, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0.0).astype(x.dtype)  # a constant: no grad
    total = reduce_sum(where(mask, exp(x - shift), 0.0), axis=1)
    safe = where(valid, total, 1.0)
    return where(valid, log(safe) + shift[:, 0], -np.inf)


def _pair_masks(labels: np.ndarray, ref_labels: np.ndarray, remove_diagonal: bool):
    positive = labels.reshape(-1, 1) == ref_labels.reshape(1, -1)
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~np.eye(positive.shape[0], positive.shape[1], dtype=bool)
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal: bool = True,
           gamma: float = 80.0, margin: float = 0.4):
    """The circle loss of each sample, (n,) (see the module)."""
    y_pred = _as_prediction(y_pred)
    if y_pred.ndim != 2:
        raise ValueError(f"circle: y_pred must be embeddings of shape (batch_size, dim), got "
                         f"shape {y_pred.shape}")
    labels = _labels_of(y_true).reshape(-1)
    if labels.shape != (y_pred.shape[0],):
        raise ValueError(f"circle: y_true must hold one integer label per embedding "
                         f"({y_pred.shape[0]},), got shape {_labels_of(y_true).shape}")
    refs = y_pred if ref_embeddings is None else to_tensor(ref_embeddings, like=y_pred)
    ref_labels = labels if ref_labels is None else _labels_of(ref_labels).reshape(-1)
    if refs.ndim != 2 or refs.shape[1] != y_pred.shape[1] or len(ref_labels) != refs.shape[0]:
        raise ValueError(f"circle: ref_embeddings must be (m, {y_pred.shape[1]}) with m "
                         f"ref_labels, got {refs.shape} and {len(ref_labels)} labels")
    distances = maximum(1.0 - matmul(y_pred, transpose(refs, (1, 0))), 0.0)  # (n, m)
    positive, negative = _pair_masks(labels, ref_labels, remove_diagonal)
    pos_weights = maximum(where(positive, margin + distances, 0.0), 0.0)
    neg_weights = maximum(where(negative, 1.0 + margin - distances, 0.0), 0.0)
    pos_terms = -gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * (1.0 - margin - distances)
    losses = softplus(_masked_logsumexp(pos_terms, positive)
                      + _masked_logsumexp(neg_terms, negative))
    losses._keras_mask = losses.data > 0
    return losses


class Circle(LossFunctionWrapper):
    """The circle loss (see `circle`) of a batch of normalised embeddings and their labels.

    Args:
        gamma: the scale (default 80).
        margin: the relaxation margin m (default 0.4).
        remove_diagonal: leave each sample out of its own positives (default True).
    """

    _integer_targets = True

    def __init__(self, gamma: float = 80.0, margin: float = 0.4, remove_diagonal: bool = True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype,
                         gamma=float(gamma), margin=float(margin),
                         remove_diagonal=bool(remove_diagonal))
        self.gamma, self.margin = float(gamma), float(margin)
        self.remove_diagonal = bool(remove_diagonal)
