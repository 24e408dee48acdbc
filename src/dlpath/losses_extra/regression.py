"""Regression losses beyond MSE/MAE/Huber (e = y_pred - y_true, eps = 1e-7):

    cosine_similarity:               -sum(y / ||y|| * p / ||p||) along ``axis``
    log_cosh:                        mean over the last axis of log(cosh(e))
    mean_absolute_percentage_error:  100 mean over the last axis of |e| / max(|y|, eps)
    mean_squared_logarithmic_error:  mean over the last axis of
                                     (log(max(p, eps) + 1) - log(max(y, eps) + 1))^2

The norm is ||x|| = sqrt(max(sum x^2, 1e-12)) (TensorFlow's ``l2_normalize``), so a zero
vector has similarity 0 rather than NaN.
"""

from __future__ import annotations

import math

from dlpath.engine.activations import softplus
from dlpath.engine.losses import EPSILON
from dlpath.engine.ops import abs as absolute, log, maximum, mean, sqrt, sum as reduce_sum
from dlpath.losses import LossFunctionWrapper
from dlpath.losses_extra._shapes import aligned_pair

_NORM_EPSILON = 1e-12
_LOG_2 = math.log(2.0)


def l2_normalize(x, axis=-1):
    """x / sqrt(max(sum_axis x^2, 1e-12))."""
    squares = reduce_sum(x * x, axis=axis, keepdims=True)
    return x / sqrt(maximum(squares, _NORM_EPSILON))


def cosine_similarity(y_true, y_pred, axis=-1):
    """-cos(y, p) = -sum(y / ||y|| * p / ||p||) along ``axis``: -1 when they point alike."""
    y_true, y_pred = aligned_pair("cosine_similarity", y_true, y_pred)
    return -reduce_sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), axis=axis)


def log_cosh(y_true, y_pred):
    """mean over the last axis of log(cosh(e)), computed as e + softplus(-2 e) - log 2.

    That form never overflows: log cosh e = log((e^e + e^-e) / 2) = e + log(1 + e^-2e) - log 2.
    """
    y_true, y_pred = aligned_pair("log_cosh", y_true, y_pred)
    error = y_pred - y_true
    return mean(error + softplus(-2.0 * error) - _LOG_2, axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 mean over the last axis of |y - p| / max(|y|, eps)."""
    y_true, y_pred = aligned_pair("mean_absolute_percentage_error", y_true, y_pred)
    ratio = absolute((y_true - y_pred) / maximum(absolute(y_true), EPSILON))
    return 100.0 * mean(ratio, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean over the last axis of (log(max(p, eps) + 1) - log(max(y, eps) + 1))^2."""
    y_true, y_pred = aligned_pair("mean_squared_logarithmic_error", y_true, y_pred)
    difference = log(maximum(y_pred, EPSILON) + 1.0) - log(maximum(y_true, EPSILON) + 1.0)
    return mean(difference * difference, axis=-1)


logcosh = log_cosh
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error


class CosineSimilarity(LossFunctionWrapper):
    """-cos(y, p) along ``axis`` per sample (see `cosine_similarity`), reduced over the batch."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)
        self.axis = axis


class LogCosh(LossFunctionWrapper):
    """mean(log cosh(y_pred - y_true)) per sample (see `log_cosh`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """100 mean(|e| / max(|y|, eps)) per sample, reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name,
                         dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """mean((log(p + 1) - log(y + 1))^2) per sample (both floored at eps), then reduced."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name,
                         dtype=dtype)
