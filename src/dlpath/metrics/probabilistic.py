"""Cross-entropy, KL and Poisson metrics: running means of `dlpath.losses`' per-sample values.

Computed on NumPy inputs, outside the graph, so probabilities are clipped to
[1e-7, 1 - 1e-7] as Keras' metrics clip them (the losses use the logits when they can).
"""

from __future__ import annotations

import numpy as np

from dlpath import losses
from dlpath.metrics.base import MeanMetricWrapper, to_array


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean of `dlpath.losses.binary_crossentropy` over all samples seen.

    Targets must lie in [0, 1]: class ids 0..K-1 or labels -1/+1 would give a number that
    is no cross-entropy, so `update_state` refuses them, naming the first bad value.
    """

    def __init__(self, name: str = "binary_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0.0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=bool(from_logits), label_smoothing=float(label_smoothing))
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        labels = to_array(y_true)
        if labels.dtype.kind in "fiu" and labels.size and (
                labels.min() < 0 or labels.max() > 1):
            index = int(np.flatnonzero((labels < 0) | (labels > 1))[0])
            raise ValueError(
                f"metric {self.name!r} (BinaryCrossentropy): y_true must be in [0, 1], got "
                f"{labels.reshape(-1)[index]} at flat index {index}; for class ids use "
                f"SparseCategoricalCrossentropy")
        super().update_state(labels, y_pred, sample_weight=sample_weight)


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean of `dlpath.losses.categorical_crossentropy` (one-hot labels)."""

    def __init__(self, name: str = "categorical_crossentropy", dtype=None,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=bool(from_logits), label_smoothing=float(label_smoothing),
                         axis=axis)
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)
        self.axis = axis


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean of `dlpath.losses.sparse_categorical_crossentropy` (integer labels)."""

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype=None,
                 from_logits: bool = False, axis: int = -1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=bool(from_logits), axis=axis)
        self.from_logits = bool(from_logits)
        self.axis = axis


class KLDivergence(MeanMetricWrapper):
    """The mean of `dlpath.losses.kl_divergence`: sum_c y_c log(y_c / p_c), both clipped."""

    def __init__(self, name: str = "kl_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The mean of `dlpath.losses.poisson`: mean_last_axis(p - y log(p + eps))."""

    def __init__(self, name: str = "poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)
