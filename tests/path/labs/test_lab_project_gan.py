"""The project-gan lab: the checker samples the handed-in generator and labels the images with
the lab's MNIST classifier. A generator that draws real digits passes; one that draws two
kinds of digit (mode collapse), an untrained one, one with pixels out of range, wrongly
shaped ones and non-model files are rejected with messages that say why."""

from importlib import resources

import numpy as np
from harness_project_labs import assert_model_rejected, mnist, not_a_model, run_model, save

import dlpath
from dlpath import keras
from dlpath.recipes.mnist_gan import Config, build_generator

LAB = "project-gan"


def prototype_generator(images: np.ndarray):
    """A 'generator' that draws the given images: softmax(50 z) picks (nearly) one of them
    for z ~ N(0, I) of one dimension per image, and a linear layer paints it in [-1, 1]."""
    count = len(images)
    layers = keras.layers
    model = keras.Sequential([keras.Input((count,)),
                              layers.Dense(count, activation="softmax", use_bias=False),
                              layers.Dense(28 * 28, use_bias=False),
                              layers.Reshape((28, 28, 1))])
    model.layers[0].set_weights([50.0 * np.eye(count, dtype=np.float32)])
    model.layers[1].set_weights([images.reshape(count, -1) * 2.0 - 1.0])
    return model


def test_the_classifier_shipped_with_the_lab_is_small_and_accurate():
    asset = resources.files("dlpath.path.labs") / "assets" / "mnist-classifier.keras"
    assert asset.is_file() and len(asset.read_bytes()) < 1 << 20
    from dlpath.path.labs.checks import project_gan

    (_, _), (x_test, y_test) = mnist()
    rows = slice(0, 2000)
    p = project_gan.classifier().predict(x_test[rows, ..., None], verbose=0)
    assert np.mean(p.argmax(axis=1) == y_test[rows]) > 0.97


def test_a_generator_drawing_real_digits_passes(tmp_path):
    (x, y), _ = mnist()
    path = save(prototype_generator(x[:100]), tmp_path / "generator.keras")
    result = run_model(LAB, path)
    assert result["passed"], result
    shown = {c["name"]: c["message"]["en"] for c in result["checks"]}
    assert "% of 1,000 samples are labelled confidently" in shown["confident"]


def test_a_generator_of_two_digits_is_named_mode_collapse(tmp_path):
    (x, y), _ = mnist()
    images = np.concatenate([x[y == 1][:50], x[y == 7][:50]])
    path = save(prototype_generator(images), tmp_path / "collapsed.keras")
    assert_model_rejected(LAB, path, "cover only 2 digits", "mode collapse", "missing: 0, 2")


def test_an_untrained_generator_is_not_confident(tmp_path):
    dlpath.random.set_seed(0)
    path = save(build_generator(Config()), tmp_path / "model.keras")
    assert_model_rejected(LAB, tmp_path, "do not look like a digit", "at least 50%")
    assert path.exists()


def test_pixels_out_of_range_are_named(tmp_path):
    dlpath.random.set_seed(0)
    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(784),
                              keras.layers.Reshape((28, 28))])
    model.layers[0].set_weights([np.full((16, 784), 5.0, np.float32),
                                 np.zeros(784, np.float32)])
    assert_model_rejected(LAB, save(model, tmp_path / "linear.keras"), "pixels run from",
                          "activation='tanh'")


def test_a_generator_taking_images_names_expected_and_actual_shapes(tmp_path):
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(1, 3,
                                                                            padding="same")])
    assert_model_rejected(LAB, save(model, tmp_path / "images.keras"), "(batch, 28, 28, 1)",
                          "(batch, latent_dim)")


def test_a_generator_of_the_wrong_output_shape_is_named(tmp_path):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(100, activation="tanh")])
    assert_model_rejected(LAB, save(model, tmp_path / "small.keras"), "(64, 100)",
                          "(64, 28, 28, 1)")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path), "could not be read as a dlpath model")
