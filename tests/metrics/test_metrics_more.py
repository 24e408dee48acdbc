"""The loss-as-metric metrics, R2Score, F-scores, IoUs, correlations and operating-point
metrics: values against scikit-learn or NumPy, accumulated over several weighted batches."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from dlpath import losses
from dlpath import metrics as M

RNG = np.random.default_rng(3)


def run(metric, batches):
    """Update ``metric`` with each (y_true, y_pred[, weight]) and return its result."""
    metric.reset_state()
    for batch in batches:
        metric.update_state(*batch[:2], sample_weight=batch[2] if len(batch) > 2 else None)
    return metric.result()


def split(*arrays, parts=3):
    pieces = [np.array_split(a, parts) for a in arrays]
    return list(zip(*pieces))


# --------------------------------------------------------------------------- loss metrics
def _as_numpy(fn, **kwargs):
    return lambda t, p: np.asarray(fn(t, p, **kwargs).data, dtype=np.float64)


@pytest.mark.parametrize("metric, fn, kind", [
    (M.KLDivergence(), _as_numpy(losses.kl_divergence), "dist"),
    (M.Poisson(), _as_numpy(losses.poisson), "positive"),
    (M.Hinge(), _as_numpy(losses.hinge), "binary"),
    (M.SquaredHinge(), _as_numpy(losses.squared_hinge), "binary"),
    (M.CategoricalHinge(), _as_numpy(losses.categorical_hinge), "one_hot"),
    (M.LogCoshError(), _as_numpy(losses.log_cosh), "real"),
    (M.MeanAbsolutePercentageError(), _as_numpy(losses.mape), "positive"),
    (M.MeanSquaredLogarithmicError(), _as_numpy(losses.msle), "positive"),
    (M.CosineSimilarity(), lambda t, p: np.sum(
        t / np.linalg.norm(t, axis=-1, keepdims=True)
        * p / np.linalg.norm(p, axis=-1, keepdims=True), axis=-1), "real"),
])
def test_loss_metrics_are_the_weighted_mean_of_the_per_sample_loss(metric, fn, kind):
    shape = (30, 4)
    y_pred = {"dist": RNG.dirichlet(np.ones(4), 30), "positive": RNG.uniform(0.1, 3, shape),
              "binary": RNG.standard_normal(shape), "one_hot": RNG.standard_normal(shape),
              "real": RNG.standard_normal(shape)}[kind]
    y_true = {"dist": RNG.dirichlet(np.ones(4), 30), "positive": RNG.uniform(0.1, 3, shape),
              "binary": RNG.integers(0, 2, shape).astype(float),
              "one_hot": np.eye(4)[RNG.integers(0, 4, 30)],
              "real": RNG.standard_normal(shape)}[kind]
    weights = RNG.uniform(0, 2, 30)
    expected = np.average(fn(y_true, y_pred), weights=weights)
    got = run(metric, split(y_true, y_pred, weights))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert metric.name == type(metric)().name


def test_cosine_similarity_metric_is_minus_the_loss_and_keeps_its_axis():
    y_true, y_pred = RNG.standard_normal((6, 3)), RNG.standard_normal((6, 3))
    metric = M.CosineSimilarity(axis=0)
    metric.update_state(y_true, y_pred)
    expected = -losses.cosine_similarity(y_true, y_pred, axis=0).data.mean()
    np.testing.assert_allclose(metric.result(), expected, rtol=1e-5)
    assert M.CosineSimilarity.from_config(metric.get_config()).axis == 0


def test_metric_function_aliases():
    assert M.MSE is M.mse is losses.mean_squared_error and M.MAE is M.mae
    assert M.MAPE is M.mape and M.MSLE is M.msle and M.KLD is M.kld
    assert M.kullback_leibler_divergence is losses.kl_divergence
    assert M.logcosh is losses.log_cosh and M.huber is losses.huber


# --------------------------------------------------------------------------- R2
@pytest.mark.parametrize("aggregation, multioutput", [
    ("uniform_average", "uniform_average"), ("variance_weighted_average", "variance_weighted"),
    (None, "raw_values"),
])
def test_r2_score_matches_sklearn_over_weighted_batches(aggregation, multioutput):
    y_true = RNG.standard_normal((40, 3))
    y_pred = y_true + 0.5 * RNG.standard_normal((40, 3))
    weights = RNG.uniform(0.1, 2, 40)
    got = run(M.R2Score(class_aggregation=aggregation), split(y_true, y_pred, weights))
    expected = skm.r2_score(y_true, y_pred, sample_weight=weights, multioutput=multioutput)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_r2_score_of_one_output_and_the_adjusted_score():
    y_true = RNG.standard_normal(25)
    y_pred = y_true + 0.3 * RNG.standard_normal(25)
    r2 = skm.r2_score(y_true, y_pred)
    np.testing.assert_allclose(run(M.R2Score(), split(y_true, y_pred)), r2, rtol=1e-6)
    adjusted = 1 - (1 - r2) * (25 - 1) / (25 - 3 - 1)
    np.testing.assert_allclose(run(M.R2Score(num_regressors=3), split(y_true, y_pred)),
                               adjusted, rtol=1e-6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain = run(M.R2Score(num_regressors=30), split(y_true, y_pred))
    np.testing.assert_allclose(plain, r2, rtol=1e-6)
    assert "num_regressors" in str(caught[0].message)


def test_r2_score_checks_its_arguments_and_shapes():
    with pytest.raises(ValueError, match="class_aggregation must be one of"):
        M.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors must be an integer >= 0"):
        M.R2Score(num_regressors=-1)
    metric = M.R2Score()
    metric.update_state(np.zeros((4, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="built for 2 outputs"):
        metric.update_state(np.zeros((4, 3)), np.ones((4, 3)))


# --------------------------------------------------------------------------- F-beta
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
def test_fbeta_with_a_threshold_matches_sklearn_on_multi_label_batches(average, beta):
    y_true = RNG.integers(0, 2, (60, 4)).astype(float)
    y_pred = RNG.uniform(0, 1, (60, 4))
    weights = RNG.uniform(0.1, 2, 60)
    got = run(M.FBetaScore(average=average, beta=beta, threshold=0.4),
              split(y_true, y_pred, weights))
    expected = skm.fbeta_score(y_true, y_pred > 0.4, beta=beta, average=average,
                               sample_weight=weights, zero_division=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f1_without_threshold_takes_the_top_class_and_matches_sklearn(average):
    labels = RNG.integers(0, 3, 50)
    scores = RNG.uniform(0, 1, (50, 3))
    got = run(M.F1Score(average=average), split(np.eye(3)[labels], scores))
    expected = skm.f1_score(labels, scores.argmax(-1), average=average, zero_division=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_fbeta_checks_arguments_and_inputs_and_round_trips():
    with pytest.raises(ValueError, match="average must be one of"):
        M.FBetaScore(average="samples")
    with pytest.raises(ValueError, match="beta must be a number > 0"):
        M.FBetaScore(beta=0)
    with pytest.raises(ValueError, match=r"threshold must be a float in \(0, 1\]"):
        M.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="expects 2-D y_true and y_pred"):
        M.F1Score().update_state(np.zeros(4), np.zeros(4))
    metric = M.FBetaScore(average="macro", beta=2.0, threshold=0.3, name="f2")
    assert M.deserialize(M.serialize(metric)).get_config() == metric.get_config()
    assert "beta" not in M.F1Score().get_config()


# --------------------------------------------------------------------------- IoU
def test_iou_metrics_match_sklearn_jaccard_over_weighted_batches():
    y_true = RNG.integers(0, 4, (20, 5))
    y_pred = RNG.integers(0, 4, (20, 5))
    weights = RNG.uniform(0.1, 2, (20, 5))
    per_class = skm.jaccard_score(y_true.ravel(), y_pred.ravel(), average=None,
                                  sample_weight=weights.ravel())
    np.testing.assert_allclose(run(M.MeanIoU(4), split(y_true, y_pred, weights)),
                               per_class.mean(), rtol=1e-5)
    np.testing.assert_allclose(
        run(M.IoU(4, target_class_ids=[1, 3]), split(y_true, y_pred, weights)),
        per_class[[1, 3]].mean(), rtol=1e-5)


def test_one_hot_ious_argmax_and_ignore_class_leaves_entries_out():
    labels = RNG.integers(0, 3, 40)
    scores = RNG.uniform(0, 1, (40, 3))
    predicted = scores.argmax(-1)
    per_class = skm.jaccard_score(labels, predicted, average=None)
    np.testing.assert_allclose(run(M.OneHotMeanIoU(3), split(np.eye(3)[labels], scores)),
                               per_class.mean(), rtol=1e-5)
    np.testing.assert_allclose(
        run(M.OneHotIoU(3, target_class_ids=[2]), split(np.eye(3)[labels], scores)),
        per_class[2], rtol=1e-5)
    keep = labels != 1  # entries labelled 1 are left out; class 1 may still be predicted
    kept_true, kept_pred = labels[keep], predicted[keep]
    ious = [np.sum((kept_true == c) & (kept_pred == c)) / np.sum((kept_true == c)
                                                                 | (kept_pred == c))
            for c in range(3) if np.any((kept_true == c) | (kept_pred == c))]
    np.testing.assert_allclose(
        run(M.MeanIoU(3, ignore_class=1, sparse_y_pred=False), split(labels, scores)),
        np.mean(ious), rtol=1e-5)


def test_binary_iou_keras_documented_example_and_threshold():
    metric = M.BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    metric.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    np.testing.assert_allclose(metric.result(), 1 / 3, rtol=1e-5)
    metric.reset_state()
    metric.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], sample_weight=[0.2, 0.3, 0.4, 0.1])
    np.testing.assert_allclose(metric.result(), 0.17361112, rtol=1e-5)
    metric = M.BinaryIoU(target_class_ids=[1], threshold=0.5)
    metric.update_state([1, 1, 0], [0.5, 0.49, 0.9])  # 0.5 >= threshold is class 1
    np.testing.assert_allclose(metric.result(), 1 / 3, rtol=1e-5)


def test_iou_checks_classes_and_round_trips():
    with pytest.raises(ValueError, match=r"target_class_ids must be classes in \[0, 3\)"):
        M.IoU(3, target_class_ids=[3])
    with pytest.raises(ValueError, match=r"y_pred must hold classes in \[0, 2\)"):
        M.MeanIoU(2).update_state([0, 1], [0, 2])
    with pytest.raises(ValueError, match="must hold class ids"):
        M.MeanIoU(2).update_state([0, 1], [0.2, 0.7])
    for metric in (M.IoU(3, [0, 2], ignore_class=255), M.MeanIoU(4, name="miou"),
                   M.BinaryIoU([1], 0.4), M.OneHotIoU(3, [1]), M.OneHotMeanIoU(5)):
        rebuilt = M.deserialize(M.serialize(metric))
        assert type(rebuilt) is type(metric) and rebuilt.get_config() == metric.get_config()


# --------------------------------------------------------------------------- correlations
def test_pearson_and_concordance_match_numpy_per_sample_then_averaged():
    y_true, y_pred = RNG.standard_normal((12, 6)), RNG.standard_normal((12, 6))
    y_pred = y_pred + y_true
    pearson = [np.corrcoef(t, p)[0, 1] for t, p in zip(y_true, y_pred)]
    concordance = [2 * np.cov(t, p, bias=True)[0, 1]
                   / (t.var() + p.var() + (t.mean() - p.mean()) ** 2)
                   for t, p in zip(y_true, y_pred)]
    weights = RNG.uniform(0.1, 2, 12)
    np.testing.assert_allclose(run(M.PearsonCorrelation(), split(y_true, y_pred, weights)),
                               np.average(pearson, weights=weights), rtol=1e-5)
    np.testing.assert_allclose(
        run(M.ConcordanceCorrelation(), split(y_true, y_pred, weights)),
        np.average(concordance, weights=weights), rtol=1e-5)


def test_correlations_keras_documented_examples():
    y_true = [[0, 1, 0.5], [1, 1, 0.2]]
    y_pred = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]
    np.testing.assert_allclose(M.concordance_correlation(y_true, y_pred),
                               [0.97560976, 0.98765432], rtol=1e-5)
    np.testing.assert_allclose(M.PearsonCorrelation()(y_true, y_pred), 0.9966996338993913,
                               rtol=1e-5)
    np.testing.assert_allclose(M.ConcordanceCorrelation()(y_true, y_pred),
                               0.9816320385426076, rtol=1e-5)


# --------------------------------------------------------------------------- operating points
def _rates_by_hand(y, p, w, thresholds):
    out = []
    for t in thresholds:
        positive = p > t
        tp, fp = w[(y == 1) & positive].sum(), w[(y == 0) & positive].sum()
        fn, tn = w[(y == 1) & ~positive].sum(), w[(y == 0) & ~positive].sum()
        div = (lambda a, b: a / b if b else 0.0)
        out.append({"recall": div(tp, tp + fn), "specificity": div(tn, tn + fp),
                    "precision": div(tp, tp + fp)})
    return out


@pytest.mark.parametrize("cls, value, constrained, maximised", [
    (M.SensitivityAtSpecificity, 0.7, "specificity", "recall"),
    (M.SpecificityAtSensitivity, 0.8, "recall", "specificity"),
    (M.PrecisionAtRecall, 0.6, "recall", "precision"),
    (M.RecallAtPrecision, 0.75, "precision", "recall"),
])
@pytest.mark.parametrize("num_thresholds", [1, 7, 200])
def test_operating_point_metrics_match_a_threshold_sweep(cls, value, constrained, maximised,
                                                         num_thresholds):
    y = RNG.integers(0, 2, 90)
    p = np.clip(0.35 * y + RNG.uniform(0, 0.65, 90), 0, 1)
    w = RNG.uniform(0.1, 2, 90)
    if num_thresholds == 1:
        thresholds = [0.5]
    else:
        thresholds = [-1e-7] + [(i + 1) / (num_thresholds - 1)
                                for i in range(num_thresholds - 2)] + [1 + 1e-7]
    rates = _rates_by_hand(y, p.astype(np.float32), w, np.float32(thresholds))
    feasible = [r[maximised] for r in rates if r[constrained] >= value]
    expected = max(feasible) if feasible else 0.0
    got = run(cls(value, num_thresholds=num_thresholds), split(y, p, w))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)


def test_operating_point_with_class_id_and_when_nothing_qualifies():
    y = np.eye(3)[RNG.integers(0, 3, 30)]
    p = RNG.uniform(0, 1, (30, 3))
    column = run(M.PrecisionAtRecall(0.5, class_id=2), [(y, p)])
    alone = run(M.PrecisionAtRecall(0.5), [(y[:, 2], p[:, 2])])
    np.testing.assert_allclose(column, alone)
    assert run(M.RecallAtPrecision(1.0, num_thresholds=3), [([0, 1], [0.9, 0.1])]) == 0.0


def test_operating_point_arguments_and_configs():
    with pytest.raises(ValueError, match=r"PrecisionAtRecall: recall must lie in \[0, 1\]"):
        M.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="num_thresholds must be an integer > 0"):
        M.SensitivityAtSpecificity(0.5, num_thresholds=0)
    metric = M.SpecificityAtSensitivity(0.4, num_thresholds=50, class_id=1, name="s")
    config = metric.get_config()
    assert config["sensitivity"] == 0.4 and config["num_thresholds"] == 50
    assert M.deserialize(M.serialize(metric)).get_config() == config


# --------------------------------------------------------------------------- names, compile
@pytest.mark.parametrize("name, cls", [
    ("kld", M.KLDivergence), ("kl_divergence", M.KLDivergence), ("poisson", M.Poisson),
    ("hinge", M.Hinge), ("squared_hinge", M.SquaredHinge),
    ("categorical_hinge", M.CategoricalHinge), ("cosine_similarity", M.CosineSimilarity),
    ("logcosh", M.LogCoshError), ("mape", M.MeanAbsolutePercentageError),
    ("msle", M.MeanSquaredLogarithmicError), ("r2_score", M.R2Score),
    ("f1_score", M.F1Score), ("fbeta_score", M.FBetaScore), ("F1Score", M.F1Score),
    ("pearson_correlation", M.PearsonCorrelation),
    ("concordance_correlation", M.ConcordanceCorrelation),
])
def test_get_resolves_names(name, cls):
    assert type(M.get(name)) is cls


def test_a_metric_that_needs_arguments_says_so_by_name():
    with pytest.raises(ValueError, match=r"'MeanIoU' needs arguments \(num_classes\)"):
        M.get("MeanIoU")
    with pytest.raises(ValueError, match=r"needs arguments \(recall\)"):
        M.get(M.PrecisionAtRecall)


@pytest.mark.parametrize("metric", [
    M.KLDivergence(), M.Poisson(), M.LogCoshError(), M.MeanAbsolutePercentageError(),
    M.CosineSimilarity(axis=-1), M.R2Score(class_aggregation=None, num_regressors=2),
    M.PearsonCorrelation(), M.ConcordanceCorrelation(),
])
def test_configs_round_trip(metric):
    rebuilt = M.deserialize(M.serialize(metric))
    assert type(rebuilt) is type(metric) and rebuilt.get_config() == metric.get_config()


def test_compile_and_evaluate_with_the_new_metrics_by_name_and_instance():
    from dlpath import keras

    keras.utils.set_random_seed(1)
    x = RNG.standard_normal((32, 5)).astype(np.float32)
    y = np.eye(3)[RNG.integers(0, 3, 32)].astype(np.float32)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy",
                  metrics=["kld", "categorical_hinge", "f1_score", M.OneHotMeanIoU(3),
                           M.FBetaScore(average="macro", beta=2.0), M.R2Score()])
    results = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    probs = model.predict(x, verbose=0)
    np.testing.assert_allclose(
        results["kld"], losses.kl_divergence(y, probs).data.mean(), rtol=1e-4)
    np.testing.assert_allclose(
        results["one_hot_mean_io_u"],
        skm.jaccard_score(y.argmax(-1), probs.argmax(-1), average=None, labels=[0, 1, 2])[
            np.isin([0, 1, 2], np.union1d(y.argmax(-1), probs.argmax(-1)))].mean(), rtol=1e-4)
    np.testing.assert_allclose(results["r2_score"], skm.r2_score(y, probs), rtol=1e-4)
    np.testing.assert_allclose(
        results["f1_score"], skm.f1_score(y.argmax(-1), probs.argmax(-1), average=None,
                                          labels=[0, 1, 2], zero_division=0), atol=1e-5)
