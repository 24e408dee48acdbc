"""Training leaves attribution maps in ``<run>/explanations/``; the report shows them and
runs no model to do so."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from dlpath import cli, explain, keras
from dlpath.explain.report import write_explanations
from dlpath.recipes import get_recipe
from dlpath.workflow import RunFolder, evaluation, files


@pytest.fixture
def copied_run(digits_run, tmp_path) -> RunFolder:
    """A copy of the shared run, free to change."""
    return RunFolder(shutil.copytree(digits_run.path, tmp_path / digits_run.path.name))


def test_training_writes_the_maps_and_what_they_show(digits_run):
    folder = digits_run.path / "explanations"
    saved = files.read_json(folder / "explanations.json")
    png = (folder / saved["image"]).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    assert saved["methods"] == ["saliency", "SmoothGrad", "Integrated Gradients"]  # an MLP
    assert "completeness within 1%" in saved["integrated_gradients"]
    # The samples are the test images as the saved predictions classify them.
    result = evaluation.load(digits_run.predictions, {}, [str(i) for i in range(10)],
                             "image")
    shown = saved["samples"]
    assert saved["counts"] == {"correct": 4, "wrong": 4} and len(shown) == 8
    for sample in shown:
        i = sample["test_index"]
        assert sample["correct"] == bool(result.y_true[i] == result.y_pred[i])
        assert sample["title"].startswith("correct" if sample["correct"] else "wrong")
    wrong = [s["test_index"] for s in shown if not s["correct"]]
    assert wrong == result.mistakes(4).tolist()  # the most confident mistakes


def test_the_report_shows_them(digits_run):
    page = digits_run.report.read_text(encoding="utf-8")
    section = page[page.index("<h2>Explanations</h2>"):]
    section = section[:section.index("</section>")]
    assert '<img alt="attributions" src="data:image/png;base64,' in section
    assert "4 correctly classified test images and the 4 most confident mistakes" in section
    assert "completeness within 1%" in section


def test_the_report_is_rebuilt_without_running_the_model(copied_run, monkeypatch):
    from dlpath.models.trainer import Trainer

    def refuse(*args, **kwargs):
        raise AssertionError("the report must not run the model")

    for name in ("saliency", "smoothgrad", "integrated_gradients", "gradcam"):
        monkeypatch.setattr(explain, name, refuse)
    for method in ("predict", "evaluate"):
        monkeypatch.setattr(Trainer, method, refuse)
    copied_run.report.unlink()
    assert cli.main(["report", str(copied_run.path)]) == 0
    assert "<h2>Explanations</h2>" in copied_run.report.read_text(encoding="utf-8")


def test_a_run_without_explanations_or_without_the_picture(copied_run):
    from dlpath.reports import explanations

    (copied_run.path / "explanations" / "attributions.png").unlink()
    heading, text = explanations.section(copied_run.path)
    assert heading == "Explanations" and "picture attributions.png is missing" in text
    shutil.rmtree(copied_run.path / "explanations")
    assert explanations.section(copied_run.path) is None


# ---------------------------------------------------------------- write_explanations
def _evaluation(model, x, kind="image"):
    probabilities = evaluation.class_probabilities(model.predict(x, verbose=0))
    y_true = np.arange(len(x)) % probabilities.shape[1]
    return evaluation.Evaluation({}, x, y_true, probabilities,
                                 [str(i) for i in range(probabilities.shape[1])], kind)


def small_cnn():
    return keras.Sequential([keras.Input(shape=(8, 8, 1)),
                             keras.layers.Conv2D(2, 3, activation="relu", name="features"),
                             keras.layers.Flatten(),
                             keras.layers.Dense(3, activation="softmax")])


def test_a_convolutional_model_gets_a_gradcam_column(tmp_path):
    model = small_cnn()
    x = np.random.default_rng(0).uniform(size=(12, 8, 8, 1)).astype(np.float32)
    folder = RunFolder(tmp_path)
    assert write_explanations(folder, get_recipe("mnist-cnn"), model, _evaluation(model, x))
    saved = files.read_json(tmp_path / "explanations" / "explanations.json")
    assert saved["methods"][-1] == "Grad-CAM"
    assert (tmp_path / "explanations" / saved["image"]).is_file()


def test_other_runs_get_nothing(tmp_path):
    model = small_cnn()
    x = np.zeros((4, 8, 8, 1), np.float32)
    folder = RunFolder(tmp_path)
    recipe = get_recipe("mnist-cnn")
    assert not write_explanations(folder, recipe, model, None)  # no classifier
    assert not write_explanations(folder, recipe, model, _evaluation(model, x, "sequence"))
    read_back = _evaluation(model, x)
    read_back.x = None  # predictions read back from a file hold no inputs
    assert not write_explanations(folder, recipe, model, read_back)
    assert not (tmp_path / "explanations").exists()


def test_a_model_the_methods_cannot_explain_leaves_the_reason(tmp_path, monkeypatch):
    def fails(*args, **kwargs):
        raise explain.ExplainError("model 'm' has 2 outputs")

    monkeypatch.setattr(explain, "saliency", fails)
    model = small_cnn()
    x = np.random.default_rng(0).uniform(size=(6, 8, 8, 1)).astype(np.float32)
    folder = RunFolder(tmp_path)
    assert write_explanations(folder, get_recipe("mnist-cnn"), model, _evaluation(model, x))
    saved = files.read_json(tmp_path / "explanations" / "explanations.json")
    assert saved == {"error": "model 'm' has 2 outputs"}
    from dlpath.reports import explanations

    heading, text = explanations.section(tmp_path)
    assert heading == "Explanations" and "model &#x27;m&#x27; has 2 outputs" in text
