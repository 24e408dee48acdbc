"""Accuracy metrics against scikit-learn and hand computations, with sample weights."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, top_k_accuracy_score

from dlpath import metrics as M
from dlpath.engine import Tensor

RNG = np.random.default_rng(3)
N, C = 40, 6
LABELS = RNG.integers(0, C, N)
LOGITS = RNG.standard_normal((N, C))
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(-1, keepdims=True)
WEIGHTS = RNG.uniform(0, 2, N)


def run(metric, *batches):
    for batch in batches:
        metric.update_state(*batch)
    return metric.result()


def test_sparse_categorical_accuracy_matches_sklearn_with_weights_over_batches():
    predicted = PROBS.argmax(-1)
    expected = accuracy_score(LABELS, predicted, sample_weight=WEIGHTS)
    batches = [(LABELS[i:i + 16], PROBS[i:i + 16], WEIGHTS[i:i + 16]) for i in range(0, N, 16)]
    assert run(M.SparseCategoricalAccuracy(), *batches) == pytest.approx(expected, rel=1e-6)
    assert run(M.SparseCategoricalAccuracy(), (LABELS[:, None].astype(np.uint8), PROBS)) == \
        pytest.approx(accuracy_score(LABELS, predicted))


def test_categorical_accuracy_matches_sklearn_and_accepts_logits():
    one_hot = np.eye(C)[LABELS]
    expected = accuracy_score(LABELS, LOGITS.argmax(-1), sample_weight=WEIGHTS)
    assert run(M.CategoricalAccuracy(), (one_hot, Tensor(LOGITS), WEIGHTS)) == \
        pytest.approx(expected, rel=1e-6)


def test_binary_accuracy_thresholds_strictly_and_aligns_label_shapes():
    y = RNG.integers(0, 2, N)
    p = RNG.uniform(0, 1, (N, 1))
    p[:3, 0] = 0.5  # exactly at the threshold: predicted 0
    expected = accuracy_score(y, (p[:, 0] > 0.5).astype(int), sample_weight=WEIGHTS)
    assert run(M.BinaryAccuracy(), (y, p, WEIGHTS)) == pytest.approx(expected, rel=1e-6)
    assert run(M.BinaryAccuracy(threshold=0.0), (y, np.log(p / (1 - p)))) == \
        pytest.approx(accuracy_score(y, (p[:, 0] > 0.5).astype(int)))


def test_binary_accuracy_of_multi_label_outputs_averages_each_row():
    y = np.array([[1, 0, 1], [0, 0, 1]])
    p = np.array([[0.9, 0.2, 0.4], [0.1, 0.6, 0.7]])
    per_row = np.array([2 / 3, 2 / 3])
    np.testing.assert_allclose(M.binary_accuracy(y, p), per_row, rtol=1e-6)
    assert run(M.BinaryAccuracy(), (y, p, [1.0, 0.0])) == pytest.approx(2 / 3)


def test_accuracy_counts_exact_matches():
    m = M.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert m.result() == 0.75
    m.reset_state()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[1, 1, 0, 0])
    assert m.result() == 0.5


@pytest.mark.parametrize("k", [1, 2, 3])
def test_top_k_accuracies_match_sklearn(k):
    expected = top_k_accuracy_score(LABELS, LOGITS, k=k, labels=np.arange(C),
                                    sample_weight=WEIGHTS)
    assert run(M.SparseTopKCategoricalAccuracy(k=k), (LABELS, LOGITS, WEIGHTS)) == \
        pytest.approx(expected, rel=1e-6)
    assert run(M.TopKCategoricalAccuracy(k=k), (np.eye(C)[LABELS], LOGITS, WEIGHTS)) == \
        pytest.approx(expected, rel=1e-6)


def test_top_k_counts_ties_at_the_boundary_as_hits_like_in_top_k():
    pred = np.array([[0.4, 0.3, 0.3], [0.4, 0.3, 0.3], [0.5, 0.2, 0.3]])
    np.testing.assert_array_equal(M.sparse_top_k_categorical_accuracy([1, 2, 1], pred, k=2),
                                  [1.0, 1.0, 0.0])


def test_argmax_ties_go_to_the_lowest_index():
    np.testing.assert_array_equal(M.sparse_categorical_accuracy([0, 1], [[0.5, 0.5]] * 2),
                                  [1.0, 0.0])


def test_sequence_outputs_give_one_value_per_step():
    labels = RNG.integers(0, 3, (4, 5))
    pred = RNG.standard_normal((4, 5, 3))
    matches = M.sparse_categorical_accuracy(labels, pred)
    assert matches.shape == (4, 5)
    np.testing.assert_array_equal(matches, labels == pred.argmax(-1))
    w = np.array([1.0, 2.0, 0.0, 1.0])
    got = run(M.SparseCategoricalAccuracy(), (labels, pred, w))
    assert got == pytest.approx((matches.mean(1) * w).sum() / w.sum())


def test_function_forms_return_one_value_per_sample():
    one_hot = np.eye(C)[LABELS]
    assert M.categorical_accuracy(one_hot, PROBS).shape == (N,)
    assert M.top_k_categorical_accuracy(one_hot, PROBS, k=5).shape == (N,)
    assert M.sparse_top_k_categorical_accuracy(LABELS[:, None], PROBS, k=5).shape == (N,)
    assert M.binary_accuracy(LABELS[:, None] % 2, PROBS[:, :1]).shape == (N,)


def test_shape_errors_name_the_metric_and_the_shapes():
    with pytest.raises(ValueError, match=r"'sparse_categorical_accuracy'.*\(40, 2\).*"
                                         r"expected labels of shape \(40,\) or \(40, 1\)"):
        M.SparseCategoricalAccuracy().update_state(np.zeros((N, 2)), PROBS)
    with pytest.raises(ValueError, match=r"'binary_accuracy'.*\(3,\).*\(4, 1\)"):
        M.BinaryAccuracy().update_state(np.zeros(3), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        M.TopKCategoricalAccuracy(k=0)
