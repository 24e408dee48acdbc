"""Metrics from confusion-matrix counts: TP/FP/TN/FN counts, Precision, Recall and AUC.

    precision = TP / (TP + FP)        recall = TP / (TP + FN)        (0 when nothing counted)

The counts are weighted and taken at thresholds (a prediction is positive when strictly above
one; see `confusion_counts`). Labels are cast to bool, so any non-zero label is positive.
With one threshold a metric's result is a float; with several, one value per threshold.

AUC (Keras' ``keras.metrics.AUC``) takes ``num_thresholds`` thresholds: -eps, then
j / (T - 1) for j = 1..T-2, then 1 + eps (eps = 1e-7), so that predictions of exactly 0 and 1
fall inside. From the counts at the thresholds it sums the area under the curve:

    ROC: x = FP / (FP + TN), y = TP / (TP + FN);  PR: x = recall, y = precision
    area = sum_j (x_j - x_{j+1}) h_j, with h_j = (y_j + y_{j+1}) / 2 ('interpolation'),
           min(y_j, y_{j+1}) ('minoring') or max(y_j, y_{j+1}) ('majoring').

PR with 'interpolation' instead interpolates TP and P = TP + FP linearly between thresholds
(Davis & Goadrich 2006): with slope s = dTP / dP and intercept b = TP_{j+1} - s P_{j+1},

    area = sum_j s (dTP + b log(P_j / P_{j+1})) / (TP_{j+1} + FN_{j+1}).
"""

from __future__ import annotations

import numpy as np

from dlpath.metrics.base import Metric, as_result, divide_no_nan, to_array
from dlpath.metrics.confusion_counts import (
    EPSILON, NEG_INF, confusion_counts, is_evenly_distributed, parse_thresholds,
)

_COUNT_NAMES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives",
                "fn": "false_negatives"}


class _ConfusionMetric(Metric):
    """Keeps the counts named in ``_counts`` at ``thresholds``, for one class or top k."""

    _counts: tuple = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if top_k is not None and (isinstance(top_k, bool) or int(top_k) != top_k or top_k < 1):
            raise ValueError(f"{owner}: top_k must be a positive integer, got {top_k!r}")
        if class_id is not None and (isinstance(class_id, bool) or int(class_id) != class_id
                                     or class_id < 0):
            raise ValueError(f"{owner}: class_id must be a class index >= 0, got {class_id!r}")
        self.init_thresholds = thresholds
        self.top_k = None if top_k is None else int(top_k)
        self.class_id = None if class_id is None else int(class_id)
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(owner, thresholds, default)
        self._evenly_distributed = is_evenly_distributed(self.thresholds)
        for key in self._counts:
            setattr(self, _COUNT_NAMES[key],
                    self.add_variable(shape=(len(self.thresholds),), name=_COUNT_NAMES[key]))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        tp, fp, tn, fn = confusion_counts(
            self.name, y_true, y_pred, self.thresholds, sample_weight=sample_weight,
            top_k=self.top_k, class_id=self.class_id,
            evenly_distributed=self._evenly_distributed, dtype=self.dtype)
        counts = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
        for key in self._counts:
            getattr(self, _COUNT_NAMES[key]).assign_add(counts[key])

    def _per_threshold(self, values):
        """One value per threshold, or the single value when there is one threshold."""
        return as_result(values[0] if len(self.thresholds) == 1 else values)

    def get_config(self) -> dict:
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k,
                  "class_id": self.class_id}
        return {**super().get_config(), **config}


class Precision(_ConfusionMetric):
    """TP / (TP + FP): the fraction of predicted positives that are positive.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5; use 0 for logits).
        top_k: only the k highest predictions of each sample count as positive.
        class_id: compute the metric for this class (last axis index) only.
    """

    _counts = ("tp", "fp")

    def result(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        return self._per_threshold(divide_no_nan(tp, tp + fp))


class Recall(_ConfusionMetric):
    """TP / (TP + FN): the fraction of positives predicted positive (arguments as Precision)."""

    _counts = ("tp", "fn")

    def result(self):
        tp, fn = self.true_positives.value, self.false_negatives.value
        return self._per_threshold(divide_no_nan(tp, tp + fn))


class _ConditionCount(_ConfusionMetric):
    """One weighted count at the thresholds (default 0.5)."""

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._per_threshold(getattr(self, _COUNT_NAMES[self._counts[0]]).value)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """sum of weights where the label is positive and the prediction is above the threshold."""

    _counts = ("tp",)


class FalsePositives(_ConditionCount):
    """sum of weights where the label is negative and the prediction is above the threshold."""

    _counts = ("fp",)


class TrueNegatives(_ConditionCount):
    """sum of weights where the label is negative and the prediction is at most the threshold."""

    _counts = ("tn",)


class FalseNegatives(_ConditionCount):
    """sum of weights where the label is positive and the prediction is at most the threshold."""

    _counts = ("fn",)


_CURVES = {"roc": "ROC", "pr": "PR"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


class AUC(Metric):
    """Area under the ROC or precision-recall curve, from counts at thresholds (see module).

    Args:
        num_thresholds: how many thresholds (> 1), including the two padded end points.
        curve: 'ROC' or 'PR'.
        summation_method: 'interpolation', 'minoring' or 'majoring'.
        thresholds: explicit thresholds in [0, 1] instead (the end points are added).
        multi_label: one curve per label (column), their AUCs averaged (weighted by
            ``label_weights`` if given); otherwise all entries are pooled.
        num_labels: the number of labels with ``multi_label`` (else found on first update).
        label_weights: per-label weights (see ``multi_label``).
        from_logits: apply a sigmoid to y_pred first.
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC",
                 summation_method: str = "interpolation", name=None, dtype=None,
                 thresholds=None, multi_label: bool = False, num_labels=None,
                 label_weights=None, from_logits: bool = False):
        super().__init__(name=name, dtype=dtype)
        self.curve = _CURVES.get(str(curve).lower())
        if self.curve is None:
            raise ValueError(f"AUC: curve must be 'ROC' or 'PR', got {curve!r}")
        self.summation_method = str(summation_method).lower()
        if self.summation_method not in _SUMMATIONS:
            raise ValueError(f"AUC: summation_method must be one of {list(_SUMMATIONS)}, got "
                             f"{summation_method!r}")
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(parse_thresholds("AUC", thresholds, 0.5))
            self.num_thresholds = len(inner) + 2
            self._evenly_distributed = is_evenly_distributed([0.0] + inner + [1.0])
        else:
            if isinstance(num_thresholds, bool) or int(num_thresholds) != num_thresholds \
                    or num_thresholds <= 1:
                raise ValueError(f"AUC: num_thresholds must be an integer > 1, got "
                                 f"{num_thresholds!r}")
            self.num_thresholds = int(num_thresholds)
            inner = [(i + 1) / (self.num_thresholds - 1) for i in range(self.num_thresholds - 2)]
            self._evenly_distributed = True
        self._thresholds = np.array([0.0 - EPSILON] + inner + [1.0 + EPSILON])
        if num_labels is not None and not multi_label:
            raise ValueError("AUC: num_labels is needed only when multi_label=True")
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else np.asarray(label_weights, dtype=np.float64))
        self.from_logits = bool(from_logits)
        self._built = False
        if not self.multi_label:
            self._build(None)
        elif num_labels:
            self._build(int(num_labels))

    @property
    def thresholds(self) -> list:
        return [float(t) for t in self._thresholds]

    def _build(self, num_labels) -> None:
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds,
                                                                   num_labels)
        for key in ("tp", "fp", "tn", "fn"):
            setattr(self, _COUNT_NAMES[key], self.add_variable(shape=shape,
                                                               name=_COUNT_NAMES[key]))
        self._num_labels = num_labels
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = to_array(y_pred)
        if self.multi_label:
            if y_pred.ndim != 2:
                raise ValueError(f"{self.name}: multi_label needs y_pred of rank 2 (samples, "
                                 f"labels), got shape {y_pred.shape}")
            if not self._built:
                self._build(y_pred.shape[1])
            elif y_pred.shape[1] != self._num_labels:
                raise ValueError(f"{self.name}: built for {self._num_labels} labels, got y_pred "
                                 f"of shape {y_pred.shape}")
        if self.from_logits:
            from scipy.special import expit  # loaded on first use, not with the metrics

            y_pred = expit(y_pred.astype(self.dtype))
        tp, fp, tn, fn = confusion_counts(
            self.name, y_true, y_pred, self._thresholds, sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            evenly_distributed=self._evenly_distributed, dtype=self.dtype)
        self.true_positives.assign_add(tp)
        self.false_positives.assign_add(fp)
        self.true_negatives.assign_add(tn)
        self.false_negatives.assign_add(fn)

    def _average_over_labels(self, by_label):
        if not self.multi_label:
            return as_result(by_label.sum())
        by_label = by_label.sum(axis=0)
        if self.label_weights is None:
            return as_result(by_label.mean())
        weights = self.label_weights
        return as_result(divide_no_nan((by_label * weights).sum(), weights.sum()))

    def interpolate_pr_auc(self):
        """The area under the PR curve, TP and P = TP + FP interpolated (see the module)."""
        tp, fp, fn = (self.true_positives.value, self.false_positives.value,
                      self.false_negatives.value)
        p = tp + fp
        dtp = tp[:-1] - tp[1:]
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both_positive, divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        increments = divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                   np.maximum(tp[1:] + fn[1:], 0))
        return self._average_over_labels(increments)

    def result(self):
        if not self._built:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = (self.true_positives.value, self.false_positives.value,
                          self.true_negatives.value, self.false_negatives.value)
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def get_config(self) -> dict:
        config = {
            "num_thresholds": self.num_thresholds, "curve": self.curve,
            "summation_method": self.summation_method, "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self.from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}
