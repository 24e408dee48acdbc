"""CallbackList, History, CSVLogger, TerminateOnNaN and LambdaCallback."""

import math

import numpy as np
import pytest
from _callback_fakes import FakeModel, run_fit

from dlpath.callbacks import (
    Callback, CallbackList, CSVLogger, History, LambdaCallback, ProgbarLogger,
    ReduceLROnPlateau, TerminateOnNaN,
)

LOGS = [{"loss": 0.5, "accuracy": 0.8, "val_loss": 0.6, "val_accuracy": 0.7},
        {"loss": 0.4, "accuracy": 0.85, "val_loss": 0.5, "val_accuracy": 0.75}]


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(f"epoch_begin {epoch}")

    def on_batch_end(self, batch, logs=None):  # reached through on_train_batch_end
        self.calls.append(f"batch_end {batch} {logs}")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(f"epoch_end {epoch}")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


# ---------------------------------------------------------------------- CallbackList
def test_callback_list_appends_history_then_progbar_as_keras():
    user = Recorder()
    model = FakeModel()
    callbacks = CallbackList([user], add_history=True, add_progbar=True, model=model,
                             verbose=1, epochs=3, steps=10)
    kinds = [type(c) for c in callbacks]
    assert kinds == [Recorder, History, ProgbarLogger]
    assert model.history is callbacks.callbacks[1]
    assert all(c.model is model for c in callbacks)
    assert all(c.params == {"verbose": 1, "epochs": 3, "steps": 10} for c in callbacks)
    assert callbacks.callbacks[2].target == 10


def test_callback_list_keeps_a_given_history_and_progbar():
    history, logger = History(), ProgbarLogger()
    callbacks = CallbackList([logger, [history]], add_history=True, add_progbar=True)
    assert callbacks.callbacks == [logger, history]
    assert len(CallbackList(None, add_history=True)) == 1


def test_callback_list_rejects_non_callbacks():
    with pytest.raises(TypeError, match="expected Callback instances, got function"):
        CallbackList([lambda logs: None])


def test_hooks_run_in_order_and_batch_logs_become_floats():
    recorder = Recorder()
    run_fit(FakeModel(), [recorder], LOGS[:1], steps=1,
            batch_logs={(0, 0): {"loss": np.float32(0.25)}})
    assert recorder.calls == ["train_begin", "epoch_begin 0", "batch_end 0 {'loss': 0.25}",
                              "epoch_end 0", "train_end"]


def test_epoch_logs_added_by_a_callback_reach_history():
    history = run_fit(FakeModel(0.1), [ReduceLROnPlateau()], LOGS)
    assert history.history["learning_rate"] == [0.1, 0.1]


# ---------------------------------------------------------------------- History
def test_history_records_each_epoch():
    model = FakeModel()
    history = run_fit(model, [], LOGS, verbose=0)
    assert isinstance(history, History)
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [0.5, 0.4], "accuracy": [0.8, 0.85],
                               "val_loss": [0.6, 0.5], "val_accuracy": [0.7, 0.75]}
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 2}
    assert history.model is model


# ---------------------------------------------------------------------- CSVLogger
def test_csv_logger_writes_a_sorted_header_and_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    run_fit(FakeModel(), [CSVLogger(path)], LOGS)
    assert path.read_bytes().decode() == (
        "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
        "0,0.8,0.5,0.7,0.6\r\n"
        "1,0.85,0.4,0.75,0.5\r\n")


def test_csv_logger_flushes_each_epoch(tmp_path):
    path = tmp_path / "log.csv"
    seen = []
    reader = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(path.read_text()))
    run_fit(FakeModel(), [CSVLogger(path), reader], LOGS)
    assert seen[0].splitlines() == ["epoch,accuracy,loss,val_accuracy,val_loss",
                                    "0,0.8,0.5,0.7,0.6"]


def test_csv_logger_appends_without_a_second_header_and_fills_missing_values(tmp_path):
    path = tmp_path / "log.csv"
    run_fit(FakeModel(), [CSVLogger(path, separator=";")], LOGS[:1])
    logs = [{"loss": 0.3, "accuracy": 0.9}, {"loss": 0.2}]
    run_fit(FakeModel(), [CSVLogger(path, separator=";", append=True)], logs)
    assert path.read_text().splitlines() == [
        "epoch;accuracy;loss;val_accuracy;val_loss", "0;0.8;0.5;0.7;0.6",
        "0;0.9;0.3", "1;NA;0.2"]


def test_csv_logger_writes_sequences_quoted(tmp_path):
    path = tmp_path / "log.csv"
    run_fit(FakeModel(), [CSVLogger(path)], [{"loss": 0.5, "per_class": np.array([1, 2])}])
    assert path.read_text().splitlines()[1] == '0,0.5,"""[1, 2]"""'


# ---------------------------------------------------------------------- TerminateOnNaN
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_terminate_on_nan_stops_after_the_bad_batch(capsys, bad):
    model = FakeModel()
    history = run_fit(model, [TerminateOnNaN()], LOGS, steps=3,
                      batch_logs={(0, 1): {"loss": bad}})
    assert model.stop_training is True
    assert history.epoch == [0]  # the epoch still ends, then fit stops
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


def test_terminate_on_nan_ignores_finite_losses():
    model = FakeModel()
    run_fit(model, [TerminateOnNaN()], LOGS)
    assert model.stop_training is False


def test_terminate_on_nan_can_raise():
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        run_fit(FakeModel(), [TerminateOnNaN(raise_error=True)], LOGS,
                batch_logs={(0, 0): {"loss": math.nan}})


# ---------------------------------------------------------------------- LambdaCallback
def test_lambda_callback_calls_the_functions_given():
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(f"epoch_begin {epoch}"),
        on_train_batch_begin=lambda batch, logs: calls.append(f"batch_begin {batch}"),
        on_train_batch_end=lambda batch, logs: calls.append(f"batch_end {logs['loss']}"),
        on_epoch_end=lambda epoch, logs: calls.append(f"epoch_end {logs['val_loss']}"),
        on_train_end=lambda logs: calls.append("train_end"))
    run_fit(FakeModel(), [callback], LOGS[:1], steps=1)
    assert calls == ["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 1.0",
                     "epoch_end 0.6", "train_end"]


def test_lambda_callback_accepts_tf_keras_2_batch_hooks_and_other_names():
    calls = []
    callback = LambdaCallback(on_batch_end=lambda batch, logs: calls.append(batch),
                              on_test_end=lambda logs: calls.append("test_end"))
    run_fit(FakeModel(), [callback], LOGS[:1], steps=2)
    callback.on_test_end({})
    assert calls == [0, 1, "test_end"]


def test_lambda_callback_rejects_unknown_hooks_and_non_callables():
    with pytest.raises(TypeError, match=r"unknown hook\(s\) \['on_epoch_middle'\]"):
        LambdaCallback(on_epoch_middle=print)
    with pytest.raises(TypeError, match="on_epoch_end must be callable, got int"):
        LambdaCallback(on_epoch_end=3)
