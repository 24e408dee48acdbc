"""The Keras losses beyond MSE/MAE/Huber/cross-entropy: values against PyTorch or the formula,
float64 gradchecks, configs, lookup by name and use in compile."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import losses as L
from dlpath.engine import Tensor, gradcheck
from dlpath.engine.activations import sigmoid
from reference import check_op

RNG = np.random.default_rng(11)
EPS = 1e-7


def tt(array):
    return torch.tensor(np.asarray(array), dtype=torch.float32)


def distribution(shape, seed):
    logits = np.random.default_rng(seed).standard_normal(shape)
    exps = np.exp(logits)
    return exps / exps.sum(-1, keepdims=True)


TRUE_DIST = distribution((5, 4), 1)
PRED_DIST = distribution((5, 4), 2)
COUNTS = RNG.poisson(2.0, (5, 4)).astype(np.float64)
RATES = RNG.uniform(0.2, 3.0, (5, 4))
TARGETS = RNG.standard_normal((5, 4))
PREDS = RNG.standard_normal((5, 4))
BINARY = RNG.integers(0, 2, (5, 4)).astype(np.float64)
ONE_HOT = np.eye(4)[RNG.integers(0, 4, 5)]


# --------------------------------------------------------------------------- PyTorch parity
def test_kl_divergence_matches_torch_kl_div():
    check_op(lambda p: L.KLDivergence()(TRUE_DIST, p),
             lambda p: F.kl_div(p.log(), tt(TRUE_DIST), reduction="sum") / 5, [PRED_DIST])


def test_poisson_matches_torch_poisson_nll_without_log_input():
    # torch adds eps=1e-8 inside the log; ours adds 1e-7 as Keras does: equal to 1e-5
    check_op(lambda p: L.Poisson()(COUNTS, p),
             lambda p: F.poisson_nll_loss(p, tt(COUNTS), log_input=False), [RATES])


def test_cosine_similarity_matches_minus_torch_cosine_similarity():
    check_op(lambda p: L.CosineSimilarity()(TARGETS, p),
             lambda p: -F.cosine_similarity(p, tt(TARGETS), dim=-1).mean(), [PREDS])
    check_op(lambda p: L.CosineSimilarity(axis=0, reduction="none")(TARGETS, p),
             lambda p: -F.cosine_similarity(p, tt(TARGETS), dim=0), [PREDS])


def test_hinge_losses_match_torch_formulas():
    signed = 2 * BINARY - 1
    check_op(lambda p: L.Hinge()(BINARY, p),  # 0/1 labels become -1/1
             lambda p: torch.clamp(1 - tt(signed) * p, min=0).mean(), [PREDS])
    check_op(lambda p: L.SquaredHinge()(signed, p),
             lambda p: (torch.clamp(1 - tt(signed) * p, min=0) ** 2).mean(), [PREDS])
    y = tt(ONE_HOT)
    check_op(lambda p: L.CategoricalHinge()(ONE_HOT, p),
             lambda p: torch.clamp(((1 - y) * p).amax(-1) - (y * p).sum(-1) + 1, min=0).mean(),
             [PREDS])


def test_regression_losses_match_torch_formulas():
    positive_true = RNG.uniform(0.1, 3.0, (5, 4))
    positive_pred = RNG.uniform(0.1, 3.0, (5, 4))
    check_op(lambda p: L.LogCosh()(TARGETS, p),
             lambda p: torch.log(torch.cosh(p - tt(TARGETS))).mean(), [PREDS])
    check_op(lambda p: L.MeanAbsolutePercentageError()(positive_true, p),
             lambda p: 100 * (torch.abs(tt(positive_true) - p) / tt(positive_true)).mean(),
             [positive_pred], rtol=1e-4, atol=1e-4)
    check_op(lambda p: L.MeanSquaredLogarithmicError()(positive_true, p),
             lambda p: ((torch.log1p(p) - torch.log1p(tt(positive_true))) ** 2).mean(),
             [positive_pred])


def test_log_cosh_does_not_overflow_for_large_errors():
    value = L.log_cosh(np.array([[0.0]]), np.array([[200.0]])).data
    np.testing.assert_allclose(value, [200.0 - np.log(2.0)], rtol=1e-6)


def test_binary_focal_crossentropy_matches_the_paper_formula_from_logits():
    def torch_focal(z, y, alpha=0.25, gamma=2.0, balance=True):  # torchvision's sigmoid_focal
        p = torch.sigmoid(z)
        ce = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        p_t = p * y + (1 - p) * (1 - y)
        loss = ce * (1 - p_t) ** gamma
        if balance:
            loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
        return loss.mean()

    check_op(lambda z: L.BinaryFocalCrossentropy(apply_class_balancing=True,
                                                 from_logits=True)(BINARY, z),
             lambda z: torch_focal(z, tt(BINARY)), [PREDS])
    check_op(lambda z: L.BinaryFocalCrossentropy(gamma=1.5, from_logits=True)(BINARY, z),
             lambda z: torch_focal(z, tt(BINARY), gamma=1.5, balance=False), [PREDS])


def test_binary_focal_from_probabilities_and_from_a_sigmoid_output_agree():
    probs = 1 / (1 + np.exp(-PREDS))
    plain = L.binary_focal_crossentropy(BINARY, probs, gamma=2.0).data
    fused = L.binary_focal_crossentropy(BINARY, sigmoid(Tensor(PREDS))).data
    np.testing.assert_allclose(plain, fused, rtol=1e-5)


def test_binary_focal_with_gamma_0_is_binary_crossentropy_and_smoothing_moves_targets():
    probs = 1 / (1 + np.exp(-PREDS))
    np.testing.assert_allclose(
        L.binary_focal_crossentropy(BINARY, probs, gamma=0.0, label_smoothing=0.2).data,
        L.binary_crossentropy(BINARY, probs, label_smoothing=0.2).data, rtol=1e-5)


def test_categorical_focal_crossentropy_matches_its_formula():
    def reference(z, y, alpha=0.25, gamma=2.0, smoothing=0.0):
        y = y * (1 - smoothing) + smoothing / y.shape[-1]
        p = torch.softmax(z, -1).clamp(EPS, 1 - EPS)
        return (alpha * (1 - p) ** gamma * -y * torch.log(p)).sum(-1).mean()

    check_op(lambda z: L.CategoricalFocalCrossentropy(from_logits=True)(ONE_HOT, z),
             lambda z: reference(z, tt(ONE_HOT)), [PREDS])
    check_op(lambda z: L.CategoricalFocalCrossentropy(alpha=0.5, gamma=1.0, from_logits=True,
                                                      label_smoothing=0.1)(ONE_HOT, z),
             lambda z: reference(z, tt(ONE_HOT), 0.5, 1.0, 0.1), [PREDS])
    # alpha = 1, gamma = 0: the categorical cross-entropy
    np.testing.assert_allclose(
        L.categorical_focal_crossentropy(ONE_HOT, PRED_DIST, alpha=1.0, gamma=0.0).data,
        L.categorical_crossentropy(ONE_HOT, PRED_DIST).data, rtol=1e-5)


def test_dice_and_tversky_match_their_formulas_over_all_axes_and_per_axis():
    masks = RNG.integers(0, 2, (3, 4, 4)).astype(np.float64)
    probs = RNG.uniform(0, 1, (3, 4, 4))
    y = tt(masks)

    def torch_tversky(p, alpha, beta, dims=None):
        kw = {} if dims is None else {"dim": dims}
        tp = (y * p).sum(**kw)
        fp = ((1 - p) * y).sum(**kw)
        fn = (p * (1 - y)).sum(**kw)
        return 1 - tp / (tp + alpha * fp + beta * fn + EPS)

    check_op(lambda p: L.Dice()(masks, p),
             lambda p: 1 - 2 * (y * p).sum() / (y.sum() + p.sum() + EPS), [probs])
    check_op(lambda p: L.Dice(axis=(1, 2))(masks, p),
             lambda p: (1 - 2 * (y * p).sum((1, 2)) / (y.sum((1, 2)) + p.sum((1, 2)) + EPS))
             .mean(), [probs])
    check_op(lambda p: L.Tversky(alpha=0.7, beta=0.3)(masks, p),
             lambda p: torch_tversky(p, 0.7, 0.3), [probs])
    check_op(lambda p: L.Tversky(axis=(1, 2), reduction="none")(masks, p),
             lambda p: torch_tversky(p, 0.5, 0.5, (1, 2)), [probs])
    np.testing.assert_allclose(L.tversky(masks, probs).data, L.dice(masks, probs).data,
                               rtol=1e-6)


def test_ctc_matches_torch_ctc_loss_with_blank_0_and_zero_padded_labels():
    logits = RNG.standard_normal((3, 8, 5))
    labels = np.array([[1, 2, 2, 0], [3, 0, 0, 0], [4, 1, 3, 2]])
    lengths = (labels != 0).sum(-1)

    def reference(z):
        log_probs = torch.log_softmax(z, -1).transpose(0, 1)
        return F.ctc_loss(log_probs, torch.tensor(labels), torch.full((3,), 8),
                          torch.tensor(lengths), blank=0, reduction="sum") / 3

    check_op(lambda z: L.CTC()(labels, z), reference, [logits], atol=1e-4)


# --------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("fn, y_true, y_pred", [
    (L.kl_divergence, TRUE_DIST, PRED_DIST),
    (L.poisson, COUNTS, RATES),
    (L.cosine_similarity, TARGETS, PREDS),
    (L.hinge, BINARY, PREDS * 0.3),
    (L.squared_hinge, BINARY, PREDS * 0.3),
    (L.categorical_hinge, ONE_HOT, PREDS),
    (L.log_cosh, TARGETS, PREDS),
    (L.mean_absolute_percentage_error, TARGETS, PREDS),
    (L.mean_squared_logarithmic_error, np.abs(TARGETS), np.abs(PREDS)),
    (L.binary_focal_crossentropy, BINARY, 1 / (1 + np.exp(-PREDS))),
    (L.categorical_focal_crossentropy, ONE_HOT, PRED_DIST),
    (L.dice, BINARY, 1 / (1 + np.exp(-PREDS))),
    (L.tversky, BINARY, 1 / (1 + np.exp(-PREDS))),
])
def test_gradcheck_in_float64(fn, y_true, y_pred):
    gradcheck(lambda p: fn(Tensor(y_true, dtype="float64"), p).sum(), y_pred)


def test_focal_gradients_from_logits_in_float64():
    gradcheck(lambda z: L.binary_focal_crossentropy(BINARY.astype(np.float64), z,
                                                    apply_class_balancing=True,
                                                    from_logits=True).sum(), PREDS)
    gradcheck(lambda z: L.categorical_focal_crossentropy(ONE_HOT.astype(np.float64), z,
                                                         from_logits=True).sum(), PREDS)


# --------------------------------------------------------------------------- configs, names
LOSSES = [
    L.KLDivergence(), L.Poisson(reduction="sum"), L.Hinge(), L.SquaredHinge(),
    L.CategoricalHinge(), L.CosineSimilarity(axis=0), L.LogCosh(),
    L.MeanAbsolutePercentageError(), L.MeanSquaredLogarithmicError(name="m"),
    L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0,
                              from_logits=True, label_smoothing=0.1),
    L.CategoricalFocalCrossentropy(alpha=0.4, gamma=3.0), L.Dice(axis=(1, 2)),
    L.Tversky(alpha=0.2, beta=0.8), L.CTC(reduction="none"),
]


@pytest.mark.parametrize("loss", LOSSES, ids=lambda loss: type(loss).__name__)
def test_config_round_trips_through_serialize(loss):
    config = L.serialize(loss)
    rebuilt = L.deserialize(config)
    assert type(rebuilt) is type(loss)
    assert rebuilt.get_config() == loss.get_config()
    assert type(loss).from_config(loss.get_config()).get_config() == loss.get_config()


@pytest.mark.parametrize("name, cls", [
    ("kld", L.KLDivergence), ("KLD", L.KLDivergence), ("kl_divergence", L.KLDivergence),
    ("kullback_leibler_divergence", L.KLDivergence), ("poisson", L.Poisson),
    ("hinge", L.Hinge), ("squared_hinge", L.SquaredHinge),
    ("categorical_hinge", L.CategoricalHinge), ("cosine_similarity", L.CosineSimilarity),
    ("log_cosh", L.LogCosh), ("logcosh", L.LogCosh), ("mape", L.MeanAbsolutePercentageError),
    ("MAPE", L.MeanAbsolutePercentageError), ("msle", L.MeanSquaredLogarithmicError),
    ("binary_focal_crossentropy", L.BinaryFocalCrossentropy),
    ("categorical_focal_crossentropy", L.CategoricalFocalCrossentropy),
    ("dice", L.Dice), ("Tversky", L.Tversky), ("ctc", L.CTC),
])
def test_get_resolves_names(name, cls):
    assert type(L.get(name)) is cls


def test_functions_and_aliases_resolve_to_their_classes():
    assert L.kld is L.KLD is L.kullback_leibler_divergence is L.kl_divergence
    assert L.mape is L.MAPE and L.msle is L.MSLE and L.logcosh is L.log_cosh
    assert type(L.get(L.kld)) is L.KLDivergence
    assert L.serialize(L.poisson) == "poisson"
    assert type(L.deserialize("mean_squared_logarithmic_error")) is L.MeanSquaredLogarithmicError


def test_reduction_constants_are_tf_keras_2s():
    assert L.Reduction.SUM_OVER_BATCH_SIZE == "sum_over_batch_size"
    assert set(L.Reduction.all()) == {"auto", "none", "sum", "sum_over_batch_size"}
    L.Reduction.validate("sum")
    with pytest.raises(ValueError, match="invalid reduction key 'avg'"):
        L.Reduction.validate("avg")
    weights = np.array([1.0, 0.0, 2.0, 1.0, 1.0])
    loss = L.Poisson(reduction=L.Reduction.SUM)(COUNTS, RATES, sample_weight=weights)
    per_sample = np.mean(RATES - COUNTS * np.log(RATES + EPS), axis=-1)
    np.testing.assert_allclose(float(loss.data), (per_sample * weights).sum(), rtol=1e-5)


def test_bad_arguments_and_shapes_name_the_loss():
    with pytest.raises(ValueError, match=r"kl_divergence: y_true has shape \(5, 4\).*\(5, 3\)"):
        L.kl_divergence(TRUE_DIST, PRED_DIST[:, :3])
    with pytest.raises(ValueError, match="BinaryFocalCrossentropy: gamma must be >= 0"):
        L.BinaryFocalCrossentropy(gamma=-1)
    with pytest.raises(ValueError, match="CategoricalFocalCrossentropy: label_smoothing"):
        L.CategoricalFocalCrossentropy(label_smoothing=2)
    with pytest.raises(ValueError, match="Dice: axis must be"):
        L.Dice(axis="rows")
    with pytest.raises(ValueError, match=r"ctc: y_true must be integer labels.*\(4,\)"):
        L.ctc(np.array([1, 2, 0, 0]), RNG.standard_normal((1, 5, 3)))
    with pytest.raises(ValueError, match="ctc: y_pred must be logits"):
        L.ctc(np.array([[1, 2]]), RNG.standard_normal((5, 3)))


@pytest.mark.parametrize("loss, y", [
    ("kld", TRUE_DIST), ("poisson", COUNTS), ("hinge", BINARY), ("logcosh", TARGETS),
    ("binary_focal_crossentropy", BINARY), ("categorical_focal_crossentropy", ONE_HOT),
    ("dice", BINARY), ("msle", np.abs(TARGETS)),
])
def test_usable_by_name_in_compile_and_fit(loss, y):
    from dlpath import keras

    activation = "softmax" if loss in ("kld", "categorical_focal_crossentropy") else (
        "sigmoid" if loss in ("binary_focal_crossentropy", "dice") else "softplus")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation=activation)])
    model.compile(optimizer="sgd", loss=loss)
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    history = model.fit(x, y.astype(np.float32), epochs=2, batch_size=5, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert history.history["loss"][1] <= history.history["loss"][0] + 1e-6


def test_a_model_compiled_with_the_new_losses_and_metrics_saves_and_loads(tmp_path):
    from dlpath import keras
    from dlpath import metrics as M

    keras.utils.set_random_seed(2)
    x = RNG.standard_normal((8, 4, 4, 1)).astype(np.float32)
    y = (RNG.uniform(size=(8, 4, 4, 1)) > 0.5).astype(np.float32)
    model = keras.Sequential([keras.Input((4, 4, 1)),
                              keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")])
    model.compile(optimizer="adam", loss=L.Tversky(alpha=0.3, beta=0.7, axis=(1, 2, 3)),
                  metrics=[M.BinaryIoU([1]), "msle", M.PrecisionAtRecall(0.5)])
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    after = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert set(after) == {"loss", "binary_io_u", "msle", "precision_at_recall"}
    for key, value in before.items():
        np.testing.assert_allclose(after[key], value, rtol=1e-6, err_msg=key)


# --------------------------------------------------------------------------- GCE and circle
def test_generalized_cross_entropy_matches_its_formula_and_limits():
    labels = np.array([0, 3, 1, 2, 3])
    check_op(lambda p: L.CategoricalGeneralizedCrossEntropy(q=0.7)(labels, p),
             lambda p: ((1 - p.gather(1, torch.tensor(labels)[:, None])[:, 0] ** 0.7) / 0.7)
             .mean(), [PRED_DIST])
    small_q = L.categorical_generalized_cross_entropy(labels[:, None], PRED_DIST, q=1e-4).data
    np.testing.assert_allclose(small_q, -np.log(PRED_DIST[np.arange(5), labels]), rtol=1e-3)
    with pytest.raises(ValueError, match=r"q must lie in \(0, 1\), got 1.5"):
        L.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\]"):
        L.categorical_generalized_cross_entropy(np.array([0, 4, 1, 2, 3]), PRED_DIST, q=0.5)


def circle_by_hand(labels, emb, gamma=80.0, margin=0.4):
    d = np.maximum(1 - emb @ emb.T, 0)
    out = []
    for i in range(len(labels)):
        pos = (labels == labels[i]) & (np.arange(len(labels)) != i)
        neg = labels != labels[i]
        if not pos.any() or not neg.any():
            out.append(0.0)
            continue
        p_terms = -gamma * np.maximum(margin + d[i, pos], 0) * (margin - d[i, pos])
        n_terms = gamma * np.maximum(1 + margin - d[i, neg], 0) * (1 - margin - d[i, neg])
        lse = np.logaddexp.reduce(p_terms) + np.logaddexp.reduce(n_terms)
        out.append(np.logaddexp(0, lse))
    return np.array(out)


def test_circle_loss_matches_its_formula_and_averages_over_positive_losses():
    labels = np.array([0, 0, 1, 1, 1, 2])
    emb = RNG.standard_normal((6, 3))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    expected = circle_by_hand(labels, emb, gamma=4.0, margin=0.25)
    np.testing.assert_allclose(L.circle(labels, emb, gamma=4.0, margin=0.25).data, expected,
                               rtol=1e-5)
    assert expected[-1] == 0.0  # a label alone has no positives
    mean = L.Circle(gamma=4.0, margin=0.25)(labels, emb)
    np.testing.assert_allclose(float(mean.data), expected[expected > 0].mean(), rtol=1e-5)
    gradcheck(lambda e: L.circle(labels, e, gamma=4.0, margin=0.25).sum(), emb)
    x = Tensor(emb.astype(np.float32), requires_grad=True)
    L.Circle()(labels, x).backward()
    assert np.all(np.isfinite(x.grad))


def test_circle_against_reference_embeddings_and_its_errors():
    labels = np.array([0, 1, 0])
    emb = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    refs = np.array([[0.8, 0.6], [0.0, -1.0]])
    out = L.circle(labels, emb, ref_labels=np.array([0, 1]), ref_embeddings=refs,
                   remove_diagonal=False, gamma=2.0)
    d = np.maximum(1 - emb @ refs.T, 0)
    first = np.logaddexp(0, -2.0 * max(0.4 + d[0, 0], 0) * (0.4 - d[0, 0])
                         + 2.0 * max(1.4 - d[0, 1], 0) * (0.6 - d[0, 1]))
    np.testing.assert_allclose(out.data[0], first, rtol=1e-5)
    with pytest.raises(ValueError, match="circle: y_true must hold one integer label"):
        L.circle(np.array([0, 1]), emb)
    with pytest.raises(ValueError, match="circle: y_pred must be embeddings"):
        L.circle(labels, emb[:, 0])
    config = L.Circle(gamma=10, margin=0.2, remove_diagonal=False).get_config()
    assert L.deserialize({"class_name": "Circle", "config": config}).get_config() == config
    assert type(L.get("circle")) is L.Circle
    assert type(L.get("categorical_generalized_cross_entropy")) is \
        L.CategoricalGeneralizedCrossEntropy
