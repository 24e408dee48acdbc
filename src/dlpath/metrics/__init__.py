"""Stateful metrics with Keras 3's names, defaults and formulas.

``update_state(y_true, y_pred, sample_weight=None)`` accumulates a batch (NumPy arrays or
Tensors, outside the autograd graph), ``result()`` gives the value so far (a float, or an
array with one value per threshold), ``reset_state()`` starts over. `get` resolves what
``compile(metrics=[...])`` accepts, and `resolve` adds compile's choice of the accuracy
(or cross-entropy) variant from the loss and the shapes of a batch.
"""

from __future__ import annotations

from dlpath.losses import (
    KLD, MAE, MAPE, MSE, MSLE, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, categorical_focal_crossentropy, categorical_hinge, hinge, huber,
    kld, kullback_leibler_divergence, logcosh, mae, mape, mean_absolute_error,
    mean_absolute_percentage_error, mean_squared_error, mean_squared_logarithmic_error, mse,
    msle, poisson, sparse_categorical_crossentropy, squared_hinge,
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
from dlpath.metrics.correlation import (
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation,
)
from dlpath.metrics.fbeta import F1Score, FBetaScore
from dlpath.metrics.hinge import CategoricalHinge, Hinge, SquaredHinge
from dlpath.metrics.iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from dlpath.metrics.operating_point import (
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
)
from dlpath.metrics.probabilistic import (
    BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
    SparseCategoricalCrossentropy,
)
from dlpath.metrics.r2 import R2Score
from dlpath.metrics.regression import (
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredError, MeanSquaredLogarithmicError, RootMeanSquaredError,
)
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
    "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge", "CosineSimilarity",
    "LogCoshError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "R2Score",
    "FBetaScore", "F1Score", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU",
    "PearsonCorrelation", "ConcordanceCorrelation", "PrecisionAtRecall", "RecallAtPrecision",
    "SensitivityAtSpecificity", "SpecificityAtSensitivity",
    "MSE", "MAE", "MAPE", "mape", "mean_absolute_percentage_error", "MSLE", "msle",
    "mean_squared_logarithmic_error", "KLD", "kld", "kullback_leibler_divergence", "logcosh",
    "huber", "hinge", "squared_hinge", "categorical_hinge", "poisson",
    "binary_focal_crossentropy", "categorical_focal_crossentropy", "pearson_correlation",
    "concordance_correlation",
    "get", "resolve", "serialize", "deserialize",
]
