"""Regression metrics: running means of per-sample errors (e = y_pred - y_true).

    MeanSquaredError:             mean of mean_last_axis(e^2)
    MeanAbsoluteError:            mean of mean_last_axis(|e|)
    RootMeanSquaredError:         sqrt(mean of e^2)
    MeanAbsolutePercentageError:  mean of 100 mean_last_axis(|e| / max(|y|, eps))
    MeanSquaredLogarithmicError:  mean of mean_last_axis((log(p + 1) - log(y + 1))^2)
    LogCoshError:                 mean of mean_last_axis(log cosh e)
    CosineSimilarity:             mean of cos(y, p) = sum(y / ||y|| * p / ||p||) along axis

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


def cosine_similarity(y_true, y_pred, axis=-1):
    """cos(y, p) along ``axis``: the negative of the loss `dlpath.losses.cosine_similarity`."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


class CosineSimilarity(MeanMetricWrapper):
    """The mean of cos(y_true, y_pred) along ``axis`` over all samples seen (1: alike)."""

    def __init__(self, name: str = "cosine_similarity", dtype=None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class LogCoshError(MeanMetricWrapper):
    """The mean of `dlpath.losses.log_cosh` over all samples seen."""

    def __init__(self, name: str = "logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean of `dlpath.losses.mean_absolute_percentage_error` over all samples seen."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of `dlpath.losses.mean_squared_logarithmic_error` over all samples seen."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)
