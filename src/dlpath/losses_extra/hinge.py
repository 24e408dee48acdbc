"""Hinge losses (maximum-margin classification), y_true in {-1, 1} or {0, 1}:

    hinge:              mean over the last axis of max(1 - y p, 0)
    squared_hinge:      mean over the last axis of max(1 - y p, 0)^2
    categorical_hinge:  max(neg - pos + 1, 0), pos = sum_c y_c p_c, neg = max_c (1 - y_c) p_c

For ``hinge`` and ``squared_hinge``, labels that are all 0 or 1 become -1 or 1 first
(y <- 2 y - 1), as Keras does; ``categorical_hinge`` takes one-hot labels as they are.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.ops import max as reduce_max, maximum, mean, sum as reduce_sum
from dlpath.losses import LossFunctionWrapper
from dlpath.losses_extra._shapes import aligned_pair


def _signed_labels(y_true):
    """Labels in {0, 1} become {-1, 1}; any other labels are kept."""
    values = y_true.data
    if np.all((values == 0) | (values == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    """mean over the last axis of max(1 - y p, 0)."""
    y_true, y_pred = aligned_pair("hinge", y_true, y_pred)
    return mean(maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """mean over the last axis of max(1 - y p, 0)^2."""
    y_true, y_pred = aligned_pair("squared_hinge", y_true, y_pred)
    margin = maximum(1.0 - _signed_labels(y_true) * y_pred, 0.0)
    return mean(margin * margin, axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(neg - pos + 1, 0) with pos = sum_c y_c p_c and neg = max_c (1 - y_c) p_c."""
    y_true, y_pred = aligned_pair("categorical_hinge", y_true, y_pred)
    positive = reduce_sum(y_true * y_pred, axis=-1)
    negative = reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return maximum(negative - positive + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    """mean(max(1 - y p, 0)) per sample (see `hinge`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """mean(max(1 - y p, 0)^2) per sample (see `squared_hinge`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """max(neg - pos + 1, 0) per sample (see `categorical_hinge`), reduced over the batch."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
