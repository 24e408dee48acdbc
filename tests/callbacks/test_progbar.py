"""Exact output of Progbar and ProgbarLogger (tf.keras 2's format), with a fake clock."""

import pytest
from _callback_fakes import FakeModel, install_clock

from dlpath.callbacks import CallbackList, Progbar, ProgbarLogger

FULL = "[" + "=" * 30 + "]"


def three_steps(clock, bar, values=((0.5,), (0.4,), (0.3,))):
    for step, (time_now, (loss,)) in enumerate(zip((1.0, 1.5, 2.0), values), start=1):
        clock.now = time_now
        bar.update(step, [("loss", loss)])


def test_non_interactive_prints_one_clean_line_at_the_end(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(3, interactive=False)
    clock.now = 1.0
    bar.update(1, [("loss", 0.5)])
    clock.now = 1.5
    bar.update(2, [("loss", 0.4)])
    assert capsys.readouterr().out == ""
    clock.now = 2.0
    bar.update(3, [("loss", 0.3)])
    # loss is averaged over the steps; the step time leaves out the first step.
    assert capsys.readouterr().out == f"3/3 {FULL} - 2s 500ms/step - loss: 0.4000\n"


def test_interactive_redraws_in_place_with_eta(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(3, interactive=True)
    three_steps(clock, bar)
    out = capsys.readouterr().out
    assert out == (
        "\r1/3 [=========>....................] - ETA: 2s - loss: 0.5000"
        "\r2/3 [===================>..........] - ETA: 0s - loss: 0.4500"
        f"\r3/3 {FULL} - 2s 500ms/step - loss: 0.4000\n"
    )
    assert "\x1b" not in out


def test_interactive_pads_a_shorter_line_over_the_previous_one(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(2, interactive=True, stateful_metrics=["loss"])
    clock.now = 1.0
    bar.update(1, [("loss", 1e-4)])
    clock.now = 2.0
    bar.update(2, [("loss", 0.5)])
    first, second = capsys.readouterr().out.split("\r")[1:]
    assert first == "1/2 [==============>...............] - ETA: 1s - loss: 1.0000e-04"
    # The final line is one character shorter: one space covers the old line's end.
    assert second == f"2/2 {FULL} - 2s 1s/step - loss: 0.5000" + " \n"

    bar = Progbar(4, interactive=True, stateful_metrics=["loss"])
    clock.now = 3.0
    bar.update(1, [("loss", 1e-4)])
    clock.now = 4.0
    bar.update(2, [("loss", 0.5)])
    first, second = capsys.readouterr().out.split("\r")[1:]
    assert second == "2/4 [==============>...............] - ETA: 2s - loss: 0.5000" + " " * 4


def test_updates_closer_than_interval_are_skipped(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(10, interactive=True, interval=0.05)
    clock.now = 1.0
    bar.update(1)
    clock.now = 1.01
    bar.update(2)
    assert capsys.readouterr().out.count("\r") == 1


def test_verbose_2_prints_one_summary_line(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(3, verbose=2, interactive=True)
    three_steps(clock, bar)
    assert capsys.readouterr().out == (
        "3/3 - 2s - loss: 0.4000 - 2s/epoch - 667ms/step\n")


def test_verbose_0_is_silent(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    three_steps(clock, Progbar(3, verbose=0, interactive=True))
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("value, text", [
    (0.29421, "0.2942"), (-0.5, "-0.5000"), (1e-4, "1.0000e-04"), (0.0, "0.0000e+00"),
    (1234.5678, "1234.5678"),
])
def test_values_print_as_keras_does(monkeypatch, capsys, value, text):
    install_clock(monkeypatch)
    Progbar(1, interactive=False, stateful_metrics=["m"]).update(1, [("m", value)])
    assert capsys.readouterr().out.endswith(f" - m: {text}\n")


@pytest.mark.parametrize("seconds, text", [
    (3.4, " 3s/step"), (0.0021, " 2ms/step"), (0.00085, " 850us/step"), (0, " 0s/step"),
])
def test_step_time_units(monkeypatch, capsys, seconds, text):
    clock = install_clock(monkeypatch)
    bar = Progbar(1, interactive=False)
    clock.now = seconds
    bar.update(1)
    assert capsys.readouterr().out.endswith(text + "\n")


@pytest.mark.parametrize("eta_seconds, text", [(75, "1:15"), (3725, "1:02:05"), (12.7, "12s")])
def test_eta_formats(monkeypatch, capsys, eta_seconds, text):
    clock = install_clock(monkeypatch)
    bar = Progbar(101, interactive=True)
    clock.now = eta_seconds / 100
    bar.update(1)
    assert f" - ETA: {text}" in capsys.readouterr().out


def test_unknown_target_shows_count_and_time(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    bar = Progbar(None, interactive=True)
    clock.now = 1.0
    bar.update(1, [("loss", 0.5)])
    assert capsys.readouterr().out == "\r      1/Unknown - 1s 1s/step - loss: 0.5000"


def test_add_advances_the_bar(monkeypatch, capsys):
    install_clock(monkeypatch)
    bar = Progbar(4, interactive=False)
    bar.add(2)
    bar.add(2)
    assert capsys.readouterr().out.startswith(f"4/4 {FULL}")


def test_progbar_validates_its_arguments():
    with pytest.raises(ValueError, match="verbose must be 0, 1 or 2, got 3"):
        Progbar(10, verbose=3)
    with pytest.raises(TypeError, match="target must be an integer"):
        Progbar("10")
    with pytest.raises(ValueError, match="width must be >= 1, got 0"):
        Progbar(10, width=0)


# ---------------------------------------------------------------------- ProgbarLogger
def logger_list(verbose, steps, epochs=2, interactive=False):
    logger = ProgbarLogger(interactive=interactive)
    model = FakeModel()
    callbacks = CallbackList([logger], add_history=True, model=model, verbose=verbose,
                             epochs=epochs, steps=steps)
    return callbacks, model


def fit_epoch(clock, callbacks, epoch, steps=3, start=0.0, epoch_logs=None):
    clock.now = start
    callbacks.on_epoch_begin(epoch)
    for batch in range(steps):
        clock.now = start + 0.5 * (batch + 1)
        callbacks.on_train_batch_begin(batch)
        callbacks.on_train_batch_end(batch, {"loss": 0.5 - 0.1 * batch, "accuracy": 0.9})
    callbacks.on_test_begin()  # validation inside fit prints nothing
    callbacks.on_test_batch_end(0, {"loss": 9.0})
    callbacks.on_test_end({"loss": 0.35, "accuracy": 0.85})
    logs = epoch_logs or {"loss": 0.3, "accuracy": 0.9, "val_loss": 0.35,
                          "val_accuracy": 0.85}
    callbacks.on_epoch_end(epoch, logs)


def test_fit_verbose_1_non_interactive_prints_epoch_headers_and_final_lines(
        monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=1, steps=3)
    callbacks.on_train_begin()
    fit_epoch(clock, callbacks, 0, start=0.0)
    fit_epoch(clock, callbacks, 1, start=10.0)
    callbacks.on_train_end()
    metrics = "loss: 0.3000 - accuracy: 0.9000 - val_loss: 0.3500 - val_accuracy: 0.8500"
    assert capsys.readouterr().out == (
        "Epoch 1/2\n"
        f"3/3 {FULL} - 2s 500ms/step - {metrics}\n"
        "Epoch 2/2\n"
        f"3/3 {FULL} - 2s 500ms/step - {metrics}\n"
    )


def test_fit_verbose_1_interactive_shows_running_logs_as_given(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=1, steps=3, epochs=1, interactive=True)
    callbacks.on_train_begin()
    fit_epoch(clock, callbacks, 0)
    out = capsys.readouterr().out
    assert not out.startswith("Epoch")  # no header when epochs == 1, as Keras
    lines = out.split("\r")[1:]
    assert lines[0] == "1/3 [=========>....................] - ETA: 1s - loss: 0.5000 - " \
                       "accuracy: 0.9000"
    assert lines[1].startswith("2/3 [===================>..........] - ETA: 0s - loss: 0.4000")
    # The last batch draws a full bar with its ETA, then the epoch's end redraws it.
    assert lines[2] == f"3/3 {FULL} - ETA: 0s - loss: 0.3000 - accuracy: 0.9000"
    assert lines[3] == (f"3/3 {FULL} - 2s 500ms/step - loss: 0.3000 - accuracy: 0.9000 - "
                        "val_loss: 0.3500 - val_accuracy: 0.8500\n")


def test_fit_verbose_2_prints_the_tf_keras_2_epoch_line(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=2, steps=3, interactive=True)
    callbacks.on_train_begin()
    fit_epoch(clock, callbacks, 0, start=0.0)
    assert capsys.readouterr().out == (
        "Epoch 1/2\n"
        "3/3 - 2s - loss: 0.3000 - accuracy: 0.9000 - val_loss: 0.3500 - "
        "val_accuracy: 0.8500 - 2s/epoch - 500ms/step\n"
    )


def test_fit_with_unknown_steps_learns_the_count_in_the_first_epoch(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=1, steps=None, interactive=True)
    callbacks.on_train_begin()
    logs = {"loss": 0.3, "accuracy": 0.9}
    fit_epoch(clock, callbacks, 0, epoch_logs=logs)
    out = capsys.readouterr().out
    assert "\r      1/Unknown - 0s 500ms/step - loss: 0.5000 - accuracy: 0.9000" in out
    assert out.endswith(f"\r3/3 {FULL} - 2s 500ms/step - loss: 0.3000 - accuracy: 0.9000\n")
    fit_epoch(clock, callbacks, 1, start=10.0, epoch_logs=logs)
    assert "\r1/3 [=========>....................] - ETA: 1s" in capsys.readouterr().out


def test_evaluate_prints_one_bar_without_epoch_header(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=1, steps=2, epochs=1)
    callbacks.on_test_begin()
    for batch in range(2):
        clock.now = batch + 1.0
        callbacks.on_test_batch_end(batch, {"loss": 0.2, "accuracy": 0.95})
    callbacks.on_test_end({"loss": 0.2, "accuracy": 0.95})
    assert capsys.readouterr().out == (
        f"2/2 {FULL} - 2s 1s/step - loss: 0.2000 - accuracy: 0.9500\n")


def test_evaluate_verbose_2_line(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=2, steps=2, epochs=1)
    callbacks.on_test_begin()
    for batch in range(2):
        clock.now = 0.25 * (batch + 1)
        callbacks.on_test_batch_end(batch, {"loss": 0.2})
    callbacks.on_test_end({"loss": 0.2})
    assert capsys.readouterr().out == "2/2 - 0s - loss: 0.2000 - 500ms/epoch - 250ms/step\n"


def test_predict_prints_a_bar_without_metrics(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=1, steps=2, epochs=1)
    callbacks.on_predict_begin()
    for batch in range(2):
        clock.now = 0.001 * (batch + 1)
        callbacks.on_predict_batch_end(batch, {"outputs": [1, 2]})
    callbacks.on_predict_end()
    assert capsys.readouterr().out == f"2/2 {FULL} - 0s 1ms/step\n"


def test_logger_is_silent_with_verbose_0(monkeypatch, capsys):
    clock = install_clock(monkeypatch)
    callbacks, _ = logger_list(verbose=0, steps=3)
    callbacks.on_train_begin()
    fit_epoch(clock, callbacks, 0)
    assert capsys.readouterr().out == ""


def test_logger_rejects_an_unknown_count_mode():
    with pytest.raises(ValueError, match="unknown count_mode 'batches'"):
        ProgbarLogger(count_mode="batches")
