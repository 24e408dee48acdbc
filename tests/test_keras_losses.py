"""Keras loss objects (`dlpath.losses`): PyTorch parity, reductions, weights, smoothing, lookup.

(The engine's per-sample functions are tested in tests/engine/test_losses.py; a second file
named test_losses.py would clash with it under pytest's default import mode.)
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import losses as L
from dlpath.engine import Tensor
from dlpath.engine import losses as engine_losses
from dlpath.engine.activations import sigmoid, softmax
from reference import check_op, random_inputs

RNG = np.random.default_rng(7)
TARGETS = RNG.standard_normal((6, 4))
BINARY = RNG.integers(0, 2, (6, 4)).astype(np.float64)
LABELS = RNG.integers(0, 5, 6)
ONE_HOT = np.eye(5)[LABELS]


def tt(array):
    return torch.tensor(np.asarray(array), dtype=torch.float32)


# --------------------------------------------------------------------------- parity
@pytest.mark.parametrize("loss, reference", [
    (L.MeanSquaredError(), lambda p: F.mse_loss(p, tt(TARGETS))),
    (L.MeanAbsoluteError(), lambda p: F.l1_loss(p, tt(TARGETS))),
    (L.Huber(), lambda p: F.huber_loss(p, tt(TARGETS), delta=1.0)),
    (L.Huber(delta=0.4), lambda p: F.huber_loss(p, tt(TARGETS), delta=0.4)),
])
def test_regression_losses_match_torch(loss, reference):
    (pred,) = random_inputs([(6, 4)], seed=1)
    check_op(lambda p: loss(TARGETS, p), reference, [pred])


def test_binary_crossentropy_matches_torch_from_probabilities_and_logits():
    (logits,) = random_inputs([(6, 4)], seed=2)
    check_op(lambda z: L.BinaryCrossentropy(from_logits=True)(BINARY, z),
             lambda z: F.binary_cross_entropy_with_logits(z, tt(BINARY)), [logits])
    probs = 1 / (1 + np.exp(-logits))
    check_op(lambda p: L.BinaryCrossentropy()(BINARY, p),
             lambda p: F.binary_cross_entropy(p, tt(BINARY)), [probs])


def test_binary_crossentropy_of_a_sigmoid_output_uses_the_logits_even_when_saturated():
    logits = np.array([[30.0], [-30.0], [0.5], [-2.0]])
    y = np.array([0, 1, 1, 0], dtype=np.uint8)  # shape (n,) against y_pred (n, 1)
    check_op(lambda z: L.BinaryCrossentropy()(y, sigmoid(z)),
             lambda z: F.binary_cross_entropy_with_logits(z, tt(y[:, None])), [logits],
             finite_differences=False)


def test_a_sigmoid_output_reshaped_to_the_labels_still_uses_its_logits():
    logits = np.array([40.0, -40.0, 0.3])  # y_pred of shape (n,), labels of shape (n, 1)
    y = np.array([[0.0], [1.0], [1.0]])
    check_op(lambda z: L.BinaryCrossentropy()(y, sigmoid(z)),
             lambda z: F.binary_cross_entropy_with_logits(z, tt(y[:, 0])), [logits],
             finite_differences=False)


def test_categorical_crossentropies_match_torch():
    (logits,) = random_inputs([(6, 5)], seed=3)
    labels = torch.tensor(LABELS)
    check_op(lambda z: L.CategoricalCrossentropy(from_logits=True)(ONE_HOT, z),
             lambda z: F.cross_entropy(z, tt(ONE_HOT)), [logits])
    check_op(lambda z: L.SparseCategoricalCrossentropy(from_logits=True)(LABELS, z),
             lambda z: F.cross_entropy(z, labels), [logits])
    check_op(lambda z: L.CategoricalCrossentropy()(ONE_HOT, softmax(z)),
             lambda z: F.cross_entropy(z, labels), [logits])
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    check_op(lambda p: L.SparseCategoricalCrossentropy()(LABELS, p),
             lambda p: F.nll_loss(torch.log(p / p.sum(-1, keepdim=True)), labels), [probs])


def test_sparse_labels_of_any_integer_dtype_and_shape_n_by_1():
    (logits,) = random_inputs([(6, 5)], seed=4)
    expected = F.cross_entropy(tt(logits), torch.tensor(LABELS)).item()
    loss = L.SparseCategoricalCrossentropy(from_logits=True)
    for labels in (LABELS.astype(np.uint8), LABELS[:, None].astype(np.int32),
                   LABELS.astype(np.float32), Tensor(LABELS)):
        assert loss(labels, Tensor(logits)).item() == pytest.approx(expected, rel=1e-5)


def test_ignore_class_matches_torch_ignore_index():
    (logits,) = random_inputs([(6, 5)], seed=5)
    labels = LABELS.copy()
    labels[[1, 4]] = 255
    check_op(lambda z: L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255)(
                 labels, z),
             lambda z: F.cross_entropy(z, torch.tensor(labels), ignore_index=255), [logits])
    per_sample = L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255,
                                                 reduction="none")(labels, Tensor(logits))
    assert per_sample.data[1] == 0 and per_sample.data[4] == 0


# --------------------------------------------------------------------------- label smoothing
def test_categorical_label_smoothing_is_y_times_1_minus_ls_plus_ls_over_k():
    (logits,) = random_inputs([(6, 5)], seed=6)
    check_op(lambda z: L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)(
                 ONE_HOT, z),
             lambda z: F.cross_entropy(z, torch.tensor(LABELS), label_smoothing=0.2), [logits])


def test_binary_label_smoothing_moves_targets_towards_one_half():
    (logits,) = random_inputs([(6, 4)], seed=8)
    p = 1 / (1 + np.exp(-logits.astype(np.float32)))
    smooth = BINARY * (1 - 0.1) + 0.5 * 0.1
    hand = -(smooth * np.log(p) + (1 - smooth) * np.log(1 - p)).mean()
    got = L.BinaryCrossentropy(label_smoothing=0.1)(BINARY, p)
    assert got.item() == pytest.approx(hand, rel=1e-5)


# --------------------------------------------------------------------------- reductions
def test_reductions_sum_none_mean_and_the_auto_alias():
    (pred,) = random_inputs([(6, 4)], seed=9)
    per_sample = ((pred - TARGETS) ** 2).mean(-1)

    def run(**kw):
        return L.MeanSquaredError(**kw)(TARGETS, pred).data

    np.testing.assert_allclose(run(), per_sample.mean(), rtol=1e-5)
    np.testing.assert_allclose(run(reduction="auto"), per_sample.mean(), rtol=1e-5)
    np.testing.assert_allclose(run(reduction="mean"), per_sample.mean(), rtol=1e-5)
    np.testing.assert_allclose(run(reduction="sum"), per_sample.sum(), rtol=1e-5)
    np.testing.assert_allclose(run(reduction="none"), per_sample, rtol=1e-5)
    np.testing.assert_allclose(run(reduction=None), per_sample, rtol=1e-5)
    assert L.MeanSquaredError(reduction="auto").reduction == "sum_over_batch_size"


def test_sample_weights_are_applied_per_sample_as_keras_does():
    (pred,) = random_inputs([(6, 4)], seed=10)
    per_sample = ((pred - TARGETS) ** 2).mean(-1)
    w = np.arange(6, dtype=np.float64)
    mse = L.MeanSquaredError()
    # sum_over_batch_size divides the weighted sum by the number of losses, not by sum(w)
    expected = (w * per_sample).sum() / 6
    for weights in (w, w[:, None], list(w), Tensor(w)):
        assert mse(TARGETS, pred, sample_weight=weights).item() == pytest.approx(expected,
                                                                               rel=1e-5)
    assert mse(TARGETS, pred, sample_weight=2.0).item() == pytest.approx(
        2 * per_sample.mean(), rel=1e-5)
    weighted = L.MeanSquaredError(reduction="mean_with_sample_weight")
    assert weighted(TARGETS, pred, sample_weight=w).item() == pytest.approx(
        (w * per_sample).sum() / w.sum(), rel=1e-5)
    assert L.MeanSquaredError(reduction="sum")(TARGETS, pred, sample_weight=w).item() == \
        pytest.approx((w * per_sample).sum(), rel=1e-5)


def test_sample_weights_on_sequence_losses_per_sample_or_per_step():
    (logits,) = random_inputs([(3, 4, 5)], seed=11)
    labels = RNG.integers(0, 5, (3, 4))
    per_step = F.cross_entropy(tt(logits).permute(0, 2, 1), torch.tensor(labels),
                               reduction="none").numpy()  # (3, 4)
    loss = L.SparseCategoricalCrossentropy(from_logits=True)
    w = np.array([1.0, 0.0, 2.0])
    got = loss(labels, Tensor(logits), sample_weight=w).item()
    assert got == pytest.approx((per_step * w[:, None]).sum() / 12, rel=1e-5)
    w_steps = RNG.uniform(0, 1, (3, 4))
    got = loss(labels, Tensor(logits), sample_weight=w_steps).item()
    assert got == pytest.approx((per_step * w_steps).sum() / 12, rel=1e-5)


def test_gradient_of_a_weighted_loss_matches_torch():
    (pred,) = random_inputs([(6, 4)], seed=12)
    w = np.linspace(0.5, 2.0, 6)
    check_op(lambda p: L.MeanAbsoluteError()(TARGETS, p, sample_weight=w),
             lambda p: (F.l1_loss(p, tt(TARGETS), reduction="none").mean(-1) * tt(w)).mean(),
             [pred])


# --------------------------------------------------------------------------- shapes and dtypes
def test_labels_of_shape_n_against_predictions_n_by_1_give_one_loss_per_sample():
    y = np.array([0, 1, 1, 0, 1], dtype=np.uint8)
    p = np.array([[0.1], [0.8], [0.6], [0.3], [0.9]])
    none = L.BinaryCrossentropy(reduction="none")
    expected = -(y * np.log(p[:, 0]) + (1 - y) * np.log(1 - p[:, 0]))
    np.testing.assert_allclose(none(y, p).data, expected, rtol=1e-5)
    np.testing.assert_allclose(none(y[:, None], p[:, 0]).data, expected, rtol=1e-5)
    np.testing.assert_allclose(L.mse(y, p).data, (y - p[:, 0]) ** 2, rtol=1e-5)


def test_targets_take_the_prediction_dtype():
    pred = Tensor(np.full((2, 3), 0.5), dtype="float64")
    out = L.MeanSquaredError()(np.ones((2, 3), dtype=np.uint8), pred)
    assert out.dtype == np.float64 and out.item() == pytest.approx(0.25)
    assert L.MeanSquaredError()(np.ones((2, 3), dtype=np.int64), np.zeros((2, 3))).dtype == \
        np.float32


def test_function_aliases():
    assert L.mse is L.mean_squared_error and L.mae is L.mean_absolute_error
    y, p = TARGETS, np.zeros((6, 4))
    np.testing.assert_allclose(L.mse(y, p).data, (y ** 2).mean(-1), rtol=1e-5)
    np.testing.assert_allclose(L.huber(y, p, 0.5).data,
                               engine_losses.huber(y, Tensor(p), 0.5).data)


# --------------------------------------------------------------------------- wrappers, lookup
def test_plain_functions_and_custom_losses_are_wrapped_and_reduced():
    def squared(y_true, y_pred):
        return ((y_pred - y_true) ** 2).mean(axis=-1)

    wrapped = L.get(squared)
    assert isinstance(wrapped, L.LossFunctionWrapper) and wrapped.name == "squared"
    (pred,) = random_inputs([(6, 4)], seed=13)
    assert wrapped(TARGETS, pred).item() == pytest.approx(
        L.MeanSquaredError()(TARGETS, pred).item(), rel=1e-6)

    class Absolute(L.Loss):
        def call(self, y_true, y_pred):
            return (y_pred - y_true).abs().mean(axis=-1)

    assert Absolute().name == "absolute"
    assert Absolute(reduction="sum")(TARGETS, pred).item() == pytest.approx(
        np.abs(pred - TARGETS).mean(-1).sum(), rel=1e-5)


@pytest.mark.parametrize("name, cls", [
    ("mse", L.MeanSquaredError), ("mean_squared_error", L.MeanSquaredError),
    ("MSE", L.MeanSquaredError), ("mae", L.MeanAbsoluteError),
    ("mean_absolute_error", L.MeanAbsoluteError), ("huber", L.Huber), ("huber_loss", L.Huber),
    ("binary_crossentropy", L.BinaryCrossentropy), ("BinaryCrossentropy", L.BinaryCrossentropy),
    ("categorical_crossentropy", L.CategoricalCrossentropy),
    ("sparse_categorical_crossentropy", L.SparseCategoricalCrossentropy),
    ("SparseCategoricalCrossentropy", L.SparseCategoricalCrossentropy),
])
def test_get_resolves_names(name, cls):
    assert type(L.get(name)) is cls


def test_get_accepts_instances_classes_functions_and_configs():
    loss = L.CategoricalCrossentropy(from_logits=True)
    assert L.get(loss) is loss
    assert type(L.get(L.Huber)) is L.Huber
    assert type(L.get(L.binary_crossentropy)) is L.BinaryCrossentropy
    assert type(L.get(engine_losses.sparse_categorical_crossentropy)) is \
        L.SparseCategoricalCrossentropy
    assert L.get(None) is None
    config = {"class_name": "Huber", "config": {"delta": 2.0, "reduction": "sum"}}
    rebuilt = L.get(config)
    assert rebuilt.get_config()["delta"] == 2.0 and rebuilt.reduction == "sum"


@pytest.mark.parametrize("loss", [
    L.MeanSquaredError(reduction="sum"), L.MeanAbsoluteError(name="l1"), L.Huber(delta=0.3),
    L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    L.CategoricalCrossentropy(label_smoothing=0.2, reduction="none"),
    L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1),
    L.LossFunctionWrapper(L.mean_absolute_error, reduction="sum"),
])
def test_serialize_round_trip(loss):
    config = L.serialize(loss)
    rebuilt = L.deserialize(config)
    assert type(rebuilt) is type(loss)
    assert rebuilt.get_config() == loss.get_config()
    assert L.get(config).get_config() == loss.get_config()
    (pred,) = random_inputs([(4, 3)], seed=14, low=0.1, high=0.9)
    y = np.eye(3)[[0, 2, 1, 1]]
    if isinstance(loss, L.SparseCategoricalCrossentropy):
        y = np.array([0, 2, 1, 1])
    np.testing.assert_allclose(rebuilt(y, pred).data, loss(y, pred).data)


def test_serialize_functions_by_name():
    assert L.serialize(L.mse) == "mean_squared_error"
    assert type(L.deserialize("mean_squared_error")) is L.MeanSquaredError
    assert L.serialize(None) is None


# --------------------------------------------------------------------------- errors
def test_unknown_name_lists_the_known_names():
    with pytest.raises(ValueError, match="unknown loss 'msq'.*'mse'.*'binary_crossentropy'"):
        L.get("msq")
    with pytest.raises(ValueError, match="unknown loss class 'Nope'"):
        L.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(TypeError, match="expected a loss name"):
        L.get(3)


def test_invalid_arguments_raise_with_expected_and_actual():
    with pytest.raises(ValueError, match="unknown reduction 'avg'.*sum_over_batch_size"):
        L.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="label_smoothing must lie in \\[0, 1\\], got 1.5"):
        L.BinaryCrossentropy(label_smoothing=1.5)
    with pytest.raises(ValueError, match="delta must be >= 0"):
        L.Huber(delta=-1)
    with pytest.raises(ValueError, match="only the last axis"):
        L.binary_crossentropy(BINARY, BINARY, axis=0)


def test_shape_mismatches_name_the_loss_and_both_shapes():
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(6, 3\).*\(6, 4\)"):
        L.MeanSquaredError()(TARGETS[:, :3], TARGETS)
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy.*\(5,\)"):
        L.SparseCategoricalCrossentropy()(LABELS[:5], ONE_HOT)
    with pytest.raises(ValueError, match=r"mean_squared_error: sample_weight of shape \(5,\)"):
        L.MeanSquaredError()(TARGETS, TARGETS, sample_weight=np.ones(5))


def test_categorical_crossentropy_on_one_output_warns():
    with pytest.warns(UserWarning, match="binary_crossentropy"):
        L.categorical_crossentropy(np.ones((3, 1)), np.full((3, 1), 0.5))
