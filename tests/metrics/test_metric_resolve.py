"""metrics.get and metrics.resolve: names, compile's accuracy rule, names kept, errors."""

import numpy as np
import pytest

from dlpath import losses as L
from dlpath import metrics as M
from dlpath.engine import Tensor
from dlpath.engine import losses as engine_losses


@pytest.mark.parametrize("name, cls", [
    ("accuracy", M.Accuracy), ("acc", M.Accuracy), ("binary_accuracy", M.BinaryAccuracy),
    ("categorical_accuracy", M.CategoricalAccuracy),
    ("sparse_categorical_accuracy", M.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", M.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy", M.SparseTopKCategoricalAccuracy),
    ("precision", M.Precision), ("Precision", M.Precision), ("recall", M.Recall),
    ("auc", M.AUC), ("AUC", M.AUC), ("mse", M.MeanSquaredError),
    ("mean_squared_error", M.MeanSquaredError), ("mae", M.MeanAbsoluteError),
    ("mean_absolute_error", M.MeanAbsoluteError), ("rmse", M.RootMeanSquaredError),
    ("binary_crossentropy", M.BinaryCrossentropy), ("bce", M.BinaryCrossentropy),
    ("categorical_crossentropy", M.CategoricalCrossentropy),
    ("crossentropy", M.CategoricalCrossentropy),
    ("sparse_categorical_crossentropy", M.SparseCategoricalCrossentropy),
    ("true_positives", M.TruePositives), ("mean", M.Mean),
])
def test_get_resolves_names(name, cls):
    assert type(M.get(name)) is cls


def test_get_accepts_classes_instances_functions_and_configs():
    auc = M.AUC(curve="PR")
    assert M.get(auc) is auc
    assert type(M.get(M.Recall)) is M.Recall
    wrapped = M.get(M.sparse_top_k_categorical_accuracy)
    assert isinstance(wrapped, M.MeanMetricWrapper)
    assert wrapped.name == "sparse_top_k_categorical_accuracy"
    rebuilt = M.get({"class_name": "Precision", "config": {"thresholds": 0.3, "name": "p"}})
    assert rebuilt.thresholds == [0.3] and rebuilt.name == "p"
    assert M.get(None) is None


def test_serialize_round_trip():
    for metric in (M.Precision(thresholds=[0.2, 0.8], name="p"), M.AUC(num_thresholds=50),
                   M.SparseTopKCategoricalAccuracy(k=3), M.BinaryAccuracy(threshold=0.3),
                   M.MeanMetricWrapper(M.categorical_accuracy, name="ca")):
        rebuilt = M.deserialize(M.serialize(metric))
        assert type(rebuilt) is type(metric)
        assert rebuilt.get_config() == metric.get_config()
    assert M.serialize(M.binary_accuracy) == "binary_accuracy"


# --------------------------------------------------------------------------- compile's rule
LABELS = np.array([0, 2, 1])
ONE_HOT = np.eye(3)[LABELS]
PROBS = np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [0.1, 0.3, 0.6]])


@pytest.mark.parametrize("loss", [
    "binary_crossentropy", "bce", "BinaryCrossentropy", L.binary_crossentropy,
    engine_losses.binary_crossentropy, L.BinaryCrossentropy(from_logits=True),
    L.LossFunctionWrapper(L.binary_crossentropy),
    {"class_name": "BinaryCrossentropy", "config": {}},
])
def test_binary_accuracy_when_the_loss_is_binary_crossentropy(loss):
    metric = M.resolve("accuracy", loss, ONE_HOT, PROBS)
    assert type(metric) is M.BinaryAccuracy and metric.name == "accuracy"


def test_binary_accuracy_when_the_output_has_one_unit():
    metric = M.resolve("acc", "mse", np.array([1, 0, 1]), np.zeros((3, 1)))
    assert type(metric) is M.BinaryAccuracy and metric.name == "acc"
    metric.update_state(np.array([1, 0, 1]), np.array([[0.9], [0.2], [0.4]]))
    assert metric.result() == pytest.approx(2 / 3)


def test_sparse_accuracy_when_labels_have_one_axis_fewer_or_a_last_axis_of_one():
    for y_true in (LABELS, LABELS[:, None].astype(np.uint8), Tensor(LABELS)):
        metric = M.resolve("accuracy", "sparse_categorical_crossentropy", y_true, PROBS)
        assert type(metric) is M.SparseCategoricalAccuracy and metric.name == "accuracy"
    metric = M.resolve("Accuracy", None, LABELS[:, None], Tensor(PROBS))
    assert type(metric) is M.SparseCategoricalAccuracy and metric.name == "Accuracy"
    metric.update_state(LABELS[:, None], PROBS)
    assert metric.result() == pytest.approx(2 / 3)


def test_categorical_accuracy_otherwise():
    metric = M.resolve("acc", L.CategoricalCrossentropy(), ONE_HOT, PROBS)
    assert type(metric) is M.CategoricalAccuracy and metric.name == "acc"
    metric.update_state(ONE_HOT, PROBS)
    assert metric.result() == pytest.approx(2 / 3)


def test_crossentropy_follows_the_same_rule():
    assert type(M.resolve("crossentropy", "bce", ONE_HOT, PROBS)) is M.BinaryCrossentropy
    assert type(M.resolve("ce", None, LABELS, PROBS)) is M.SparseCategoricalCrossentropy
    metric = M.resolve("ce", None, ONE_HOT, PROBS)
    assert type(metric) is M.CategoricalCrossentropy and metric.name == "ce"


def test_other_identifiers_keep_the_name_as_written():
    assert M.resolve("mse", "mse", ONE_HOT, PROBS).name == "mse"
    assert M.resolve("AUC", "bce", ONE_HOT, PROBS).name == "AUC"
    metric = M.Precision(name="prec")
    assert M.resolve(metric, "bce", ONE_HOT, PROBS) is metric and metric.name == "prec"

    def hits(y_true, y_pred):
        return (np.argmax(y_pred, -1) == y_true).astype(np.float32)

    wrapped = M.resolve(hits, "sparse_categorical_crossentropy", LABELS, PROBS)
    assert isinstance(wrapped, M.MeanMetricWrapper) and wrapped.name == "hits"
    assert M.resolve(None) is None


# --------------------------------------------------------------------------- errors
def test_unknown_names_list_the_known_names():
    with pytest.raises(ValueError, match="unknown metric 'acuracy'; known: .*'accuracy'.*"
                                         "'sparse_categorical_accuracy'.*'auc'"):
        M.get("acuracy")
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        M.resolve("f1", "bce", ONE_HOT, PROBS)
    with pytest.raises(TypeError, match="expected a metric name"):
        M.get(3.5)
    with pytest.raises(ValueError, match="unknown metric class 'SpecificityAtPrecision'"):
        M.deserialize({"class_name": "SpecificityAtPrecision", "config": {}})


def test_resolving_accuracy_needs_the_shapes():
    with pytest.raises(ValueError, match="'accuracy' picks its variant from the shapes"):
        M.resolve("accuracy", "mse")
