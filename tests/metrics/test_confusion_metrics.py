"""Precision, Recall, the confusion counts and AUC against scikit-learn and Keras' formulas."""

import numpy as np
import pytest
from sklearn.metrics import (
    confusion_matrix, precision_score, recall_score, roc_auc_score,
)

from dlpath import metrics as M
from dlpath.engine import Tensor

RNG = np.random.default_rng(11)
N = 300
Y = RNG.integers(0, 2, N)
P = np.clip(RNG.uniform(0, 1, N) * 0.6 + Y * 0.3, 0, 1).astype(np.float32)  # informative
W = RNG.uniform(0, 2, N).astype(np.float32).astype(np.float64)  # as the metrics cast them


def run(metric, *batches):
    for batch in batches:
        metric.update_state(*batch)
    return metric.result()


def batches(*arrays, size=128):
    return [tuple(a[i:i + size] for a in arrays) for i in range(0, len(arrays[0]), size)]


# --------------------------------------------------------------------------- precision, recall
def test_precision_and_recall_match_sklearn_with_weights_over_batches():
    predicted = (P > 0.5).astype(int)
    assert run(M.Precision(), *batches(Y, P, W)) == pytest.approx(
        precision_score(Y, predicted, sample_weight=W), rel=1e-9)
    assert run(M.Recall(), *batches(Y, P, W)) == pytest.approx(
        recall_score(Y, predicted, sample_weight=W), rel=1e-9)


def test_several_thresholds_give_one_value_each():
    thresholds = [0.2, 0.5, 0.7]
    precision = run(M.Precision(thresholds=thresholds), (Y[:, None], P[:, None]))
    recall = run(M.Recall(thresholds=thresholds), (Y, Tensor(P)))
    assert isinstance(precision, np.ndarray) and precision.shape == (3,)
    for i, t in enumerate(thresholds):
        assert precision[i] == pytest.approx(precision_score(Y, P > t))
        assert recall[i] == pytest.approx(recall_score(Y, P > t))


def test_evenly_spaced_thresholds_take_the_bucket_route_with_the_same_counts():
    thresholds = [0.0, 0.25, 0.5, 0.75, 1.0]
    p = P.copy()
    p[:4] = [0.0, 0.25, 0.5, 1.0]  # exactly on thresholds: not above them
    got = run(M.Precision(thresholds=thresholds), (Y, p, W))
    for i, t in enumerate(thresholds):
        expected = precision_score(Y, p > t, sample_weight=W, zero_division=0)
        assert got[i] == pytest.approx(expected, rel=1e-9)


def test_class_id_and_top_k_follow_keras():
    y = np.eye(4)[RNG.integers(0, 4, 50)]
    p = RNG.uniform(0, 1, (50, 4))
    got = run(M.Precision(class_id=2), (y, p))
    assert got == pytest.approx(precision_score(y[:, 2], p[:, 2] > 0.5))
    got = run(M.Recall(class_id=1), (y, p))
    assert got == pytest.approx(recall_score(y[:, 1], p[:, 1] > 0.5))
    top1 = np.zeros_like(p)
    top1[np.arange(50), p.argmax(-1)] = 1
    # top_k=1 over one-hot labels: precision = recall = top-1 accuracy
    accuracy = (p.argmax(-1) == y.argmax(-1)).mean()
    assert run(M.Precision(top_k=1), (y, p)) == pytest.approx(accuracy)
    assert run(M.Recall(top_k=1), (y, p)) == pytest.approx(accuracy)
    assert run(M.Precision(top_k=2), ([0, 0, 1, 1], [1, 1, 1, 1])) == 0.0
    assert run(M.Precision(top_k=4), ([0, 0, 1, 1], [1, 1, 1, 1])) == 0.5


def test_keras_documented_examples():
    assert run(M.Precision(), ([0, 1, 1, 1], [1, 0, 1, 1])) == pytest.approx(2 / 3)
    assert run(M.Precision(), ([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0])) == 1.0
    assert run(M.Recall(), ([0, 1, 1, 1], [1, 0, 1, 1])) == pytest.approx(2 / 3)
    assert run(M.Recall(), ([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0])) == 1.0


def test_condition_counts_match_sklearn_confusion_matrix():
    tn, fp, fn, tp = confusion_matrix(Y, P > 0.5, sample_weight=W).ravel()
    for cls, expected in ((M.TruePositives, tp), (M.FalsePositives, fp),
                          (M.TrueNegatives, tn), (M.FalseNegatives, fn)):
        assert run(cls(), *batches(Y, P, W)) == pytest.approx(expected, rel=1e-9)
    assert run(M.TruePositives(thresholds=[0.3, 0.6]), (Y, P)).tolist() == \
        [float(((P > 0.3) & (Y == 1)).sum()), float(((P > 0.6) & (Y == 1)).sum())]


def test_labels_are_cast_to_bool_and_state_resets():
    m = M.Recall()
    m.update_state([0, 3, 1], [0.9, 0.8, 0.2])  # label 3 counts as positive
    assert m.result() == 0.5
    m.reset_state()
    assert m.result() == 0.0 and m.true_positives.value.tolist() == [0.0]


# --------------------------------------------------------------------------- AUC
def keras_auc_by_hand(y, p, w, num_thresholds, curve="ROC", summation="interpolation"):
    """Keras' AUC written out directly: counts by comparison at the padded thresholds."""
    inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    thresholds = np.array([-1e-7] + inner + [1 + 1e-7], dtype=np.float32)
    above = p.astype(np.float32)[None, :] > thresholds[:, None]
    pos, neg = (y > 0) * w, (y == 0) * w
    tp, fp = (above * pos).sum(1), (above * neg).sum(1)
    fn, tn = pos.sum() - tp, neg.sum() - fp
    safe = lambda a, b: np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)  # noqa: E731
    if curve == "PR" and summation == "interpolation":
        total = 0.0
        for j in range(num_thresholds - 1):
            dtp, p_a, p_b = tp[j] - tp[j + 1], tp[j] + fp[j], tp[j + 1] + fp[j + 1]
            slope = dtp / (p_a - p_b) if p_a - p_b > 0 else 0.0
            intercept = tp[j + 1] - slope * p_b
            ratio = p_a / p_b if p_a > 0 and p_b > 0 else 1.0
            denominator = tp[j + 1] + fn[j + 1]
            if denominator > 0:
                total += slope * (dtp + intercept * np.log(ratio)) / denominator
        return total
    recall = safe(tp, tp + fn)
    x, yv = (safe(fp, fp + tn), recall) if curve == "ROC" else (recall, safe(tp, tp + fp))
    pick = {"interpolation": lambda a, b: (a + b) / 2, "minoring": np.minimum,
            "majoring": np.maximum}[summation]
    return float(np.sum((x[:-1] - x[1:]) * pick(yv[:-1], yv[1:])))


def test_auc_keras_documented_example():
    assert run(M.AUC(num_thresholds=3), ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])) == 0.75
    assert run(M.AUC(num_thresholds=3), ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1])) == 1.0


def test_auc_is_close_to_sklearn_on_well_separated_data():
    y = RNG.integers(0, 2, 2000)
    p = np.clip(0.3 * y + RNG.uniform(0, 0.7, 2000), 0, 1)
    assert run(M.AUC(), *batches(y, p, size=500)) == pytest.approx(roc_auc_score(y, p),
                                                                    abs=1e-2)
    assert run(M.AUC(num_thresholds=1000), (y, p)) == pytest.approx(roc_auc_score(y, p),
                                                                     abs=2e-3)


@pytest.mark.parametrize("curve, summation", [
    ("ROC", "interpolation"), ("ROC", "minoring"), ("ROC", "majoring"),
    ("PR", "interpolation"), ("PR", "minoring"), ("PR", "majoring"),
])
@pytest.mark.parametrize("num_thresholds", [3, 17, 200])
def test_auc_equals_keras_formula_written_out(curve, summation, num_thresholds):
    metric = M.AUC(num_thresholds=num_thresholds, curve=curve, summation_method=summation)
    got = run(metric, *batches(Y, P, W, size=100))
    expected = keras_auc_by_hand(Y, P, W, num_thresholds, curve, summation)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_auc_from_logits_applies_a_sigmoid():
    logits = np.log(P / (1 - P + 1e-7) + 1e-7)
    plain = run(M.AUC(), (Y, 1 / (1 + np.exp(-logits))))
    assert run(M.AUC(from_logits=True), (Y, logits)) == pytest.approx(plain, rel=1e-6)


def test_auc_multi_label_averages_the_label_aucs():
    y = RNG.integers(0, 2, (N, 3))
    p = np.clip(RNG.uniform(0, 0.7, (N, 3)) + 0.3 * y, 0, 1)
    per_label = [keras_auc_by_hand(y[:, j], p[:, j], np.ones(N), 50) for j in range(3)]
    assert run(M.AUC(num_thresholds=50, multi_label=True), (y, p)) == pytest.approx(
        np.mean(per_label), rel=1e-9)
    weights = [1.0, 2.0, 0.5]
    assert run(M.AUC(num_thresholds=50, multi_label=True, label_weights=weights), (y, p)) == \
        pytest.approx(np.dot(per_label, weights) / 3.5, rel=1e-9)
    pooled = keras_auc_by_hand(y.ravel(), p.ravel(), np.ones(3 * N), 50)
    assert run(M.AUC(num_thresholds=50), (y, p)) == pytest.approx(pooled, rel=1e-9)


def test_auc_with_explicit_thresholds_pads_the_end_points():
    auc = M.AUC(thresholds=[0.5, 0.25, 0.75])
    assert auc.num_thresholds == 5
    assert auc.thresholds == pytest.approx([-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7])
    assert run(auc, (Y, P)) == pytest.approx(keras_auc_by_hand(Y, P, np.ones(N), 5), rel=1e-9)
    uneven = M.AUC(thresholds=[0.1, 0.6])
    inner = np.array([-1e-7, 0.1, 0.6, 1 + 1e-7], dtype=np.float32)
    tp = [((P > t) & (Y == 1)).sum() for t in inner]
    fp = [((P > t) & (Y == 0)).sum() for t in inner]
    tpr, fpr = np.array(tp) / Y.sum(), np.array(fp) / (N - Y.sum())
    expected = np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)
    assert run(uneven, (Y, P)) == pytest.approx(expected, rel=1e-9)


def test_auc_reset_and_config_round_trip():
    auc = M.AUC(num_thresholds=20, curve="pr", summation_method="Majoring", name="pr_auc")
    run(auc, (Y, P))
    auc.reset_state()
    assert auc.result() == 0.0
    config = auc.get_config()
    assert config["curve"] == "PR" and config["summation_method"] == "majoring"
    rebuilt = M.AUC.from_config(config)
    assert run(rebuilt, (Y, P)) == run(auc, (Y, P))
    with_thresholds = M.AUC(thresholds=[0.3, 0.6])
    assert M.AUC.from_config(with_thresholds.get_config()).thresholds == \
        with_thresholds.thresholds


def test_invalid_arguments_and_shapes_raise():
    with pytest.raises(ValueError, match="num_thresholds must be an integer > 1, got 1"):
        M.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="curve must be 'ROC' or 'PR', got 'AP'"):
        M.AUC(curve="AP")
    with pytest.raises(ValueError, match="summation_method must be one of"):
        M.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match=r"thresholds must lie in \[0, 1\], got \[1.5\]"):
        M.Precision(thresholds=[0.5, 1.5])
    with pytest.raises(ValueError, match="num_labels is needed only when multi_label=True"):
        M.AUC(num_labels=3)
    with pytest.raises(ValueError, match=r"precision: y_true has shape \(4,\) but y_pred has "
                                         r"shape \(5,\)"):
        M.Precision().update_state(np.zeros(4), np.zeros(5))
    with pytest.raises(ValueError, match=r"recall: class_id=5 needs y_pred"):
        M.Recall(class_id=5).update_state(np.eye(3), np.eye(3))
    with pytest.raises(ValueError, match="auc: multi_label needs y_pred of rank 2"):
        M.AUC(multi_label=True).update_state(np.zeros(4), np.zeros(4))
