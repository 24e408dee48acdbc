"""One rate at the best threshold that meets a constraint on another (Keras'
SensitivitySpecificityBase): from weighted TP/FP/TN/FN counts at ``num_thresholds``
thresholds -eps, j / (T - 1) for j = 1..T-2, 1 + eps (as AUC), or 0.5 alone when T = 1,

    SensitivityAtSpecificity(s):  max over thresholds with specificity >= s of sensitivity
    SpecificityAtSensitivity(s):  max over thresholds with sensitivity >= s of specificity
    PrecisionAtRecall(r):         max over thresholds with recall >= r of precision
    RecallAtPrecision(p):         max over thresholds with precision >= p of recall

with sensitivity = recall = TP / (TP + FN), specificity = TN / (TN + FP),
precision = TP / (TP + FP) (0 when nothing is counted); 0 when no threshold qualifies.
"""

from __future__ import annotations

from dlpath.metrics.base import Metric, as_result, divide_no_nan
from dlpath.metrics.confusion_counts import EPSILON, confusion_counts


class _OperatingPoint(Metric):
    """Counts at the thresholds; subclasses say which rate is constrained, which maximised."""

    _value_name = "value"

    def __init__(self, value: float, num_thresholds: int = 200, class_id=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        owner = type(self).__name__
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not 0 <= value <= 1:
            raise ValueError(f"{owner}: {self._value_name} must lie in [0, 1], got {value!r}")
        if isinstance(num_thresholds, bool) or int(num_thresholds) != num_thresholds \
                or num_thresholds < 1:
            raise ValueError(f"{owner}: num_thresholds must be an integer > 0, got "
                             f"{num_thresholds!r}")
        if class_id is not None and (isinstance(class_id, bool) or int(class_id) != class_id
                                     or class_id < 0):
            raise ValueError(f"{owner}: class_id must be a class index >= 0, got {class_id!r}")
        self.value = float(value)
        self.num_thresholds = int(num_thresholds)
        self.class_id = None if class_id is None else int(class_id)
        if self.num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) / (self.num_thresholds - 1) for i in range(self.num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0 - EPSILON] + inner + [1.0 + EPSILON], True
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=(self.num_thresholds,), name=name))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        tp, fp, tn, fn = confusion_counts(
            self.name, y_true, y_pred, self.thresholds, sample_weight=sample_weight,
            class_id=self.class_id, evenly_distributed=self._evenly, dtype=self.dtype)
        self.true_positives.assign_add(tp)
        self.false_positives.assign_add(fp)
        self.true_negatives.assign_add(tn)
        self.false_negatives.assign_add(fn)

    def _rates(self) -> dict:
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = divide_no_nan(tp, tp + fn)
        return {"sensitivity": recall, "recall": recall,
                "specificity": divide_no_nan(tn, tn + fp),
                "precision": divide_no_nan(tp, tp + fp)}

    def _best(self, constrained: str, maximised: str) -> float:
        rates = self._rates()
        feasible = rates[constrained] >= self.value
        if not feasible.any():
            return 0.0
        return as_result(rates[maximised][feasible].max())

    def get_config(self) -> dict:
        return {**super().get_config(), self._value_name: self.value,
                "num_thresholds": self.num_thresholds, "class_id": self.class_id}


class SensitivityAtSpecificity(_OperatingPoint):
    """The best sensitivity (recall) where specificity >= ``specificity``."""

    _value_name = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id=None,
                 name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self) -> float:
        return self._best("specificity", "sensitivity")


class SpecificityAtSensitivity(_OperatingPoint):
    """The best specificity where sensitivity (recall) >= ``sensitivity``."""

    _value_name = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id=None,
                 name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self) -> float:
        return self._best("sensitivity", "specificity")


class PrecisionAtRecall(_OperatingPoint):
    """The best precision where recall >= ``recall``."""

    _value_name = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id=None, name=None,
                 dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self) -> float:
        return self._best("recall", "precision")


class RecallAtPrecision(_OperatingPoint):
    """The best recall where precision >= ``precision``."""

    _value_name = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id=None, name=None,
                 dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self) -> float:
        return self._best("precision", "recall")
