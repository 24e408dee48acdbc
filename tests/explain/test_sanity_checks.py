"""The sanity checks of Adebayo et al. (2018): a map that ignores the model is flagged, a
gradient map of a trained model is not. A small MLP on the bundled 8x8 digits trains in
about a second."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import spearmanr

from dlpath import explain, keras
from dlpath import random as dlrandom
from dlpath.commands.explain import edge_detector
from dlpath.datasets import digits


@pytest.fixture(scope="module")
def digits_data():
    (x_train, y_train), (x_test, _) = digits.load_data(seed=0)
    return (x_train / 16.0).astype(np.float32), y_train, (x_test / 16.0).astype(np.float32)


@pytest.fixture(scope="module")
def trained(digits_data):
    """Flatten -> Dense(32, relu) -> Dense(10, softmax), about 95 % training accuracy."""
    x_train, y_train, _ = digits_data
    dlrandom.set_seed(0)
    model = keras.Sequential([keras.Input(shape=(8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu", name="hidden"),
                              keras.layers.Dense(10, activation="softmax", name="scores")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=5, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    return model


@pytest.fixture
def inputs(digits_data):
    return digits_data[2][:8]


def saliency(model, x, targets):
    return explain.saliency(model, x, targets)


def the_input_itself(model, x, targets):
    return np.asarray(x, dtype=np.float32)


# ---------------------------------------------------------------- the verdicts
def test_a_method_that_returns_the_input_is_flagged_by_both_tests(trained, inputs,
                                                                  digits_data):
    result = explain.sanity_check(trained, inputs, the_input_itself, "input",
                                  data=digits_data[:2])
    assert result.failed
    assert [name for name, _ in result.cascading] == ["scores", "hidden"]
    assert all(rho == pytest.approx(1.0) for _, rho in result.cascading + result.independent)
    assert result.label == pytest.approx(1.0)
    assert len(result.reasons) == 2
    assert "fully randomized" in result.reasons[0]
    assert "shuffled labels" in result.reasons[1]


def test_the_edge_detector_control_is_flagged(trained, inputs):
    result = explain.sanity_check(trained, inputs, edge_detector, "edge detector",
                                  independent=False)
    assert result.failed and result.independent == []
    assert result.cascading[-1][1] > 0.99


def test_saliency_of_a_trained_model_passes(trained, inputs, digits_data):
    result = explain.sanity_check(trained, inputs, saliency, data=digits_data[:2])
    assert result.method == "saliency"
    assert not result.failed, result.reasons
    assert result.cascading[-1][1] < explain.THRESHOLD
    assert result.label < explain.THRESHOLD
    assert "shuffled labels" in result.label_training
    # The verdict is data: it goes to JSON as it is.
    saved = json.loads(json.dumps(result.as_dict()))
    assert saved["failed"] is False and saved["cascading"][0][0] == "scores"


def test_integrated_gradients_of_a_trained_model_passes(trained, inputs):
    def ig(model, x, targets):
        return explain.integrated_gradients(model, x, targets, max_steps=32).attributions

    assert not explain.sanity_check(trained, inputs, ig, "ig").failed


def test_the_threshold_decides_the_verdict(trained, inputs):
    strict = explain.sanity_check(trained, inputs, saliency, threshold=-1.0,
                                  independent=False)
    assert strict.failed and "> -1.00" in strict.reasons[0]


# ---------------------------------------------------------------- the randomization itself
def test_cascading_then_independent_randomization_of_each_layer(trained, inputs):
    trained_weights = [w.copy() for w in trained.get_weights()]
    seen = []  # the kernels (hidden, scores) each call of the method saw

    def recording(model, x, targets):
        seen.append([model.get_layer(name).get_weights()[0].copy()
                     for name in ("hidden", "scores")])
        return explain.saliency(model, x, targets)

    result = explain.sanity_check(trained, inputs, recording, seed=3)
    assert [n for n, _ in result.cascading] == ["scores", "hidden"]
    assert [n for n, _ in result.independent] == ["scores", "hidden"]
    assert len(seen) == 5  # the reference, 2 cascading steps, 2 independent ones
    reference, top, both, only_top, only_hidden = seen
    same = np.array_equal
    assert same(reference[0], trained_weights[0]) and same(reference[1], trained_weights[2])
    assert same(top[0], reference[0]) and not same(top[1], reference[1])
    assert not same(both[0], reference[0]) and same(both[1], top[1])  # the top stays random
    assert same(only_top[0], reference[0]) and not same(only_top[1], reference[1])
    assert not same(only_hidden[0], reference[0]) and same(only_hidden[1], reference[1])
    # A kernel is re-drawn with the spread of its trained values.
    assert np.std(both[0]) == pytest.approx(np.std(reference[0]), rel=0.1)
    # The trained weights are back afterwards.
    for after, before in zip(trained.get_weights(), trained_weights):
        np.testing.assert_array_equal(after, before)


def test_label_randomization_trains_a_fresh_copy_and_leaves_the_model(trained, digits_data):
    x_train, y_train, _ = digits_data
    before = [w.copy() for w in trained.get_weights()]
    clone, note = explain.train_on_shuffled_labels(trained, (x_train, y_train), epochs=1,
                                                   samples=256)
    assert clone is not trained
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in before]
    assert not np.array_equal(clone.get_weights()[0], before[0])
    for after, kept in zip(trained.get_weights(), before):
        np.testing.assert_array_equal(after, kept)
    assert note.startswith("1 epoch(s) on 256 samples")
    accuracy = float(note.rsplit(" ", 1)[1])
    assert accuracy < 0.3  # shuffled labels: about chance (0.1), not the trained 0.95


# ---------------------------------------------------------------- the correlation
def test_rank_correlation_is_scipys_spearman_averaged_over_samples():
    rng = np.random.default_rng(0)
    first = rng.normal(size=(4, 8, 8))
    second = first + rng.normal(scale=1.0, size=first.shape)
    expected = np.mean([spearmanr(np.abs(a).ravel(), np.abs(b).ravel()).statistic
                        for a, b in zip(first, second)])
    assert explain.rank_correlation(first, second) == pytest.approx(expected, abs=1e-12)
    assert 0.0 < expected < 1.0


def test_rank_correlation_on_real_maps_matches_scipy(trained, inputs):
    maps = explain.saliency(trained, inputs)
    edges = edge_detector(trained, inputs, None)
    expected = []
    for a, b in zip(np.abs(maps).reshape(8, -1), np.abs(edges).reshape(8, -1)):
        kept = (a != 0) | (b != 0)  # positions where both maps are 0 are left out
        expected.append(spearmanr(a[kept], b[kept]).statistic)
    assert explain.rank_correlation(maps, edges) == pytest.approx(np.mean(expected),
                                                                  abs=1e-12)


def test_rank_correlation_of_equal_constant_and_mismatched_maps():
    ones = np.ones((2, 3, 3))
    assert explain.rank_correlation(ones, ones) == 1.0
    assert explain.rank_correlation(ones, np.arange(18.0).reshape(2, 3, 3)) == 0.0
    with pytest.raises(explain.ExplainError, match=r"\(2, 9\) and \(2, 4\)"):
        explain.rank_correlation(ones, np.ones((2, 2, 2)))


def test_bad_arguments_are_named(trained, inputs):
    with pytest.raises(explain.ExplainError, match="method must be a function"):
        explain.sanity_check(trained, inputs, "saliency")
    frozen = keras.Sequential([keras.Input(shape=(8, 8)), keras.layers.Flatten()])
    with pytest.raises(explain.ExplainError, match="no trainable weights"):
        explain.sanity_check(frozen, inputs, the_input_itself, targets=0)
    with pytest.raises(explain.ExplainError, match="needs training samples"):
        explain.train_on_shuffled_labels(trained, (inputs[:1], np.zeros(1, int)))


def test_one_shuffled_label_model_serves_several_methods(trained, inputs, digits_data):
    shuffled = explain.train_on_shuffled_labels(trained, digits_data[:2], samples=128)
    used = []

    def recording(model, x, targets):
        used.append(model)
        return explain.saliency(model, x, targets)

    result = explain.sanity_check(trained, inputs, recording, independent=False,
                                  shuffled=shuffled)
    assert used[-1] is shuffled[0] and used.count(shuffled[0]) == 1
    assert result.label_training == shuffled[1]
    predicted = trained.predict(inputs, verbose=0).argmax(axis=1)
    expected = explain.rank_correlation(saliency(trained, inputs, predicted),
                                        saliency(shuffled[0], inputs, predicted))
    assert result.label == pytest.approx(expected)
