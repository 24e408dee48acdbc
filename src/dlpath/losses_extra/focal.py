"""Focal cross-entropies (Lin, Goyal, Girshick, He & Dollár 2017, "Focal Loss for Dense
Object Detection"): the cross-entropy of each entry scaled down where it is already small.

Binary, per entry, with p_t = y p + (1 - y)(1 - p) and bce = -(y log p + (1 - y) log(1 - p)):

    (1 - p_t)^gamma bce,  times a_t = y alpha + (1 - y)(1 - alpha) with apply_class_balancing

then the mean over the last axis. Categorical, over the classes c of the last axis, with the
predictions renormalised to sum to 1 and clipped to [eps, 1 - eps]:

    sum_c alpha (1 - p_c)^gamma (-y_c log p_c)

Label smoothing ls first moves the targets: y <- y (1 - ls) + ls / 2 (binary) or ls / K (K
classes). From logits z, p = sigmoid(z) (binary; bce is then the stable softplus(z) - y z) or
p = softmax(z) (categorical).
"""

from __future__ import annotations

from dlpath.engine.activations import Sigmoid, sigmoid, softmax, softplus
from dlpath.engine.losses import EPSILON, _logits_of
from dlpath.engine.ops import clip, log, mean, sum as reduce_sum
from dlpath.losses import LossFunctionWrapper, _check_axis, _check_label_smoothing
from dlpath.losses_extra._shapes import aligned_pair


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0,
                              from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1):
    """mean over the last axis of [a_t] (1 - p_t)^gamma bce (see the module)."""
    _check_axis("binary_focal_crossentropy", axis, y_pred)
    y_true, y_pred = aligned_pair("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _logits_of(y_pred, Sigmoid)
    if logits is not None:
        probs = sigmoid(logits)
        bce = softplus(logits) - y_true * logits
    else:
        probs = y_pred
        clipped = clip(y_pred, EPSILON, 1.0 - EPSILON)
        bce = -(y_true * log(clipped) + (1.0 - y_true) * log(1.0 - clipped))
    p_t = y_true * probs + (1.0 - y_true) * (1.0 - probs)
    focal = (1.0 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return mean(focal, axis=-1)


def categorical_focal_crossentropy(y_true, y_pred, alpha: float = 0.25, gamma: float = 2.0,
                                   from_logits: bool = False, label_smoothing: float = 0.0,
                                   axis: int = -1):
    """sum_c alpha (1 - p_c)^gamma (-y_c log p_c) over the last axis (see the module)."""
    _check_axis("categorical_focal_crossentropy", axis, y_pred)
    y_true, y_pred = aligned_pair("categorical_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = softmax(y_pred, axis=-1)
    probs = clip(y_pred / reduce_sum(y_pred, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    focal = alpha * (1.0 - probs) ** gamma * (-y_true * log(probs))
    return reduce_sum(focal, axis=-1)


def _check_focal(owner: str, alpha, gamma) -> tuple:
    alpha, gamma = float(alpha), float(gamma)
    if gamma < 0:
        raise ValueError(f"{owner}: gamma must be >= 0, got {gamma}")
    return alpha, gamma


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross-entropy per sample (see `binary_focal_crossentropy`), reduced.

    Args:
        apply_class_balancing: weigh positives by alpha and negatives by 1 - alpha.
        alpha: the balancing weight of the positives (default 0.25).
        gamma: the focusing exponent (default 2; 0 gives the binary cross-entropy).
        from_logits, label_smoothing, axis: as `BinaryCrossentropy`.
    """

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25,
                 gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        alpha, gamma = _check_focal("BinaryFocalCrossentropy", alpha, gamma)
        smoothing = _check_label_smoothing("BinaryFocalCrossentropy", label_smoothing)
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, apply_class_balancing=bool(apply_class_balancing),
                         alpha=alpha, gamma=gamma, from_logits=bool(from_logits),
                         label_smoothing=smoothing, axis=axis)
        self.apply_class_balancing = bool(apply_class_balancing)
        self.alpha, self.gamma = alpha, gamma
        self.from_logits, self.label_smoothing, self.axis = bool(from_logits), smoothing, axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal cross-entropy per sample (see `categorical_focal_crossentropy`).

    Args:
        alpha: the weight of every class's term (default 0.25).
        gamma: the focusing exponent (default 2).
        from_logits, label_smoothing, axis: as `CategoricalCrossentropy`.
    """

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        alpha, gamma = _check_focal("CategoricalFocalCrossentropy", alpha, gamma)
        smoothing = _check_label_smoothing("CategoricalFocalCrossentropy", label_smoothing)
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=bool(from_logits),
                         label_smoothing=smoothing, axis=axis)
        self.alpha, self.gamma = alpha, gamma
        self.from_logits, self.label_smoothing, self.axis = bool(from_logits), smoothing, axis
