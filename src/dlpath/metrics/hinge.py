"""Hinge metrics: running means of `dlpath.losses`' per-sample hinge losses.

    Hinge:             mean of mean_last_axis(max(1 - y p, 0))      (0/1 labels -> -1/1)
    SquaredHinge:      mean of mean_last_axis(max(1 - y p, 0)^2)
    CategoricalHinge:  mean of max(neg - pos + 1, 0)
"""

from __future__ import annotations

from dlpath import losses
from dlpath.metrics.base import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """The mean of `dlpath.losses.hinge` over all samples seen."""

    def __init__(self, name: str = "hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """The mean of `dlpath.losses.squared_hinge` over all samples seen."""

    def __init__(self, name: str = "squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """The mean of `dlpath.losses.categorical_hinge` over all samples seen (one-hot labels)."""

    def __init__(self, name: str = "categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)
