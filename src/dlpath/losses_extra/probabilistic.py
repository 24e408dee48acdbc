"""Losses between distributions or counts: Kullback-Leibler divergence and Poisson.

    kl_divergence:  sum over the last axis of y log(y / p), y and p clipped to [eps, 1]
    poisson:        mean over the last axis of p - y log(p + eps)
    categorical_generalized_cross_entropy:  (1 - p_y^q) / q, y an integer label

(eps = 1e-7, Keras' backend epsilon.) The generalized cross-entropy (Zhang & Sabuncu 2018,
"Generalized Cross Entropy Loss for Training Deep Neural Networks with Noisy Labels") tends to
the cross-entropy -log p_y as q -> 0 and to the MAE-like 1 - p_y at q = 1; p_y is floored at
eps so that its gradient q p_y^(q - 1) stays finite.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.losses import EPSILON
from dlpath.engine.ops import clip, log, mean, sum as reduce_sum, take_along_axis
from dlpath.losses import LossFunctionWrapper, _as_prediction, _labels_of
from dlpath.losses_extra._shapes import aligned_pair


def kl_divergence(y_true, y_pred):
    """KL(y || p) = sum_c y_c log(y_c / p_c) over the last axis, both clipped to [eps, 1]."""
    y_true, y_pred = aligned_pair("kl_divergence", y_true, y_pred)
    y_true = clip(y_true, EPSILON, 1.0)
    y_pred = clip(y_pred, EPSILON, 1.0)
    return reduce_sum(y_true * (log(y_true) - log(y_pred)), axis=-1)


def poisson(y_true, y_pred):
    """mean over the last axis of p - y log(p + eps): the Poisson negative log-likelihood
    of counts y under rates p, without the log(y!) term."""
    y_true, y_pred = aligned_pair("poisson", y_true, y_pred)
    return mean(y_pred - y_true * log(y_pred + EPSILON), axis=-1)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """(1 - p_y^q) / q per sample: integer labels y of shape (n,) or (n, 1), probabilities
    y_pred of shape (n, classes), q in (0, 1)."""
    y_pred = _as_prediction(y_pred)
    labels = _labels_of(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    owner = "categorical_generalized_cross_entropy"
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"{owner}: labels have shape {labels.shape}, expected "
                         f"{y_pred.shape[:-1]} (one class index per row of y_pred, shape "
                         f"{y_pred.shape})")
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        raise ValueError(f"{owner}: labels must be class indices (whole numbers)")
    labels = labels.astype(np.int64)
    classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"{owner}: labels must lie in [0, {classes - 1}], got values from "
                         f"{labels.min()} to {labels.max()}")
    picked = take_along_axis(y_pred, labels[..., None], axis=-1)[..., 0]
    return (1.0 - clip(picked, EPSILON, None) ** q) / q


kld = KLD = kullback_leibler_divergence = kl_divergence


class KLDivergence(LossFunctionWrapper):
    """sum_c y_c log(y_c / p_c) per sample (see `kl_divergence`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """mean(p - y log(p + eps)) per sample (see `poisson`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """(1 - p_y^q) / q per sample (see `categorical_generalized_cross_entropy`), reduced.

    Args:
        q: in (0, 1) (default 0.5): towards 0 the cross-entropy, towards 1 noise-robust.
    """

    _integer_targets = True

    def __init__(self, q: float = 0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: q must lie in (0, 1), got "
                             f"{q!r}")
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction,
                         name=name, dtype=dtype, q=float(q))
        self.q = float(q)
