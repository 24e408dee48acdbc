"""Overlap losses for segmentation masks, summed over ``axis`` (None: every axis at once):

    dice:     1 - 2 sum(y p) / (sum y + sum p + eps)
    tversky:  1 - TP / (TP + alpha FP + beta FN + eps)

with TP = sum(y p), and, as Keras names them, FP = sum((1 - p) y), FN = sum(p (1 - y))
(Salehi, Erdogmus & Gholipour 2017). alpha = beta = 1/2 gives the Dice loss. eps = 1e-7.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.losses import EPSILON
from dlpath.engine.ops import sum as reduce_sum
from dlpath.losses import LossFunctionWrapper
from dlpath.losses_extra._shapes import aligned_pair


def _axis(owner: str, axis):
    if axis is None:
        return None
    entries = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in entries):
        raise ValueError(f"{owner}: axis must be None, an int or a tuple of ints, got {axis!r}")
    return tuple(int(a) for a in entries) if isinstance(axis, (list, tuple)) else int(axis)


def dice(y_true, y_pred, axis=None):
    """1 - 2 sum(y p) / (sum y + sum p + eps), the sums over ``axis``."""
    axis = _axis("dice", axis)
    y_true, y_pred = aligned_pair("dice", y_true, y_pred)
    overlap = reduce_sum(y_true * y_pred, axis=axis)
    total = reduce_sum(y_true, axis=axis) + reduce_sum(y_pred, axis=axis)
    return 1.0 - 2.0 * overlap / (total + EPSILON)


def tversky(y_true, y_pred, alpha: float = 0.5, beta: float = 0.5, axis=None):
    """1 - TP / (TP + alpha FP + beta FN + eps), the counts summed over ``axis``."""
    axis = _axis("tversky", axis)
    y_true, y_pred = aligned_pair("tversky", y_true, y_pred)
    true_positive = reduce_sum(y_true * y_pred, axis=axis)
    false_positive = reduce_sum((1.0 - y_pred) * y_true, axis=axis)
    false_negative = reduce_sum(y_pred * (1.0 - y_true), axis=axis)
    denominator = true_positive + alpha * false_positive + beta * false_negative + EPSILON
    return 1.0 - true_positive / denominator


class Dice(LossFunctionWrapper):
    """The Dice loss (see `dice`); with axis=None one value for the whole batch."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        axis = _axis("Dice", axis)
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(LossFunctionWrapper):
    """The Tversky loss (see `tversky`): alpha weighs FP, beta weighs FN."""

    def __init__(self, alpha: float = 0.5, beta: float = 0.5, reduction="sum_over_batch_size",
                 name="tversky", axis=None, dtype=None):
        axis = _axis("Tversky", axis)
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype,
                         alpha=float(alpha), beta=float(beta), axis=axis)
        self.alpha, self.beta, self.axis = float(alpha), float(beta), axis
