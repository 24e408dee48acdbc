"""The project-transfer lab: a transferred model and one trained from scratch, both made
here on the first 100 labelled images of the digits 5-9, are compared by the checker on the
test images of 5-9; a fair pair passes, a pair without a lead, of different architectures or
with a missing or broken file is rejected with a message that says why."""

import re
import shutil

import numpy as np
import pytest
from harness_project_labs import assert_model_rejected, mnist, not_a_model, run_model, save

import dlpath
from dlpath import keras

LAB = "project-transfer"


def base():
    layers = keras.layers
    return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"),
                             layers.MaxPooling2D(), layers.Conv2D(32, 3, activation="relu"),
                             layers.MaxPooling2D(), layers.Flatten()], name="base")


def classifier(features, classes=5, learning_rate=1e-3):
    model = keras.Sequential([keras.Input((28, 28, 1)), features,
                              keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy")
    return model


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """transferred.keras (base pre-trained one epoch on 12,000 training images of the
    digits 0-4, then frozen) and scratch.keras, both trained 20 epochs on the first 100 training
    images of the digits 5-9 (about 0.86 against 0.78)."""
    (x, y), _ = mnist()
    x = x[..., None]
    dlpath.random.set_seed(0)
    features = base()
    source = np.flatnonzero(y < 5)[:12000]
    classifier(features, learning_rate=3e-3).fit(x[source], y[source], batch_size=128,
                                                 epochs=1, verbose=0)
    few = np.flatnonzero(y >= 5)[:100]
    features.trainable = False
    transferred = classifier(features)
    transferred.fit(x[few], y[few] - 5, batch_size=32, epochs=20, verbose=0)
    scratch = classifier(base())
    scratch.fit(x[few], y[few] - 5, batch_size=32, epochs=20, verbose=0)
    folder = tmp_path_factory.mktemp("pair")
    save(transferred, folder / "transferred.keras")
    save(scratch, folder / "scratch.keras")
    return folder


def _copy(pair, tmp_path):
    for name in ("transferred.keras", "scratch.keras"):
        shutil.copy(pair / name, tmp_path / name)
    return tmp_path


def test_a_fair_transfer_pair_passes_and_reports_both_accuracies(pair):
    result = run_model(LAB, pair)
    assert result["passed"], result
    shown = result["checks"][-1]["message"]["en"]
    assert re.search(r"transferred model \(0\.\d{4}\) is ahead of the one trained from "
                     r"scratch \(0\.\d{4}\)", shown), shown


def test_an_untrained_pair_is_rejected_with_the_accuracy_and_the_bar(tmp_path):
    for seed, name in enumerate(("transferred.keras", "scratch.keras")):
        dlpath.random.set_seed(seed)
        save(classifier(base()), tmp_path / name)
    assert_model_rejected(LAB, tmp_path, "transferred.keras reaches a test accuracy of 0.",
                          "below the bar of 0.8", "4861 test images")


def test_the_same_model_twice_is_not_ahead(pair, tmp_path):
    folder = _copy(pair, tmp_path)
    shutil.copy(folder / "transferred.keras", folder / "scratch.keras")
    assert_model_rejected(LAB, folder, "a lead of +0.0000", "less than the +0.02 needed")


def test_a_scratch_model_of_another_architecture_is_named(pair, tmp_path):
    folder = _copy(pair, tmp_path)
    dlpath.random.set_seed(1)
    wider = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(64, activation="relu"),
                              keras.layers.Dense(5, activation="softmax")])
    save(wider, folder / "scratch.keras")
    assert_model_rejected(LAB, folder, "the two models differ", "same architecture")


def test_a_missing_scratch_model_is_named(pair, tmp_path):
    folder = _copy(pair, tmp_path)
    (folder / "scratch.keras").unlink()
    assert_model_rejected(LAB, folder, "has no scratch.keras", "transferred.keras")


def test_a_single_file_is_not_enough(pair):
    assert_model_rejected(LAB, pair / "transferred.keras", "is a file", "folder")


def test_a_broken_model_file_is_named(pair, tmp_path):
    folder = _copy(pair, tmp_path)
    not_a_model(folder, "scratch.keras")
    assert_model_rejected(LAB, folder, "scratch.keras could not be read as a dlpath model")


def test_ten_outputs_instead_of_five_are_named(tmp_path):
    for name in ("transferred.keras", "scratch.keras"):
        dlpath.random.set_seed(0)
        save(classifier(base(), classes=10), tmp_path / name)
    assert_model_rejected(LAB, tmp_path, "(64, 10)", "(64, 5)", "Dense(5)")


def test_models_of_the_wrong_input_shape_are_named(tmp_path):
    for name in ("transferred.keras", "scratch.keras"):
        dlpath.random.set_seed(0)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(),
                                  keras.layers.Dense(5)])
        save(model, tmp_path / name)
    assert_model_rejected(LAB, tmp_path, "transferred.keras takes inputs of shape "
                          "(batch, 32, 32, 3)", "(batch, 28, 28, 1)")
