"""The project-multitask lab: a two-head MNIST model trained here passes both bars; one
output, a parity given as logits, a parity head that answers "even", an untrained
model, a wrong input shape and a non-model file are rejected with messages that say why."""

import numpy as np
import pytest
from harness_project_labs import assert_model_rejected, mlp, mnist, not_a_model, run_model, save

import dlpath
from dlpath import keras
from dlpath.saving import load_model

LAB = "project-multitask"


def two_heads(seed=0, parity_activation="sigmoid", input_shape=(28, 28)):
    dlpath.random.set_seed(seed)
    inputs = keras.Input(input_shape)
    h = keras.layers.Dense(256, activation="relu")(keras.layers.Flatten()(inputs))
    digit = keras.layers.Dense(10, activation="softmax", name="digit")(h)
    parity = keras.layers.Dense(1, activation=parity_activation, name="parity")(h)
    model = keras.Model(inputs, [digit, parity])
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss={"digit": "sparse_categorical_crossentropy",
                        "parity": "binary_crossentropy"},
                  loss_weights={"digit": 1.0, "parity": 0.5})
    return model


def _fit(model, epochs=5):
    """Train on the 60,000 training images (5 epochs: digit ~0.977, parity ~0.985)."""
    (x, y), _ = mnist()
    model.fit(x, {"digit": y, "parity": (y % 2).astype(np.float32).reshape(-1, 1)},
              batch_size=128, epochs=epochs, verbose=0)
    return model


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return save(_fit(two_heads()), tmp_path_factory.mktemp("multitask") / "multitask.keras")


def test_a_trained_two_head_model_passes_and_reports_both_accuracies(trained):
    result = run_model(LAB, trained)
    assert result["passed"], result
    shown = {c["name"]: c["message"]["en"] for c in result["checks"]}
    assert "digit accuracy 0.9" in shown["digit-accuracy"]
    assert "parity accuracy 0.9" in shown["parity-accuracy"]


def test_a_parity_head_that_learned_even_digits_is_named(trained, tmp_path):
    model = load_model(str(trained))
    parity = model.get_layer("parity")  # -z: sigmoid gives P(even), as if trained on 1 - y % 2
    parity.set_weights([-w for w in parity.get_weights()])
    assert_model_rejected(LAB, save(model, tmp_path / "even.keras"), "parity head's test "
                          "accuracy", "below the bar of 0.98", "1 for odd digits")


def test_an_untrained_model_is_rejected_with_its_digit_accuracy(tmp_path):
    assert_model_rejected(LAB, save(two_heads(seed=2), tmp_path / "untrained.keras"),
                          "digit head's test accuracy", "below the bar of 0.97")


def test_a_model_with_one_output_is_named(tmp_path):
    assert_model_rejected(LAB, save(mlp(), tmp_path / "one.keras"), "1 output(s)",
                          "needs two")


def test_a_parity_given_as_logits_is_named(tmp_path):
    model = two_heads(parity_activation=None)
    model.get_layer("parity").set_weights([np.full((256, 1), 0.5, np.float32),
                                           np.full(1, 2.0, np.float32)])
    assert_model_rejected(LAB, save(model, tmp_path / "logits.keras"),
                          "probability of 'odd'", "activation='sigmoid'")


def test_a_model_of_the_wrong_input_shape_names_expected_and_actual(tmp_path):
    path = save(two_heads(input_shape=(8, 8)), tmp_path / "digits.keras")
    assert_model_rejected(LAB, path, "(batch, 8, 8)", "(batch, 28, 28)")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path, "multitask.keras"),
                          "could not be read as a dlpath model")
