"""Accuracy metrics: how often predictions match the labels, as running means.

Each metric is a `MeanMetricWrapper` of a function that returns one value per sample (per
time step for sequences), 1 for a match and 0 otherwise:

    accuracy:                          [y_pred == y_true]            (mean over the last axis)
    binary_accuracy:                   [(y_pred > threshold) == y_true]   (mean, last axis)
    categorical_accuracy:              [argmax y_pred == argmax y_true]
    sparse_categorical_accuracy:       [argmax y_pred == y_true]     (labels (n,) or (n, 1))
    top_k_categorical_accuracy:        [argmax y_true is among the k largest y_pred]
    sparse_top_k_categorical_accuracy: [y_true is among the k largest y_pred]

"Among the k largest" follows TensorFlow's ``in_top_k``: the target is in the top k when fewer
than k classes score strictly higher, so ties at the boundary count as hits. Argmax ties go to
the lowest index.

Labels of shape (n,) against predictions of shape (n, 1) are aligned as the losses align them
(see `dlpath.losses.squeeze_or_expand_to_same_rank`). With rank-1 inputs every entry is a
sample (Keras would average a rank-1 batch to one number).
"""

from __future__ import annotations

import numpy as np

from dlpath.losses import squeeze_or_expand_to_same_rank
from dlpath.metrics.base import MeanMetricWrapper, to_array


def _mean_last_axis(matches: np.ndarray) -> np.ndarray:
    matches = matches.astype(np.float32)
    return matches.mean(axis=-1) if matches.ndim > 1 else matches


def _check_same_shape(name: str, y_true, y_pred, original) -> None:
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{name}: y_true has shape {original[0]} but y_pred has shape "
                         f"{original[1]}; they must be equal (or differ by a last axis of 1)")


def _aligned(name: str, y_true, y_pred):
    y_true, y_pred = to_array(y_true), to_array(y_pred)
    original = (y_true.shape, y_pred.shape)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _check_same_shape(name, y_true, y_pred, original)
    return y_true, y_pred


def _sparse_labels(name: str, y_true, y_pred) -> np.ndarray:
    """Class indices of shape y_pred.shape[:-1], from labels with or without a last axis 1."""
    labels = to_array(y_true)
    if y_pred.ndim < 1:
        raise ValueError(f"{name}: y_pred must have a class axis, got shape {y_pred.shape}")
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"{name}: y_true has shape {to_array(y_true).shape} but y_pred has shape "
            f"{y_pred.shape}; expected labels of shape {y_pred.shape[:-1]} or "
            f"{y_pred.shape[:-1] + (1,)}")
    return labels


def in_top_k(targets: np.ndarray, predictions: np.ndarray, k: int) -> np.ndarray:
    """[targets_i among the k highest predictions_i], ties at the boundary counted as hits.

    A target out of range, or a row with a non-finite score, gives False (as TensorFlow's
    in_top_k).
    """
    predictions = predictions.reshape(-1, predictions.shape[-1])  # (m, C)
    targets = targets.reshape(-1)  # (m,)
    classes = predictions.shape[-1]
    in_range = (targets >= 0) & (targets < classes) & (targets == np.round(targets))
    safe = np.where(in_range, targets, 0).astype(np.int64)
    scores = np.take_along_axis(predictions, safe[:, None], axis=-1)  # (m, 1)
    higher = (predictions > scores).sum(axis=-1)
    finite = np.isfinite(predictions).all(axis=-1)
    return in_range & finite & (higher < k)


# --------------------------------------------------------------------------- functions
def accuracy(y_true, y_pred) -> np.ndarray:
    """mean over the last axis of [y_pred == y_true]."""
    y_true, y_pred = _aligned("accuracy", y_true, y_pred)
    return _mean_last_axis(y_true.astype(y_pred.dtype) == y_pred)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> np.ndarray:
    """mean over the last axis of [(y_pred > threshold) == y_true]."""
    y_true, y_pred = _aligned("binary_accuracy", y_true, y_pred)
    predicted = (y_pred.astype(np.float32) > np.float32(threshold)).astype(np.float32)
    return _mean_last_axis(predicted == y_true.astype(np.float32))


def categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """[argmax y_pred == argmax y_true] over the last axis, one per sample."""
    y_true, y_pred = to_array(y_true), to_array(y_pred)
    _check_same_shape("categorical_accuracy", y_true, y_pred, (y_true.shape, y_pred.shape))
    matches = np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)
    return matches.astype(np.float32)


def sparse_categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """[argmax y_pred == y_true], y_true holding class indices; one per sample."""
    y_pred = to_array(y_pred)
    labels = _sparse_labels("sparse_categorical_accuracy", y_true, y_pred)
    return (labels == np.argmax(y_pred, axis=-1)).astype(np.float32)


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> np.ndarray:
    """[argmax y_true is among the k largest y_pred], one per sample."""
    y_true, y_pred = to_array(y_true), to_array(y_pred)
    _check_same_shape("top_k_categorical_accuracy", y_true, y_pred,
                      (y_true.shape, y_pred.shape))
    targets = np.argmax(y_true, axis=-1)
    return in_top_k(targets, y_pred, k).reshape(targets.shape).astype(np.float32)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> np.ndarray:
    """[y_true is among the k largest y_pred], y_true holding class indices."""
    y_pred = to_array(y_pred)
    labels = _sparse_labels("sparse_top_k_categorical_accuracy", y_true, y_pred)
    return in_top_k(labels, y_pred, k).reshape(labels.shape).astype(np.float32)


# --------------------------------------------------------------------------- metrics
def _check_k(owner: str, k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{owner}: k must be a positive integer, got {k!r}")
    return int(k)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly: the mean of `accuracy`."""

    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often (y_pred > threshold) equals the 0/1 label: the mean of `binary_accuracy`.

    For logits, use ``threshold=0.0``.
    """

    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        threshold = float(threshold)
        if not np.isfinite(threshold):
            raise ValueError(f"BinaryAccuracy: threshold must be a finite number, got "
                             f"{threshold}")
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax y_pred equals argmax of the one-hot label."""

    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax y_pred equals the integer label (labels of shape (n,) or (n, 1))."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the k highest predictions."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        k = _check_k("TopKCategoricalAccuracy", k)
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the k highest predictions."""

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy",
                 dtype=None):
        k = _check_k("SparseTopKCategoricalAccuracy", k)
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
