"""Correlation metrics between targets and predictions along ``axis`` (Keras 3), each the
running mean over samples of a per-sample coefficient (eps = 1e-7):

    pearson_correlation:      mean_axis(z(y) z(p)),  z(x) = (x - mean x) / (std x + eps)
    concordance_correlation:  mean_axis(2 (y - mean y)(p - mean p)
                                        / (var y + var p + (mean y - mean p)^2 + eps))

Lin's concordance coefficient (Lin 1989) is 1 only when p = y, where Pearson's is 1 for any
increasing linear relation. Computed in NumPy: metrics stay outside the graph.
"""

from __future__ import annotations

import numpy as np

from dlpath.losses import squeeze_or_expand_to_same_rank
from dlpath.metrics.base import MeanMetricWrapper, to_array

EPSILON = 1e-7


def _pair(owner, y_true, y_pred):
    y_pred = to_array(y_pred).astype(np.float64)
    y_true = to_array(y_true).astype(np.float64)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{owner}: y_true has shape {y_true.shape} but y_pred has shape "
                         f"{y_pred.shape}; they must be equal")
    return y_true, y_pred


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson's r along ``axis`` (see the module), one value per sample."""
    y_true, y_pred = _pair("pearson_correlation", y_true, y_pred)
    true_centred = y_true - y_true.mean(axis=axis, keepdims=True)
    pred_centred = y_pred - y_pred.mean(axis=axis, keepdims=True)
    true_z = true_centred / (true_centred.std(axis=axis, keepdims=True) + EPSILON)
    pred_z = pred_centred / (pred_centred.std(axis=axis, keepdims=True) + EPSILON)
    return (true_z * pred_z).mean(axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance coefficient along ``axis`` (see the module), one value per sample."""
    y_true, y_pred = _pair("concordance_correlation", y_true, y_pred)
    true_mean = y_true.mean(axis=axis, keepdims=True)
    pred_mean = y_pred.mean(axis=axis, keepdims=True)
    covariance = (y_true - true_mean) * (y_pred - pred_mean)
    norm = (y_true.var(axis=axis, keepdims=True) + y_pred.var(axis=axis, keepdims=True)
            + (true_mean - pred_mean) ** 2)
    return (2.0 * covariance / (norm + EPSILON)).mean(axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean of `pearson_correlation` over all samples seen."""

    def __init__(self, name: str = "pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean of `concordance_correlation` over all samples seen."""

    def __init__(self, name: str = "concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
