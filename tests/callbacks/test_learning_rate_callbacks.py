"""ReduceLROnPlateau (patience, cooldown, min_lr, min_delta) and LearningRateScheduler."""

import math

import pytest
from _callback_fakes import FakeModel, run_fit

from dlpath.callbacks import LearningRateScheduler, ReduceLROnPlateau


def rates_during(callback, values, learning_rate=1.0, monitor="val_loss"):
    """The learning rate logged at each epoch end, and the final rate."""
    model = FakeModel(learning_rate)
    history = run_fit(model, [callback], [{monitor: value} for value in values])
    return history.history["learning_rate"], model.optimizer.learning_rate


def test_reduces_after_patience_epochs_without_improvement():
    logged, final = rates_during(ReduceLROnPlateau(factor=0.5, patience=2),
                                 [1.0, 1.0, 1.0, 1.0, 1.0])
    # Epochs 1 and 2 do not improve: the rate halves at the end of epoch 2, and again
    # two epochs later. The logs hold the rate each epoch used.
    assert logged == [1.0, 1.0, 1.0, 0.5, 0.5]
    assert final == 0.25


def test_improvements_smaller_than_min_delta_do_not_count():
    _, final = rates_during(ReduceLROnPlateau(factor=0.5, patience=1, min_delta=0.1),
                            [1.0, 0.95, 0.5])
    assert final == 0.5  # 0.95 is no improvement on 1.0; 0.5 is (best stays 1.0 until then)


def test_cooldown_pauses_the_counting():
    callback = ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2)
    logged, final = rates_during(callback, [1.0] * 6)
    # Reduced at the end of epoch 1 with cooldown_counter = 2. As in Keras, the counter
    # drops at the start of each epoch's check, so epoch 2 is paused and epoch 3 (counter
    # back to 0) counts again and reduces; likewise epochs 4 and 5.
    assert logged == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    assert final == 0.125


def test_min_lr_bounds_the_rate():
    logged, final = rates_during(ReduceLROnPlateau(factor=0.1, patience=0, min_lr=0.05),
                                 [1.0, 1.0, 1.0, 1.0])
    assert final == 0.05
    assert logged[-1] == 0.05


def test_max_mode_for_accuracy():
    callback = ReduceLROnPlateau(monitor="val_accuracy", patience=1, factor=0.5)
    _, final = rates_during(callback, [0.5, 0.6, 0.7, 0.65], monitor="val_accuracy")
    assert final == 0.5


def test_verbose_message(capsys):
    rates_during(ReduceLROnPlateau(factor=0.5, patience=0, verbose=1), [1.0, 1.0],
                 learning_rate=0.002)
    assert capsys.readouterr().out == (
        "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.001.\n")


def test_missing_monitor_warns_and_keeps_the_rate():
    with pytest.warns(UserWarning, match="Learning rate reduction is conditioned on metric "
                                         "`val_loss` which is not available"):
        _, final = rates_during(ReduceLROnPlateau(patience=0), [1.0, 1.0], monitor="loss")
    assert final == 1.0


def test_reduce_arguments_are_validated():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0, got factor=1.5"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['speed'\]"):
        ReduceLROnPlateau(speed=2)
    with pytest.warns(UserWarning, match="`epsilon` is deprecated"):
        assert ReduceLROnPlateau(epsilon=0.01).min_delta == 0.01


# ---------------------------------------------------------------------- scheduler
def test_scheduler_with_epoch_and_rate():
    def schedule(epoch, lr):
        return lr if epoch < 2 else lr * math.exp(-0.1)

    logged, final = rates_during(LearningRateScheduler(schedule), [0.0] * 4)
    assert logged[:2] == [1.0, 1.0]
    assert final == pytest.approx(math.exp(-0.2))


def test_scheduler_with_epoch_only():
    logged, _ = rates_during(LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1)),
                             [0.0] * 3)
    assert logged == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_scheduler_verbose_message(capsys):
    rates_during(LearningRateScheduler(lambda epoch: 0.5, verbose=1), [0.0])
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.5.\n")


def test_scheduler_output_must_be_a_number():
    with pytest.raises(ValueError, match="should be a float, got 'fast'"):
        rates_during(LearningRateScheduler(lambda epoch: "fast"), [0.0])
    with pytest.raises(TypeError, match="schedule must be callable, got float"):
        LearningRateScheduler(0.1)
