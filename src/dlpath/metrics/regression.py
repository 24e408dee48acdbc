"""Regression metrics: running means of per-sample errors (e = y_pred - y_true).

    MeanSquaredError:      mean of mean_last_axis(e^2)
    MeanAbsoluteError:     mean of mean_last_axis(|e|)
    RootMeanSquaredError:  sqrt(mean of e^2)

The per-sample errors are `dlpath.losses`' functions, computed on NumPy inputs (no graph).
"""

from __future__ import annotations

import numpy as np

from dlpath import losses
from dlpath.metrics.base import Mean, MeanMetricWrapper, as_result, divide_no_nan, to_array


class MeanSquaredError(MeanMetricWrapper):
    """The mean of mean_last_axis((y_pred - y_true)^2) over all samples seen."""

    def __init__(self, name: str = "mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of mean_last_axis(|y_pred - y_true|) over all samples seen."""

    def __init__(self, name: str = "mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """sqrt(sum_i w_i e_i^2 / sum_i w_i) over all entries seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = losses.squeeze_or_expand_to_same_rank(
            to_array(y_true, self.dtype), to_array(y_pred, self.dtype))
        if y_true.shape != y_pred.shape:
            raise ValueError(f"{self.name}: y_true has shape {y_true.shape} but y_pred has "
                             f"shape {y_pred.shape}; they must be equal")
        super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> float:
        return as_result(np.sqrt(divide_no_nan(self.total.value, self.count.value)))
