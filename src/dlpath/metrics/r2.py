"""The coefficient of determination R^2, per output column j, over every sample seen:

    R^2_j = 1 - SSE_j / SST_j,   SSE_j = sum_i w_i (y_ij - p_ij)^2,
    SST_j = sum_i w_i (y_ij - ybar_j)^2 = sum_i w_i y_ij^2 - (sum_i w_i y_ij)^2 / sum_i w_i

(ybar_j the weighted mean). State: sum w y, sum w y^2, SSE and sum w per column, so batches
accumulate exactly. Columns are then combined by ``class_aggregation``: 'uniform_average'
(mean), 'variance_weighted_average' (weighted by SST_j), or None (one value per column).
With ``num_regressors`` p and n samples, the adjusted R^2 = 1 - (1 - R^2)(n - 1)/(n - p - 1).
A column with SST = 0 and SSE > 0 scores 0 (Keras' rule for an infinite ratio).
"""

from __future__ import annotations

import warnings

import numpy as np

from dlpath.metrics.base import Metric, as_result, to_array

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """R^2 of regression outputs (see the module); y of shape (n,) or (n, outputs).

    Args:
        class_aggregation: 'uniform_average' (default), 'variance_weighted_average' or None.
        num_regressors: the number of independent variables, for the adjusted R^2 (0: none).
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors: int = 0,
                 name: str = "r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(f"R2Score: class_aggregation must be one of {list(_AGGREGATIONS)}, "
                             f"got {class_aggregation!r}")
        if isinstance(num_regressors, bool) or int(num_regressors) != num_regressors \
                or num_regressors < 0:
            raise ValueError(f"R2Score: num_regressors must be an integer >= 0, got "
                             f"{num_regressors!r}")
        self.class_aggregation = class_aggregation
        self.num_regressors = int(num_regressors)
        self.num_samples = self.add_variable(name="num_samples")
        self._num_outputs = None

    def _build(self, num_outputs: int) -> None:
        for name in ("sum", "squared_sum", "total_mse", "count"):
            setattr(self, name, self.add_variable(shape=(num_outputs,), name=name))
        self._num_outputs = num_outputs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_true, y_pred = to_array(y_true, np.float64), to_array(y_pred, np.float64)
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        if y_true.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"{self.name}: y_true and y_pred must have one shape (n,) or "
                             f"(n, outputs), got {np.shape(y_true)} and {np.shape(y_pred)}")
        if self._num_outputs is None:
            self._build(y_pred.shape[1])
        elif y_pred.shape[1] != self._num_outputs:
            raise ValueError(f"{self.name}: built for {self._num_outputs} outputs, got y_pred "
                             f"of shape {y_pred.shape}")
        weights = np.ones_like(y_true) if sample_weight is None else to_array(
            sample_weight, np.float64)
        if weights.ndim == 1:
            weights = weights[:, None]
        try:
            weights = np.broadcast_to(weights, y_true.shape)
        except ValueError:
            raise ValueError(f"{self.name}: sample_weight of shape {np.shape(sample_weight)} "
                             f"cannot be broadcast to y_true of shape {y_true.shape}") from None
        self.sum.assign_add((weights * y_true).sum(axis=0))
        self.squared_sum.assign_add((weights * y_true * y_true).sum(axis=0))
        self.total_mse.assign_add((weights * (y_true - y_pred) ** 2).sum(axis=0))
        self.count.assign_add(weights.sum(axis=0))
        self.num_samples.assign_add(y_true.shape[0])

    def result(self):
        if self._num_outputs is None:
            return 0.0
        count = self.count.value
        mean = np.divide(self.sum.value, count, out=np.zeros_like(count), where=count != 0)
        total = self.squared_sum.value - self.sum.value * mean
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = 1.0 - self.total_mse.value / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        return as_result(self._adjusted(score))

    def _adjusted(self, score):
        if not self.num_regressors:
            return score
        n, p = float(self.num_samples.value), self.num_regressors
        if p >= n - 1:
            warnings.warn(f"{self.name}: the adjusted R^2 needs more samples ({n:.0f}) than "
                          f"num_regressors + 1 ({p + 1}); returning the plain R^2", stacklevel=3)
            return score
        return 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
