"""F-beta and F1 scores of multi-class or multi-label predictions (n, classes), Keras 3's:

    precision = TP / (TP + FP + eps),   recall = TP / (TP + FN + eps)
    F_beta = (1 + beta^2) precision recall / (beta^2 precision + recall + eps)

A prediction counts as positive when above ``threshold``; with threshold None, the largest
prediction of each sample is the one positive (ties all count; an all-zero row has none).
The weighted counts are kept per class and combined by ``average``: None (one score per
class), 'micro' (counts pooled over the classes first), 'macro' (the mean of the classes'
scores) or 'weighted' (their mean weighted by each class's weighted number of positives).
eps = 1e-7.
"""

from __future__ import annotations

import numpy as np

from dlpath.metrics.base import Metric, as_result, to_array

EPSILON = 1e-7
_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """The F-beta score (see the module).

    Args:
        average: None, 'micro', 'macro' or 'weighted'.
        beta: the weight of recall against precision (> 0; 1 gives the F1 score).
        threshold: a float in (0, 1], or None for the top prediction of each sample.
    """

    def __init__(self, average=None, beta: float = 1.0, threshold=None,
                 name: str = "fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(f"{owner}: average must be one of {list(_AVERAGES)}, got "
                             f"{average!r}")
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta <= 0:
            raise ValueError(f"{owner}: beta must be a number > 0, got {beta!r}")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(
                threshold, (int, float)) or not 0 < threshold <= 1):
            raise ValueError(f"{owner}: threshold must be a float in (0, 1] or None, got "
                             f"{threshold!r}")
        self.average, self.beta = average, float(beta)
        self.threshold = None if threshold is None else float(threshold)
        self._num_classes = None

    def _build(self, num_classes: int) -> None:
        shape = () if self.average == "micro" else (num_classes,)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, name=name))
        self._num_classes = num_classes

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = to_array(y_true, np.float64), to_array(y_pred, np.float64)
        if y_true.ndim != 2 or y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"{self.name}: expects 2-D y_true and y_pred of one shape "
                             f"(batch_size, num_classes), got {y_true.shape} and "
                             f"{y_pred.shape}")
        if self._num_classes is None:
            self._build(y_pred.shape[1])
        elif y_pred.shape[1] != self._num_classes:
            raise ValueError(f"{self.name}: built for {self._num_classes} classes, got y_pred "
                             f"of shape {y_pred.shape}")
        if self.threshold is None:
            top = y_pred.max(axis=-1, keepdims=True)
            positive = (y_pred >= top) & (np.abs(y_pred) > 1e-9)
        else:
            positive = y_pred > self.threshold
        positive = positive.astype(np.float64)
        weights = np.ones((len(y_true), 1)) if sample_weight is None else to_array(
            sample_weight, np.float64).reshape(-1, 1)
        if len(weights) != len(y_true):
            raise ValueError(f"{self.name}: sample_weight must have one weight per sample "
                             f"({len(y_true)}), got shape {np.shape(sample_weight)}")
        axis = None if self.average == "micro" else 0
        self.true_positives.assign_add((weights * positive * y_true).sum(axis=axis))
        self.false_positives.assign_add((weights * positive * (1 - y_true)).sum(axis=axis))
        self.false_negatives.assign_add((weights * (1 - positive) * y_true).sum(axis=axis))
        self.intermediate_weights.assign_add((weights * y_true).sum(axis=axis))

    def result(self):
        if self._num_classes is None:
            return 0.0
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + EPSILON)
        recall = tp / (tp + self.false_negatives.value + EPSILON)
        beta2 = self.beta ** 2
        score = (1 + beta2) * precision * recall / (beta2 * precision + recall + EPSILON)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            score = (score * weights / (weights.sum() + EPSILON)).sum()
        elif self.average is not None:
            score = score.mean()
        return as_result(score)

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score: F-beta with beta = 1 (arguments as `FBetaScore`, without beta)."""

    def __init__(self, average=None, threshold=None, name: str = "f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
