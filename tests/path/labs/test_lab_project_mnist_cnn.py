"""The project-mnist-cnn lab: a convnet trained here on part of MNIST is evaluated by the
checker on the full test set and rejected below 0.99 with the accuracy it reached; untrained,
non-convolutional, wrongly shaped models and non-model files are rejected clearly."""

import pytest
from harness_project_labs import (
    accuracy_of, assert_model_rejected, mlp, mnist, not_a_model, run_model, save, small_cnn,
)

from dlpath import keras

LAB = "project-mnist-cnn"


@pytest.fixture(scope="module")
def partly_trained(tmp_path_factory):
    """A small convnet after one epoch on 3,000 training images (about 0.9)."""
    (x, y), (x_test, y_test) = mnist()
    model = small_cnn(seed=0)
    model.fit(x[:3000, ..., None], y[:3000], batch_size=32, epochs=1, verbose=0)
    accuracy = accuracy_of(model, x_test[..., None], y_test)
    return save(model, tmp_path_factory.mktemp("cnn") / "model.keras"), accuracy


def test_a_partly_trained_convnet_gets_its_accuracy_and_is_below_the_bar(partly_trained):
    path, accuracy = partly_trained
    assert 0.5 < accuracy < 0.99
    result = run_model(LAB, path.parent)  # the run folder, holding model.keras
    names = [c["name"] for c in result["checks"]]
    assert names == ["loads", "convolutional", "input-shape", "output-shape", "test-accuracy"]
    assert [c["passed"] for c in result["checks"]] == [True, True, True, True, False]
    message = result["checks"][-1]["message"]["en"]
    assert f"is {accuracy:.4f}, below the bar of 0.99" in message


def test_an_untrained_convnet_is_rejected_with_its_accuracy_and_the_bar(tmp_path):
    model = small_cnn(seed=3)
    accuracy = accuracy_of(model, mnist()[1][0][..., None], mnist()[1][1])
    assert_model_rejected(LAB, save(model, tmp_path / "untrained.keras"),
                          f"is {accuracy:.4f}", "below the bar of 0.99")


def test_an_mlp_is_not_a_convnet(tmp_path):
    path = save(mlp(input_shape=(28, 28, 1)), tmp_path / "mlp.keras")
    assert_model_rejected(LAB, path, "no Conv2D layer", "Dense, Flatten")


def test_images_without_the_channel_axis_are_named(tmp_path):
    layers = keras.layers
    model = keras.Sequential([keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
                              layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(10)])
    assert_model_rejected(LAB, save(model, tmp_path / "no-channel.keras"),
                          "(batch, 28, 28)", "(batch, 28, 28, 1)", "channels last")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path, "mnist-cnn.keras"),
                          "could not be read as a dlpath model")
