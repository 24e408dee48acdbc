"""Losses between distributions or counts: Kullback-Leibler divergence and Poisson.

    kl_divergence:  sum over the last axis of y log(y / p), y and p clipped to [eps, 1]
    poisson:        mean over the last axis of p - y log(p + eps)

(eps = 1e-7, Keras' backend epsilon.)
"""

from __future__ import annotations

from dlpath.engine.losses import EPSILON
from dlpath.engine.ops import clip, log, mean, sum as reduce_sum
from dlpath.losses import LossFunctionWrapper
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


kld = KLD = kullback_leibler_divergence = kl_divergence


class KLDivergence(LossFunctionWrapper):
    """sum_c y_c log(y_c / p_c) per sample (see `kl_divergence`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """mean(p - y log(p + eps)) per sample (see `poisson`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
