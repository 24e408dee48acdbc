"""ocr-digits: the line composer, the sequence metrics, a tiny run, and `dlpath predict`."""

import json

import numpy as np
import pytest

from dlpath import cli
from dlpath.datasets import mnist
from dlpath.recipes import ocr_digits
from dlpath.recipes._digit_lines import LineStyle, compose_lines, text_of
from dlpath.saving import load_model
from dlpath.workflow.run import train


@pytest.fixture(scope="module")
def digits():
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return x_train[:2000], y_train[:2000], x_test[:500], y_test[:500]


def test_lines_have_3_to_8_digits_padded_with_minus_one(digits):
    x, y, _, _ = digits
    lines, targets, sources = compose_lines(x, y, 200, seed=1)
    assert lines.shape == (200, 32, 176) and lines.dtype == np.uint8
    lengths = (targets >= 0).sum(axis=1)
    assert lengths.min() == 3 and lengths.max() == 8
    for row, k in zip(targets, lengths):  # padding only after the digits
        assert (row[:k] >= 0).all() and (row[k:] == -1).all()
    used = sources >= 0
    np.testing.assert_array_equal(targets[used], y[sources[used]])
    assert lines.max() > 200  # ink is drawn


def test_lines_are_reproducible_from_the_seed(digits):
    x, y, _, _ = digits
    first = compose_lines(x, y, 20, seed=5)
    again = compose_lines(x, y, 20, seed=5)
    other = compose_lines(x, y, 20, seed=6)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_lines_use_only_the_digits_they_are_given(digits):
    x, y, _, _ = digits
    low = y < 5  # lines made only of the digits 0-4 contain none of 5-9
    _, targets, _ = compose_lines(x[low], y[low], 100, seed=2)
    assert set(np.unique(targets[targets >= 0])) <= {0, 1, 2, 3, 4}
    # A line of blank images is blank: nothing is drawn but the given digits.
    lines, _, _ = compose_lines(np.zeros((5, 28, 28), np.uint8), np.arange(5), 10, seed=2)
    assert lines.max() == 0


def test_the_recipe_keeps_training_validation_and_test_digits_apart():
    train_ids, validation_ids, test_ids = ocr_digits.digit_sets(seed=0, indices=True)
    assert len(np.intersect1d(train_ids, validation_ids)) == 0
    assert len(train_ids) + len(validation_ids) == 60000 and len(test_ids) == 10000
    sets = ocr_digits.digit_sets(seed=0)
    (x_train, _), (x_test, _) = mnist.load_data()
    np.testing.assert_array_equal(sets[2][0], x_test)  # test lines: official test digits
    np.testing.assert_array_equal(sets[0][0][:3], x_train[train_ids[:3]])


def test_line_style_rejects_impossible_settings():
    with pytest.raises(ValueError, match="min_digits"):
        LineStyle(min_digits=5, max_digits=3).check()
    with pytest.raises(ValueError, match="height"):
        LineStyle(height=20).check()


def test_edit_distance_and_the_sequence_metrics():
    assert ocr_digits.edit_distance("1234", "1234") == 0
    assert ocr_digits.edit_distance("1234", "124") == 1      # a deletion
    assert ocr_digits.edit_distance("1234", "12354") == 1    # an insertion
    assert ocr_digits.edit_distance("1234", "4321") == 4
    assert ocr_digits.edit_distance("", "12") == 2
    metrics = ocr_digits.sequence_metrics(["123", "4567"], ["123", "457"])
    assert metrics == {"sequence_accuracy": 0.5, "character_error_rate": 1 / 7}
    assert text_of([3, 1, 4, -1, -1]) == "314"


def test_reading_collapses_repeats_and_drops_the_blank():
    steps = np.array([10, 3, 3, 10, 3, 1, 10, 10])  # -> "331"
    probabilities = np.full((1, 8, 11), 0.01)
    probabilities[0, np.arange(8), steps] = 0.9
    assert ocr_digits.read(probabilities) == ["331"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    parent = tmp_path_factory.mktemp("runs")
    return train("ocr-digits", {"train_limit": 96, "eval_limit": 16, "epochs": 2},
                 parent=parent, verbose=0, log=lambda *args: None)


def test_a_tiny_run_lowers_its_loss_and_reports_the_reading(tiny_run):
    rows = json.loads(tiny_run.metrics_json.read_text())
    assert len(rows) == 2 and rows[1]["loss"] < rows[0]["loss"]
    assert "val_loss" in rows[0]
    extra = json.loads((tiny_run.path / "extra_metrics.json").read_text())
    assert 0 <= extra["sequence_accuracy"] <= 1 and extra["character_error_rate"] >= 0
    assert (tiny_run.path / "samples" / "epoch_002.png").is_file()
    report = tiny_run.report.read_text()
    assert "character_error_rate" in report and "samples" in report.lower()
    # The saved model comes back with its CTC loss (a registered function).
    model = load_model(tiny_run.model)
    (x_test, y_test) = mnist.load_data()[1]
    lines, targets, _ = compose_lines(x_test[:50], y_test[:50], 4, seed=0)
    assert model.predict(lines[..., None], verbose=0).shape == (4, 22, 11)
    assert np.isfinite(model.evaluate(lines[..., None], targets, verbose=0))


def test_dlpath_predict_prints_the_digits_of_a_line_image(tiny_run, tmp_path, capsys):
    from PIL import Image

    # Make the model read "7" on any line: every step's most likely class is 7.
    model = load_model(tiny_run.model)
    kernel, bias = model.layers[-1].get_weights()
    bias = np.full_like(bias, -5.0)
    bias[7] = 5.0
    model.layers[-1].set_weights([np.zeros_like(kernel), bias])
    model.save(tiny_run.model)
    (x_test, y_test) = mnist.load_data()[1]
    lines, _, _ = compose_lines(x_test[:50], y_test[:50], 2, seed=0)
    small = tmp_path / "line.png"
    Image.fromarray(lines[0]).save(small)
    large = tmp_path / "large.png"  # twice the size: scaled back to the line's height
    Image.fromarray(lines[1]).resize((352, 64)).save(large)
    assert cli.main(["predict", str(tiny_run.path), str(small), str(large)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-2].split() == [str(small), "7"]
    assert printed[-1].split() == [str(large), "7"]


def test_the_report_titles_the_sample_lines_as_readings(tiny_run):
    report = tiny_run.report.read_text()
    assert "Test lines: true digits and the reading (2 of 2 epochs)" in report
    assert "Generated samples" not in report


def test_training_lines_are_new_each_epoch_and_the_same_on_resume(digits):
    x, y, _, _ = digits
    straight = ocr_digits.FreshLines((x, y), 10, 4, seed=3)
    assert len(straight) == 3
    first = [straight[i][1] for i in range(3)]
    straight.on_epoch_end()
    straight.on_epoch_begin()
    second = np.concatenate([straight[i][1] for i in range(3)])
    assert not np.array_equal(np.concatenate(first), second)
    resumed = ocr_digits.FreshLines((x, y), 10, 4, seed=3, first_epoch=1)
    resumed.on_epoch_begin()
    np.testing.assert_array_equal(np.concatenate([resumed[i][1] for i in range(3)]), second)
    assert resumed[0][0].shape == (4, 32, 176, 1) and resumed[2][0].shape[0] == 2
