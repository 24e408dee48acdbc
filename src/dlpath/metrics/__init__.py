"""Stateful metrics with Keras 3's names, defaults and formulas.

``update_state(y_true, y_pred, sample_weight=None)`` accumulates a batch (NumPy arrays or
Tensors, outside the autograd graph), ``result()`` gives the value so far (a float, or an
array with one value per threshold), ``reset_state()`` starts over. `get` resolves what
``compile(metrics=[...])`` accepts, and `resolve` adds compile's choice of the accuracy
(or cross-entropy) variant from the loss and the shapes of a batch.
"""

from __future__ import annotations

from dlpath.losses import (
    binary_crossentropy, categorical_crossentropy, mae, mean_absolute_error,
    mean_squared_error, mse, sparse_categorical_crossentropy,
)
from dlpath.metrics.accuracy import (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from dlpath.metrics.base import Mean, MeanMetricWrapper, Metric, MetricVariable, Sum
from dlpath.metrics.confusion import (
    AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives,
)
from dlpath.metrics.probabilistic import (
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
)
from dlpath.metrics.regression import MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError
from dlpath.metrics.resolve import deserialize, get, resolve, serialize

__all__ = [
    "Metric", "MetricVariable", "Mean", "Sum", "MeanMetricWrapper",
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
    "Precision", "Recall", "AUC", "TruePositives", "FalsePositives", "TrueNegatives",
    "FalseNegatives",
    "MeanSquaredError", "MeanAbsoluteError", "RootMeanSquaredError",
    "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
    "accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
    "mean_squared_error", "mse", "mean_absolute_error", "mae", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy",
    "get", "resolve", "serialize", "deserialize",
]
