"""The project-cifar10-cnn lab: a convnet trained here briefly is evaluated by the checker on
the 10,000 official test images and rejected below 0.70 with the accuracy it reached;
untrained, MNIST-shaped and non-convolutional models and non-model files are rejected."""

import numpy as np
import pytest
from harness_project_labs import (
    accuracy_of, assert_model_rejected, mlp, not_a_model, save, small_cnn,
)

LAB = "project-cifar10-cnn"


@pytest.fixture(scope="module")
def cifar():
    import warnings

    from dlpath.datasets import cifar10

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x, y), (x_test, y_test) = cifar10.load_data()
    return ((x[:2000].astype(np.float32) / 255.0, y[:2000, 0].astype(np.int64)),
            (x_test.astype(np.float32) / 255.0, y_test[:, 0].astype(np.int64)))


def test_a_briefly_trained_convnet_gets_its_accuracy_and_is_below_the_bar(cifar, tmp_path):
    (x, y), (x_test, y_test) = cifar
    model = small_cnn(input_shape=(32, 32, 3), seed=0)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    accuracy = accuracy_of(model, x_test, y_test)
    assert 0.15 < accuracy < 0.70
    assert_model_rejected(LAB, save(model, tmp_path / "model.keras"), f"is {accuracy:.4f}",
                          "below the bar of 0.7", "10000 official test images")


def test_an_untrained_convnet_is_rejected_with_its_accuracy(cifar, tmp_path):
    model = small_cnn(input_shape=(32, 32, 3), seed=1)
    accuracy = accuracy_of(model, *cifar[1])
    assert_model_rejected(LAB, save(model, tmp_path / "untrained.keras"),
                          f"is {accuracy:.4f}", "below the bar of 0.7")


def test_an_mnist_shaped_convnet_names_expected_and_actual_shapes(tmp_path):
    assert_model_rejected(LAB, save(small_cnn(), tmp_path / "mnist.keras"),
                          "(batch, 28, 28, 1)", "(batch, 32, 32, 3)")


def test_a_model_without_convolutions_is_named(tmp_path):
    assert_model_rejected(LAB, save(mlp(input_shape=(32, 32, 3)), tmp_path / "mlp.keras"),
                          "no Conv2D layer")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path), "could not be read as a dlpath model")
