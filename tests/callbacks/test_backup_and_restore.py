"""BackupAndRestore: an interrupted fit resumes at the epoch it stopped, bit for bit."""

import os

import numpy as np
import pytest

from dlpath.keras import Input, callbacks, layers, models
from dlpath.random import set_seed


class Interrupt(callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise RuntimeError(f"interrupted at epoch {epoch}")


def _data():
    rng = np.random.default_rng(1)
    return rng.standard_normal((48, 5)).astype("float32"), rng.integers(0, 3, 48)


def _model():
    model = models.Sequential([Input((5,)), layers.Dense(16, activation="relu"),
                               layers.Dropout(0.3), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_interrupted_fit_resumes_and_equals_an_uninterrupted_one(tmp_path):
    x, y = _data()
    set_seed(7)
    reference = _model()
    expected = reference.fit(x, y, batch_size=8, epochs=5, verbose=0).history

    set_seed(7)
    model = _model()
    backup = callbacks.BackupAndRestore(backup_dir=tmp_path / "backup")
    with pytest.raises(RuntimeError, match="epoch 3"):
        model.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[backup, Interrupt(3)])
    assert os.path.exists(tmp_path / "backup" / "latest.keras")
    model.fit(x, y, batch_size=1, epochs=1, verbose=0)  # the state drifts before resuming
    resumed = model.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[backup])
    assert resumed.epoch == [3, 4]
    assert resumed.history["loss"] == expected["loss"][3:]
    for got, want in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(got, want)
    assert model.optimizer.iterations == reference.optimizer.iterations
    assert not os.path.exists(tmp_path / "backup")


def test_a_fresh_model_restores_from_the_backup_and_later_fits_start_afresh(tmp_path):
    x, y = _data()
    set_seed(3)
    model = _model()
    backup = callbacks.BackupAndRestore(tmp_path / "b", delete_checkpoint=False)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[backup])
    other = _model()
    history = other.fit(x, y, epochs=3, verbose=0, callbacks=[backup])
    assert history.epoch == [2]
    assert os.path.exists(tmp_path / "b" / "latest.keras")
    assert other.fit(x, y, epochs=1, verbose=0).epoch == [0]


def test_bad_arguments():
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore("b", save_freq=10)
    with pytest.raises(ValueError, match="backup_dir"):
        callbacks.BackupAndRestore(None)
