"""``dlpath report`` rebuilds the page from the saved predictions, and the page shows the
run's facts as tables; the per-class numbers are scikit-learn's."""

import re

import numpy as np
import pytest

from dlpath import cli
from dlpath.recipes.digits_mlp import DigitsMLP
from dlpath.workflow import RunFolder, evaluation


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    parent = tmp_path_factory.mktemp("runs")
    assert cli.main(["train", "digits-mlp", "--epochs", "1", "--out", str(parent),
                     "--verbose", "0"]) == 0
    return RunFolder(next(parent.iterdir()))


def test_report_reads_the_saved_predictions_without_data_or_model_run(run, monkeypatch):
    from dlpath.models.trainer import Trainer

    first = run.report.read_text()
    run.report.unlink()

    def refuse(*args, **kwargs):
        raise AssertionError("the report must not load the data or run the model")

    monkeypatch.setattr(DigitsMLP, "load_data", refuse)
    for method in ("predict", "evaluate"):
        monkeypatch.setattr(Trainer, method, refuse)
    assert cli.main(["report", str(run.path)]) == 0
    assert _without_times(run.report.read_text()) == _without_times(first)


def test_a_run_without_saved_predictions_is_evaluated_again(run):
    run.predictions.rename(run.path / "kept.npz")
    try:
        assert cli.main(["report", str(run.path)]) == 0
        assert "Confusion matrix" in run.report.read_text()
    finally:
        (run.path / "kept.npz").rename(run.predictions)


def test_configuration_data_timing_and_environment_are_tables(run):
    page = run.report.read_text()
    assert "<pre>{" not in page and '"learning_rate":' not in page
    for name, value in (("learning_rate", "0.003"), ("hidden_units", "64"),
                        ("train samples", "1257"), ("classes", "0, 1, 2, 3"),
                        ("cpu_count", ""), ("train_seconds", ""), ("numpy", "")):
        assert re.search(rf"<th class=\"name\">{name}</th><td class=\"name\">{value}", page), \
            name
    # The model summary is a table of layers too, with the parameter counts below it.
    assert "<th>Param #</th>" in page
    assert re.search(r"dense(_\d+)? \(Dense\)", page)  # names count up within a process
    assert "Total params: 4,810" in page


def test_saved_predictions_round_trip_with_the_inputs_of_the_mistakes(run):
    saved = evaluation.load(run.predictions, {"accuracy": 1.0}, [], "image")
    shown = saved.mistakes(evaluation.MISTAKES_KEPT)
    assert len(shown) and saved.inputs(shown).shape == (len(shown), 8, 8)
    with pytest.raises(KeyError, match="not saved"):
        saved.inputs([int(np.flatnonzero(saved.y_true == saved.y_pred)[0])])


def test_classification_report_and_confusion_matrix_match_scikit_learn():
    from sklearn import metrics

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 200)
    probabilities = rng.random((200, 4))
    probabilities[:, 3] = 0  # class 3 is never predicted: its precision is 0, not NaN
    names = ["cat", "dog", "a long class name", "3"]
    result = evaluation.Evaluation({}, None, y_true, probabilities, names, "image")
    expected = dict(labels=[0, 1, 2, 3], target_names=names, digits=4, zero_division=0)
    assert evaluation.classification_report(result) == metrics.classification_report(
        y_true, result.y_pred, **expected)
    ours = evaluation.classification_report(result, as_dict=True)
    theirs = metrics.classification_report(y_true, result.y_pred, output_dict=True,
                                           **expected)
    assert ours.keys() == theirs.keys()
    for name, scores in theirs.items():
        assert ours[name] == pytest.approx(scores), name
    np.testing.assert_array_equal(evaluation.confusion_matrix(result),
                                  metrics.confusion_matrix(y_true, result.y_pred,
                                                           labels=[0, 1, 2, 3]))


def _without_times(page: str) -> str:
    """The page without the figures (PNG metadata) and the timing values."""
    page = re.sub(r'src="data:image/png;base64,[^"]+"', "", page)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "", page)


def test_the_model_table_keeps_long_names_whole_and_shows_connections():
    from dlpath import keras
    from dlpath.reports import _model_summary

    long_name = "a_pooling_layer_with_a_rather_long_name"
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)),
                              keras.layers.MaxPooling2D(name=long_name),
                              keras.layers.Flatten(), keras.layers.Dense(3)])
    model(np.zeros((1, 8, 8, 1), dtype=np.float32))
    table = _model_summary(model)
    assert f'<td class="name">{long_name} (MaxPooling2D)</td>' in table
    assert "<td>51</td>" in table and "Total params: 51" in table

    inputs = keras.Input(shape=(4,))
    hidden = keras.layers.Dense(2, name="hidden")(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(1, name="a")(hidden),
                                 keras.layers.Dense(1, name="b")(hidden)])
    table = _model_summary(model)
    assert "<th class=\"name\">Connected to</th>" in table
    assert table.count("hidden[0][0]") == 2
