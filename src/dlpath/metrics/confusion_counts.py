"""Weighted confusion-matrix counts at a list of thresholds (Keras' confusion bookkeeping).

For thresholds t_0 < ... < t_{T-1}, labels y (cast to bool) and predictions p:

    TP(t) = sum_i w_i [y_i and p_i > t]        FP(t) = sum_i w_i [not y_i and p_i > t]
    FN(t) = sum_i w_i [y_i and p_i <= t]       TN(t) = sum_i w_i [not y_i and p_i <= t]

A prediction is positive when it is strictly above the threshold. Unless ``multi_label``,
every entry of y_pred (all samples, all labels) is one data point and the counts have shape
(T,); with ``multi_label`` each label (column) keeps its own counts, shape (T, L).

Evenly spaced thresholds (t_j = j / (T - 1), the AUC default) take Keras' bucket route:
p lands in bucket ceil(p (T - 1)) - 1 (p clipped to [0, 1]; bucket -1, p = 0, is dropped, or
moved to bucket 0 when the end thresholds are -eps and 1 + eps), and TP(t_j) is the sum over
buckets >= j: O(N + T) instead of O(N T), with the same counts.
"""

from __future__ import annotations

import numpy as np

from dlpath.losses import squeeze_or_expand_to_same_rank
from dlpath.metrics.base import to_array

NEG_INF = -1e10  # the threshold used with top_k: every kept prediction is above it
EPSILON = 1e-7  # Keras' backend epsilon, padding AUC's end thresholds


def parse_thresholds(owner: str, thresholds, default: float) -> list:
    """The thresholds as a list of floats in [0, 1] (``default`` when None)."""
    if thresholds is None:
        return [float(default)]
    values = list(np.atleast_1d(np.asarray(thresholds, dtype=object)))
    invalid = [t for t in values if t is None or not 0.0 <= float(t) <= 1.0]
    if invalid:
        raise ValueError(f"{owner}: thresholds must lie in [0, 1], got {invalid}")
    return [float(t) for t in values]


def is_evenly_distributed(thresholds) -> bool:
    """Whether the thresholds are j / (T - 1) for j = 0..T-1 (within Keras' epsilon)."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=EPSILON))


def filter_top_k(y_pred: np.ndarray, k: int) -> np.ndarray:
    """Keep the k largest entries of the last axis (lower index first on ties), others NEG_INF."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, np.asarray(NEG_INF, dtype=y_pred.dtype))


def _prepared(owner, y_true, y_pred, sample_weight, top_k, class_id, dtype):
    """Labels, predictions and per-entry weights of one shape, after top_k and class_id."""
    y_true, y_pred = to_array(y_true, dtype), to_array(y_pred, dtype)
    original = (y_true.shape, y_pred.shape)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{owner}: y_true has shape {original[0]} but y_pred has shape "
                         f"{original[1]}; they must be equal")
    weights = None
    if sample_weight is not None:
        weights = to_array(sample_weight, dtype)[..., None]
        _, weights = squeeze_or_expand_to_same_rank(y_true, weights, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2 or not 0 <= class_id < y_pred.shape[-1]:
            raise ValueError(f"{owner}: class_id={class_id} needs y_pred of shape "
                             f"(n, num_classes) with class_id < num_classes, got {y_pred.shape}")
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]
    if weights is None:
        return y_true, y_pred, np.ones(y_pred.shape, dtype)
    try:
        return y_true, y_pred, np.broadcast_to(weights, y_pred.shape)
    except ValueError:
        raise ValueError(f"{owner}: sample_weight of shape {np.shape(sample_weight)} cannot be "
                         f"broadcast to y_pred of shape {y_pred.shape}") from None


def _compare_counts(labels, y_pred, weights, thresholds, dtype):
    """TP and FP per threshold by comparing every prediction with every threshold."""
    thresholds = np.asarray(thresholds, dtype=dtype)
    positive = y_pred[None] > thresholds.reshape((-1,) + (1,) * y_pred.ndim)  # (T, N[, L])
    true_w = (labels * weights).astype(np.float64)
    false_w = (~labels * weights).astype(np.float64)
    positive = positive.astype(np.float64)
    tp = np.einsum("tn...,n...->t...", positive, true_w)  # (T[, L])
    fp = np.einsum("tn...,n...->t...", positive, false_w)
    return tp, fp


def _bucket_counts(labels, y_pred, weights, num_thresholds, with_epsilon):
    """TP and FP per threshold for evenly spaced thresholds, by buckets and a reverse cumsum."""
    y_pred = np.clip(y_pred, 0.0, 1.0)
    buckets = np.ceil(y_pred * y_pred.dtype.type(num_thresholds - 1)) - 1
    if with_epsilon:
        buckets = np.maximum(buckets, 0)
    buckets = buckets.astype(np.int64)
    columns = 1 if y_pred.ndim == 1 else y_pred.shape[1]
    flat = (buckets + num_thresholds * np.arange(columns)).reshape(-1) if y_pred.ndim > 1 \
        else buckets
    valid = (buckets >= 0).reshape(-1)
    size = num_thresholds * columns

    def cumulative(values):
        kept = values.reshape(-1)[valid].astype(np.float64)
        per_bucket = np.bincount(flat[valid], weights=kept, minlength=size)
        per_bucket = per_bucket.reshape(columns, num_thresholds)
        counts = np.cumsum(per_bucket[:, ::-1], axis=1)[:, ::-1].T  # (T, columns)
        return counts if y_pred.ndim > 1 else counts[:, 0]

    return cumulative(labels * weights), cumulative(~labels * weights)


def confusion_counts(owner: str, y_true, y_pred, thresholds, *, sample_weight=None, top_k=None,
                     class_id=None, multi_label: bool = False, label_weights=None,
                     evenly_distributed: bool = False, dtype="float32"):
    """(TP, FP, TN, FN), each of shape (T,) or (T, L) with ``multi_label``; see the module."""
    y_true, y_pred, weights = _prepared(owner, y_true, y_pred, sample_weight, top_k, class_id,
                                        dtype)
    if label_weights is not None:
        weights = weights * np.broadcast_to(np.asarray(label_weights, dtype), y_pred.shape)
    labels = y_true.astype(bool)
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(f"{owner}: multi_label needs y_pred of rank 2 (samples, labels), "
                             f"got shape {y_pred.shape}")
    else:
        labels, y_pred, weights = labels.reshape(-1), y_pred.reshape(-1), weights.reshape(-1)
    if evenly_distributed:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        tp, fp = _bucket_counts(labels, y_pred, weights, len(thresholds), with_epsilon)
    else:
        tp, fp = _compare_counts(labels, y_pred, weights, thresholds, dtype)
    total_true = (labels * weights).sum(axis=0, dtype=np.float64)
    total_false = (~labels * weights).sum(axis=0, dtype=np.float64)
    return tp, fp, total_false - fp, total_true - tp
