"""The project-mnist-mlp lab: a model trained here passes (also through the real check
subprocess); an untrained model, a wrong input shape, a wrong output and files that are not
models are rejected with messages that say why."""

import shutil

import pytest
from harness_project_labs import (
    accuracy_of, assert_model_rejected, mlp, mnist, not_a_model, run_model, save,
)

from dlpath.path.labs import catalog, runner
from dlpath.path.labs.checks import _saved_models

LAB = "project-mnist-mlp"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Flatten-Dense(128)-Dense(10), 4 epochs on the 60,000 training images (~0.977)."""
    (x, y), _ = mnist()
    model = mlp(seed=0)
    model.fit(x, y, batch_size=128, epochs=4, verbose=0)
    return save(model, tmp_path_factory.mktemp("trained") / "mnist-mlp.keras")


def test_a_trained_mlp_passes_in_the_check_subprocess(trained):
    report = runner.run_checks(catalog.get(LAB), trained, seed=0)
    assert report.passed, report.failure("en")
    assert [c["name"] for c in report.checks] == ["loads", "input-shape", "output-shape",
                                                  "test-accuracy"]
    assert "accuracy 0.97" in report.checks[-1]["message"]["en"]  # what the checker measured


def test_a_run_folder_holding_model_keras_is_accepted(trained, tmp_path):
    shutil.copy(trained, tmp_path / "model.keras")
    assert run_model(LAB, tmp_path)["passed"]


def test_an_untrained_model_is_rejected_with_its_accuracy_and_the_bar(tmp_path):
    model = mlp(seed=1)
    accuracy = accuracy_of(model, *mnist()[1])
    message = assert_model_rejected(LAB, save(model, tmp_path / "untrained.keras"),
                                    f"is {accuracy:.4f}", "below the bar of 0.97",
                                    "10000 official test images")
    assert accuracy < 0.5, message


def test_a_model_of_the_wrong_input_shape_names_expected_and_actual(tmp_path):
    path = save(mlp(input_shape=(32, 32, 3)), tmp_path / "cifar-shaped.keras")
    assert_model_rejected(LAB, path, "(batch, 32, 32, 3)", "(batch, 28, 28)", "(batch, 784)")


def test_a_model_with_the_wrong_number_of_outputs_is_named(tmp_path):
    path = save(mlp(outputs=5), tmp_path / "five.keras")
    assert_model_rejected(LAB, path, "(64, 5)", "(64, 10)", "Dense(10)")


def test_a_text_file_is_not_a_model(tmp_path):
    assert_model_rejected(LAB, not_a_model(tmp_path), "could not be read as a dlpath model",
                          "not a zip file")


def test_a_file_of_another_kind_is_not_a_model(tmp_path):
    path = tmp_path / "weights.npz"
    path.write_bytes(b"\x00" * 64)
    assert_model_rejected(LAB, path, "could not be read as a dlpath model", ".keras")


def test_a_folder_without_model_keras_says_what_it_needs(tmp_path):
    (tmp_path / "notes.txt").write_text("no model here")
    assert_model_rejected(LAB, tmp_path, "holds no model", "model.keras")


def test_missing_test_data_says_where_to_put_it(trained, tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "empty"))
    monkeypatch.setenv("DLPATH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DLPATH_OFFLINE", "1")
    _saved_models.mnist_test.cache_clear()
    try:
        assert_model_rejected(LAB, trained, "could not load the MNIST test set", "DLPATH_DATA")
    finally:
        _saved_models.mnist_test.cache_clear()
