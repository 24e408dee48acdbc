"""EarlyStopping: patience, min_delta, mode, baseline, start_from_epoch and weight restoring
(the cases of Keras 3's own tests)."""

import numpy as np
import pytest
from _callback_fakes import FakeModel, run_fit

from dlpath.callbacks import EarlyStopping


def drive(stopper, values, monitor="val_loss", stop_at=None):
    """Call the epoch hooks directly; the model's weight is the epoch index."""
    model = FakeModel()
    stopper.set_model(model)
    stopper.on_train_begin()
    trained = 0
    for epoch, value in enumerate(values):
        trained += 1
        model.weights = [np.array(float(epoch))]
        stopper.on_epoch_end(epoch, {monitor: value})
        if stop_at == epoch:
            model.stop_training = True
        if model.stop_training:
            break
    stopper.on_train_end()
    return trained, float(model.weights[0])


@pytest.mark.parametrize("patience", [0, 1, 2, 3])
def test_stops_after_patience_epochs_without_improvement(patience):
    stopper = EarlyStopping(monitor="loss", patience=patience)
    drive(stopper, [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5], monitor="loss")
    assert stopper.stopped_epoch == max(patience, 1) + 2


def test_min_delta_sets_the_least_improvement():
    stopper = EarlyStopping(monitor="loss", min_delta=0.1, patience=1)
    trained, _ = drive(stopper, [1.0, 0.95, 0.92, 0.85], monitor="loss")
    assert (trained, stopper.stopped_epoch, stopper.best) == (2, 1, 1.0)
    # A negative min_delta means the same (Keras takes its absolute value).
    assert EarlyStopping(min_delta=-0.1).min_delta == 0.1


@pytest.mark.parametrize("mode, monitor, expected", [
    ("max", "val_mse", np.greater), ("min", "val_loss", np.less),
    ("auto", "val_mse", np.less), ("auto", "loss", np.less), ("auto", "acc", np.greater),
    ("auto", "val_accuracy", np.greater), ("auto", "hinge", np.less),
    ("auto", "f1_score", np.greater), ("auto", "val_auc", np.greater),
    ("auto", "val_sparse_categorical_accuracy", np.greater),
])
def test_mode_decides_the_direction(mode, monitor, expected):
    stopper = EarlyStopping(monitor=monitor, mode=mode)
    drive(stopper, [0.5, 0.6], monitor=monitor)
    assert stopper.monitor_op is expected


def test_max_mode_waits_for_larger_values():
    stopper = EarlyStopping(monitor="val_accuracy", patience=1)
    trained, _ = drive(stopper, [0.5, 0.6, 0.55, 0.7], monitor="val_accuracy")
    assert (trained, stopper.stopped_epoch, stopper.best) == (3, 2, 0.6)


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="EarlyStopping mode 'biggest' is unknown"):
        stopper = EarlyStopping(monitor="accuracy", mode="biggest")
    assert stopper.mode == "auto"


def test_restores_the_best_weights_when_stopped():
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    trained, weight = drive(stopper, [0.2, 0.15, 0.1, 0.11, 0.12])
    assert (trained, weight, stopper.best_epoch) == (5, 2.0, 2)


def test_no_epoch_beating_the_baseline_stops_after_patience_and_restores_best():
    stopper = EarlyStopping(patience=5, baseline=0.5, restore_best_weights=True)
    trained, weight = drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73])
    assert (trained, weight) == (5, 2.0)


def test_restores_the_best_weights_when_another_callback_stops_training():
    stopper = EarlyStopping(patience=5, baseline=0.5, restore_best_weights=True)
    trained, weight = drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], stop_at=3)
    assert (trained, weight, stopper.stopped_epoch) == (4, 2.0, 0)


def test_restores_the_best_weights_when_training_ends_normally():
    # Keras 3 restores at on_train_end whenever best weights were kept.
    stopper = EarlyStopping(patience=10, restore_best_weights=True)
    trained, weight = drive(stopper, [0.5, 0.3, 0.4, 0.45])
    assert (trained, weight, stopper.stopped_epoch) == (4, 1.0, 0)


def test_without_restore_the_last_weights_stay():
    stopper = EarlyStopping(patience=2)
    trained, weight = drive(stopper, [0.2, 0.15, 0.1, 0.11, 0.12])
    assert (trained, weight) == (5, 4.0)


def test_start_from_epoch_skips_the_warm_up():
    stopper = EarlyStopping(monitor="loss", patience=0, start_from_epoch=2)
    trained, _ = drive(stopper, [1.0, 2.0, 3.0, 4.0, 5.0], monitor="loss")
    # Epochs 0-1 are ignored; epoch 2 sets the best, epoch 3 does not improve.
    assert (trained, stopper.stopped_epoch) == (4, 3)


def test_verbose_prints_the_stop_and_restore_messages(capsys):
    stopper = EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    drive(stopper, [0.3, 0.2, 0.25, 0.26])
    assert capsys.readouterr().out == (
        "Epoch 3: early stopping\n"
        "Restoring model weights from the end of the best epoch: 2.\n")


def test_missing_monitor_warns_and_does_nothing():
    stopper = EarlyStopping(monitor="val_loss", patience=0)
    stopper.set_model(FakeModel())
    stopper.on_train_begin()
    with pytest.warns(UserWarning, match="Early stopping conditioned on metric `val_loss` "
                                         "which is not available. Available metrics are: "
                                         "loss,accuracy"):
        for epoch in range(3):
            stopper.on_epoch_end(epoch, {"loss": 0.5, "accuracy": 0.5})
    assert stopper.model.stop_training is False


def test_instance_can_be_reused_across_fits():
    stopper = EarlyStopping(monitor="loss", patience=1)
    logs = [{"loss": value} for value in (1.0, 0.5, 0.6, 0.7)]
    history = run_fit(FakeModel(), [stopper], logs)
    assert history.epoch == [0, 1, 2]
    # A second fit with larger losses is not compared with the first fit's best.
    logs = [{"loss": value} for value in (5.0, 4.0, 3.0, 2.0)]
    history = run_fit(FakeModel(), [stopper], logs)
    assert history.epoch == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 0


def test_stops_fit_through_the_callback_list():
    model = FakeModel()
    logs = [{"loss": 1.0, "val_loss": value} for value in (0.5, 0.4, 0.45, 0.5, 0.3)]
    history = run_fit(model, [EarlyStopping(patience=1)], logs)
    assert history.history["val_loss"] == [0.5, 0.4, 0.45]
    assert model.stop_training is True


def test_arguments_are_validated():
    with pytest.raises(ValueError, match="EarlyStopping: patience must be >= 0, got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match="EarlyStopping: patience must be an integer"):
        EarlyStopping(patience=1.5)
    with pytest.raises(TypeError, match="monitor must be a metric name"):
        EarlyStopping(monitor=None)
