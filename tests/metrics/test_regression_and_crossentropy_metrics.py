"""Regression and cross-entropy metrics against scikit-learn and hand computations."""

import numpy as np
import pytest
from sklearn.metrics import log_loss, mean_absolute_error, mean_squared_error

from dlpath import metrics as M
from dlpath.engine import Tensor

RNG = np.random.default_rng(5)
N = 64
Y = RNG.standard_normal((N, 3))
P = RNG.standard_normal((N, 3))
W = RNG.uniform(0, 2, N).astype(np.float32).astype(np.float64)


def run(metric, *batches):
    for batch in batches:
        metric.update_state(*batch)
    return metric.result()


def halves(*arrays):
    return [tuple(a[:N // 2] for a in arrays), tuple(a[N // 2:] for a in arrays)]


def test_regression_metrics_match_sklearn_with_weights():
    # sklearn averages over outputs last, Keras over the last axis first: the same for a mean
    assert run(M.MeanSquaredError(), *halves(Y, P, W)) == pytest.approx(
        mean_squared_error(Y, P, sample_weight=W), rel=1e-5)
    assert run(M.MeanAbsoluteError(), *halves(Y, P, W)) == pytest.approx(
        mean_absolute_error(Y, P, sample_weight=W), rel=1e-5)
    assert run(M.RootMeanSquaredError(), *halves(Y, P, W)) == pytest.approx(
        np.sqrt(mean_squared_error(Y, P, sample_weight=W)), rel=1e-5)


def test_regression_metrics_align_labels_of_shape_n_with_outputs_n_by_1():
    y, p = Y[:, 0], P[:, :1]
    assert run(M.MeanSquaredError(), (y, Tensor(p))) == pytest.approx(
        mean_squared_error(y, p[:, 0]), rel=1e-5)
    assert run(M.RootMeanSquaredError(), (y, p)) == pytest.approx(
        np.sqrt(mean_squared_error(y, p[:, 0])), rel=1e-5)


def test_binary_crossentropy_metric_matches_sklearn_log_loss():
    y = RNG.integers(0, 2, N)
    p = RNG.uniform(0.05, 0.95, (N, 1))
    assert run(M.BinaryCrossentropy(), *halves(y, p, W)) == pytest.approx(
        log_loss(y, p[:, 0], sample_weight=W), rel=1e-5)
    logits = np.log(p / (1 - p))
    assert run(M.BinaryCrossentropy(from_logits=True), (y, logits)) == pytest.approx(
        log_loss(y, p[:, 0]), rel=1e-5)
    smooth = y * 0.8 + 0.1
    hand = -(smooth * np.log(p[:, 0]) + (1 - smooth) * np.log(1 - p[:, 0])).mean()
    assert run(M.BinaryCrossentropy(label_smoothing=0.2), (y, p)) == pytest.approx(hand,
                                                                                    rel=1e-5)


def test_categorical_crossentropy_metrics_match_sklearn_log_loss():
    labels = RNG.integers(0, 4, N)
    logits = RNG.standard_normal((N, 4))
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = log_loss(labels, probs, sample_weight=W, labels=np.arange(4))
    assert run(M.SparseCategoricalCrossentropy(), *halves(labels, probs, W)) == pytest.approx(
        expected, rel=1e-5)
    assert run(M.CategoricalCrossentropy(), *halves(np.eye(4)[labels], probs, W)) == \
        pytest.approx(expected, rel=1e-5)
    assert run(M.SparseCategoricalCrossentropy(from_logits=True), (labels[:, None], logits),
               ) == pytest.approx(log_loss(labels, probs, labels=np.arange(4)), rel=1e-5)


def test_crossentropy_metrics_clip_probabilities_like_keras():
    value = run(M.BinaryCrossentropy(), ([1.0], [[0.0]]))
    assert value == pytest.approx(-np.log(np.float32(1e-7)), rel=1e-4)


def test_config_round_trip():
    metric = M.CategoricalCrossentropy(name="cce", from_logits=True, label_smoothing=0.1)
    assert metric.get_config() == {"name": "cce", "dtype": "float32", "from_logits": True,
                                   "label_smoothing": 0.1, "axis": -1}
    assert M.CategoricalCrossentropy.from_config(metric.get_config()).get_config() == \
        metric.get_config()
