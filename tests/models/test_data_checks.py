"""fit/evaluate/predict refuse data that would give a silent wrong answer: NaN or infinity,
string labels, binary cross-entropy targets outside [0, 1]."""

import numpy as np
import pytest

from dlpath import keras
from dlpath.keras import layers
from dlpath.models.data_checks import (
    DataCheckError, LabelTypeError, check_finite, first_non_finite,
)


def data(n=20, features=3, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, features)).astype(np.float32),
            rng.standard_normal((n, 1)).astype(np.float32))


def regressor(loss="mse", units=1):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(units)])
    model.compile("sgd", loss)
    return model


# --------------------------------------------------------------------------- NaN and infinity
def test_nan_in_x_is_refused_with_its_index():
    x, y = data()
    x[7, 2] = np.nan
    with pytest.raises(DataCheckError, match=r"fit: x contains nan at index \(7, 2\) "
                                             r"\(sample 7\).*check_finite=False"):
        regressor().fit(x, y, verbose=0)


@pytest.mark.parametrize("where", ["y", "sample_weight"])
def test_infinity_in_targets_or_weights_is_refused(where):
    x, y = data()
    weights = np.ones(20, np.float32)
    (y if where == "y" else weights)[4] = -np.inf
    expected = rf"fit: {where} contains -inf at index (4|\(4, 0\))"
    with pytest.raises(DataCheckError, match=expected):
        regressor().fit(x, y, sample_weight=weights, verbose=0)


def test_validation_data_is_checked_and_named():
    x, y = data()
    x_val, y_val = data(8, seed=1)
    y_val[3, 0] = np.nan
    with pytest.raises(DataCheckError, match=r"validation_data's y contains nan at index "
                                             r"\(3, 0\)"):
        regressor().fit(x, y, validation_data=(x_val, y_val), verbose=0)


def test_several_inputs_are_named_by_position_or_key():
    a, b = keras.Input(shape=(2,), name="a"), keras.Input(shape=(1,), name="b")
    model = keras.Model([a, b], layers.Dense(1)(layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    x_a, x_b = np.ones((6, 2), np.float32), np.ones((6, 1), np.float32)
    x_b[5, 0] = np.inf
    with pytest.raises(DataCheckError, match=r"x\[1\] contains inf at index \(5, 0\)"):
        model.fit([x_a, x_b], np.ones((6, 1)), verbose=0)
    with pytest.raises(DataCheckError, match=r"x\['b'\] contains inf"):
        model.evaluate({"a": x_a, "b": x_b}, np.ones((6, 1)), verbose=0)


def test_evaluate_predict_and_on_batch_methods_check_too():
    x, y = data()
    model = regressor()
    bad = x.copy()
    bad[0, 0] = np.nan
    with pytest.raises(DataCheckError, match="evaluate: x contains nan"):
        model.evaluate(bad, y, verbose=0)
    with pytest.raises(DataCheckError, match="predict: x contains nan"):
        model.predict(bad, verbose=0)
    with pytest.raises(DataCheckError, match="train_on_batch: x contains nan"):
        model.train_on_batch(bad, y)
    with pytest.raises(DataCheckError, match="test_on_batch: x contains nan"):
        model.test_on_batch(bad, y)


def test_check_finite_false_skips_the_pass():
    x, y = data()
    x[0, 0] = np.nan
    model = regressor()
    history = model.fit(x, y, verbose=0, check_finite=False)
    assert np.isnan(history.history["loss"][0])
    assert np.isnan(model.predict(x, verbose=0, check_finite=False)[0, 0])
    assert np.isnan(model.evaluate(x, y, verbose=0, check_finite=False))


def test_the_fast_pass_has_no_false_alarm_when_a_sum_overflows():
    big = np.full((4, 3), 3e38, np.float32)  # finite values whose float32 sum is inf
    assert first_non_finite(big) is None
    check_finite("fit", {"x": big})
    big[2, 1] = np.nan
    assert first_non_finite(big) == 7
    assert first_non_finite(np.arange(5)) is None  # integers hold no NaN


def test_generators_are_not_scanned():
    x, y = data()
    x[0, 0] = np.nan
    model = regressor()
    history = model.fit(((x[i:i + 5], y[i:i + 5]) for i in range(0, 20, 5)), verbose=0)
    assert np.isnan(history.history["loss"][0])


# --------------------------------------------------------------------------- string labels
@pytest.mark.parametrize("labels", [np.array(["cat", "dog"] * 10),
                                    np.array(["cat", "dog"] * 10, dtype=object),
                                    np.array([b"cat", b"dog"] * 10)])
def test_string_labels_are_refused_with_a_way_to_map_them(labels):
    x, _ = data()
    model = regressor("sparse_categorical_crossentropy", units=2)
    with pytest.raises(LabelTypeError, match=r"fit: y holds strings .*'?b?'cat'.*"
                                             r"np.unique\(y, return_inverse=True\)"):
        model.fit(x, labels, verbose=0)
    assert issubclass(LabelTypeError, TypeError) and issubclass(LabelTypeError, ValueError)


def test_string_validation_labels_are_refused():
    x, y = data()
    with pytest.raises(LabelTypeError, match="validation_data's y holds strings"):
        regressor().fit(x, y, validation_data=(x, np.array(["a"] * 20)), verbose=0)


def test_string_inputs_are_allowed_for_text_models():
    vectorizer = layers.TextVectorization(max_tokens=10, output_mode="count")
    texts = np.array(["a b", "b c", "c a", "a a"])
    vectorizer.adapt(texts)
    model = keras.Sequential([keras.Input(shape=(), dtype="string"), vectorizer,
                              layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(texts, np.ones(4), verbose=0).history["loss"]) == 1


# --------------------------------------------------------------------------- binary targets
@pytest.mark.parametrize("loss", ["binary_crossentropy", "bce",
                                  keras.losses.BinaryCrossentropy(from_logits=True),
                                  keras.losses.binary_crossentropy])
def test_binary_crossentropy_refuses_class_ids(loss):
    x, _ = data()
    labels = np.arange(20) % 10  # ten classes given to a binary loss
    with pytest.raises(DataCheckError, match=r"the loss .* \(binary cross-entropy\) needs "
                                             r"targets in \[0, 1\], but y has 2 at index 2"):
        regressor(loss).fit(x, labels, verbose=0)


def test_binary_crossentropy_refuses_minus_one_labels_in_evaluate():
    x, _ = data()
    labels = np.where(np.arange(20) % 2, 1.0, -1.0).astype(np.float32)
    with pytest.raises(DataCheckError, match=r"but y has -1.0 at index 0.*-1/\+1"):
        regressor("binary_crossentropy").evaluate(x, labels, verbose=0)


def test_binary_crossentropy_accepts_soft_targets_and_other_losses_any_targets():
    x, _ = data()
    soft = np.linspace(0, 1, 20).astype(np.float32)
    assert regressor("binary_crossentropy").fit(x, soft, verbose=0).history["loss"]
    assert regressor("mse").fit(x, np.arange(20.0), verbose=0).history["loss"]


def test_binary_crossentropy_of_one_output_checks_only_its_targets():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, [layers.Dense(1, name="p")(inputs),
                                 layers.Dense(1, name="r")(inputs)])
    model.compile("sgd", {"p": "binary_crossentropy", "r": "mse"})
    x, _ = data()
    ok = {"p": np.ones((20, 1)), "r": np.full((20, 1), 5.0)}
    model.fit(x, ok, verbose=0)
    with pytest.raises(DataCheckError, match=r"y\['p'\] has 5.0"):
        model.fit(x, {"p": ok["r"], "r": ok["p"]}, verbose=0)


def test_binary_crossentropy_metric_refuses_targets_outside_0_1():
    metric = keras.metrics.BinaryCrossentropy()
    metric.update_state(np.array([[0.0], [1.0]]), np.array([[0.2], [0.9]]))
    with pytest.raises(ValueError, match=r"'binary_crossentropy' \(BinaryCrossentropy\): "
                                         r"y_true must be in \[0, 1\], got 3"):
        metric.update_state(np.array([[3.0], [1.0]]), np.array([[0.2], [0.9]]))
