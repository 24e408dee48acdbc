"""ModelCheckpoint: path formatting, save_best_only, weights-only saves, batch frequency."""

import os

import pytest
from _callback_fakes import FakeModel, run_fit

from dlpath.callbacks import ModelCheckpoint

LOGS = [{"loss": 1.0, "val_loss": value} for value in (0.5, 0.6, 0.4, 0.4)]


def test_formats_epoch_and_logs_into_the_path(tmp_path):
    model = FakeModel()
    path = os.path.join(tmp_path, "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    run_fit(model, [ModelCheckpoint(path)], LOGS)
    assert model.saved == [("model", os.path.join(tmp_path, name)) for name in (
        "ckpt-01-0.50.keras", "ckpt-02-0.60.keras", "ckpt-03-0.40.keras",
        "ckpt-04-0.40.keras")]


def test_save_best_only_saves_improvements_only(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "best-{epoch}.keras")
    run_fit(model, [ModelCheckpoint(path, save_best_only=True)], LOGS)
    assert model.saved == [("model", str(tmp_path / "best-1.keras")),
                           ("model", str(tmp_path / "best-3.keras"))]


def test_save_best_only_in_max_mode_and_with_an_initial_threshold(tmp_path):
    model = FakeModel()
    logs = [{"val_accuracy": value} for value in (0.5, 0.7, 0.6, 0.8)]
    checkpoint = ModelCheckpoint(str(tmp_path / "{epoch}.keras"), monitor="val_accuracy",
                                 save_best_only=True, initial_value_threshold=0.65)
    run_fit(model, [checkpoint], logs)
    assert [path for _, path in model.saved] == [str(tmp_path / "2.keras"),
                                                 str(tmp_path / "4.keras")]
    assert checkpoint.best == 0.8


def test_save_weights_only_calls_save_weights(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "w.weights.npz")
    run_fit(model, [ModelCheckpoint(path, save_weights_only=True)], LOGS[:1])
    assert model.saved == [("weights", path)]


def test_creates_the_parent_directory(tmp_path):
    path = tmp_path / "runs" / "a" / "model.keras"
    run_fit(FakeModel(), [ModelCheckpoint(path)], LOGS[:1])
    assert (tmp_path / "runs" / "a").is_dir()


def test_integer_save_freq_saves_every_n_batches(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "e{epoch}-b{batch}.keras")
    run_fit(model, [ModelCheckpoint(path, save_freq=3)], LOGS[:2], steps=4)
    # 8 batches in all: saves after the 3rd (epoch 1, batch 3) and 6th (epoch 2, batch 2).
    assert [os.path.basename(p) for _, p in model.saved] == ["e1-b3.keras", "e2-b2.keras"]


def test_verbose_messages(tmp_path, capsys):
    path = str(tmp_path / "m.keras")
    run_fit(FakeModel(), [ModelCheckpoint(path, save_best_only=True, verbose=1)], LOGS[:2])
    assert capsys.readouterr().out == (
        f"\nEpoch 1: val_loss improved from inf to 0.50000, saving model to {path}\n"
        "\nEpoch 2: val_loss did not improve from 0.50000\n")
    run_fit(FakeModel(), [ModelCheckpoint(path, verbose=1)], LOGS[:1])
    assert capsys.readouterr().out == f"\nEpoch 1: saving model to {path}\n"


def test_missing_monitor_warns_and_saves(tmp_path):
    model = FakeModel()
    checkpoint = ModelCheckpoint(str(tmp_path / "m.keras"), save_best_only=True)
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available"):
        run_fit(model, [checkpoint], [{"loss": 0.1}])
    assert len(model.saved) == 1


def test_period_saves_every_n_epochs_with_a_warning(tmp_path):
    model = FakeModel()
    with pytest.warns(UserWarning, match="`period` is deprecated"):
        checkpoint = ModelCheckpoint(str(tmp_path / "{epoch}.keras"), period=2)
    run_fit(model, [checkpoint], LOGS)
    assert [os.path.basename(p) for _, p in model.saved] == ["2.keras", "4.keras"]


def test_unknown_path_field_raises_with_the_available_names(tmp_path):
    checkpoint = ModelCheckpoint(str(tmp_path / "{val_acc:.2f}.keras"))
    with pytest.raises(KeyError, match="failed to format the filepath"):
        run_fit(FakeModel(), [checkpoint], LOGS[:1])


def test_arguments_are_validated(tmp_path):
    with pytest.raises(ValueError, match="unrecognized save_freq 'batch'"):
        ModelCheckpoint("m.keras", save_freq="batch")
    with pytest.raises(TypeError, match="filepath must be a str or path-like, got int"):
        ModelCheckpoint(3)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['save_every'\]"):
        ModelCheckpoint("m.keras", save_every=3)
