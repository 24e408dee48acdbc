"""The confusion-metrics lab: its reference passes; its checks' reference equals
sklearn.metrics; typical mistakes fail with pointed messages."""

import numpy as np
import pytest
from harness_labs import assert_rejected, mutate, run_source, solution
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from dlpath.path.labs.checks import confusion_metrics as checks

LAB = "confusion-metrics"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


@pytest.mark.parametrize("options", [{}, {"never_predicted": True}, {"single": True},
                                     {"absent": True, "never_predicted": True}, {"n": 1}])
def test_the_checks_reference_equals_sklearn(options):
    rng = np.random.default_rng(7)
    for _ in range(5):
        y_true, y_pred, k = checks._problem(rng, **options)
        cm, per_class, macro = checks.reference(y_true, y_pred, k)
        labels = list(range(k))
        np.testing.assert_array_equal(cm, confusion_matrix(y_true, y_pred, labels=labels))
        expected = precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                   zero_division=0)[:3]
        for ours, theirs in zip(per_class, expected):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
        expected = precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                   average="macro", zero_division=0)[:3]
        np.testing.assert_allclose(macro, expected, rtol=1e-12, atol=1e-15)


def test_transposed_matrix_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.add.at(cm, (y_true, y_pred), 1)",
                   "np.add.at(cm, (y_pred, y_true), 1)")
    assert_rejected(LAB, wrong, tmp_path, "rows are the true classes")


def test_fancy_index_increment_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.add.at(cm, (y_true, y_pred), 1)", "cm[y_true, y_pred] += 1")
    assert_rejected(LAB, wrong, tmp_path, "np.add.at")


def test_matrix_sized_by_the_data_is_named(tmp_path):
    wrong = mutate(solution(LAB), "cm = np.zeros((num_classes, num_classes), dtype=np.int64)",
                   "num_classes = int(max(y_true.max(), y_pred.max())) + 1\n"
                   "    cm = np.zeros((num_classes, num_classes), dtype=np.int64)")
    assert_rejected(LAB, wrong, tmp_path, "num_classes")


def test_swapped_precision_and_recall_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    predicted = cm.sum(axis=0)\n    actual = cm.sum(axis=1)",
                   "    predicted = cm.sum(axis=1)\n    actual = cm.sum(axis=0)")
    assert_rejected(LAB, wrong, tmp_path, "that is recall")


def test_nan_where_undefined_is_named(tmp_path):
    wrong = mutate(solution(LAB), "precision = np.divide(tp, predicted, out=np.zeros_like(tp), "
                                  "where=predicted > 0)", "precision = tp / predicted")
    assert_rejected(LAB, wrong, tmp_path, "nan", "zero_division=0")


def test_macro_f1_from_macro_precision_and_recall_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "return float(np.mean(precision)), float(np.mean(recall)), float(np.mean(f1))",
                   "p, r = float(np.mean(precision)), float(np.mean(recall))\n"
                   "    return p, r, 2 * p * r / (p + r)")
    assert_rejected(LAB, wrong, tmp_path, "mean of the per-class f1")


def test_f1_as_arithmetic_mean_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(tp), "
                   "where=both > 0)", "f1 = both / 2")
    assert_rejected(LAB, wrong, tmp_path, "harmonic mean")
