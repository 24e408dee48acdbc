"""TensorBoard writes real event files: read back, their scalars equal the History."""

import os

import numpy as np
import pytest

from dlpath.keras import Input, callbacks, layers, models
from dlpath.random import set_seed

# Event files are read back with TensorBoard's own reader (the tensorboard test dependency).
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402


def _model():
    model = models.Sequential([Input((4,)), layers.Dense(8, activation="relu"),
                               layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def _read(folder):
    accumulator = event_accumulator.EventAccumulator(
        str(folder), size_guidance={event_accumulator.SCALARS: 0,
                                    event_accumulator.HISTOGRAMS: 0})
    accumulator.Reload()
    return accumulator


def test_epoch_scalars_for_train_and_validation_equal_the_history(tmp_path):
    set_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((64, 4)), rng.standard_normal((64, 1))
    board = callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=1, update_freq="batch",
                                  write_images=True, profile_batch=2, embeddings_freq=0)
    model = _model()
    history = model.fit(x, y, batch_size=16, epochs=3, validation_data=(x[:16], y[:16]),
                        callbacks=[board], verbose=0).history
    train, validation = _read(tmp_path / "train"), _read(tmp_path / "validation")
    for name in ("loss", "mae"):
        events = train.Scalars(f"epoch_{name}")
        assert [e.step for e in events] == [0, 1, 2]
        np.testing.assert_allclose([e.value for e in events], history[name], rtol=1e-6)
        val_events = validation.Scalars(f"epoch_{name}")
        np.testing.assert_allclose([e.value for e in val_events], history[f"val_{name}"],
                                   rtol=1e-6)
    assert [e.step for e in train.Scalars("batch_loss")] == list(range(1, 13))
    tags = train.Tags()
    kernel = model.weights[0].name
    assert set(tags["histograms"]) == {w.name for w in model.weights}
    assert len(train.Histograms(kernel)) == 3
    assert f"{kernel}/image" in tags["images"]
    assert "epoch_loss" not in validation.Tags()["histograms"]


def test_update_freq_and_histograms_off(tmp_path):
    board = callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=2, write_graph=False)
    _model().fit(np.ones((40, 4)), np.ones((40, 1)), batch_size=10, epochs=1,
                 callbacks=[board], verbose=0)
    train = _read(tmp_path / "train")
    assert [e.step for e in train.Scalars("batch_loss")] == [2, 4]
    assert train.Tags()["histograms"] == []
    assert not os.path.exists(tmp_path / "validation")


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="update_freq"):
        callbacks.TensorBoard(update_freq="sometimes")
    with pytest.raises(ValueError, match="histogram_freq"):
        callbacks.TensorBoard(histogram_freq=-1)
    with pytest.raises(TypeError, match="unexpected"):
        callbacks.TensorBoard(logdir="x")
