"""A fake model with exactly the members callbacks rely on, a fake clock for the progress
bar, and `run_fit`, which calls the hooks in the order ``Model.fit`` does."""

from __future__ import annotations

import numpy as np

from dlpath.callbacks import CallbackList
from dlpath.callbacks import progbar as progbar_module


class FakeOptimizer:
    def __init__(self, learning_rate=0.01):
        self.learning_rate = learning_rate
        self.iterations = 0


class FakeModel:
    """``stop_training``, ``optimizer``, ``get/set_weights``, ``save``, ``save_weights``,
    ``history``; ``weights`` is one array whose value is set per epoch by `run_fit`."""

    def __init__(self, learning_rate=0.01):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self.weights = [np.zeros(2)]
        self.history = None
        self.saved = []  # (kind, filepath)

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, filepath):
        self.saved.append(("model", filepath))

    def save_weights(self, filepath):
        self.saved.append(("weights", filepath))


class FakeClock:
    """Replaces the progress bar's clock: ``clock.now`` is the time in seconds."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def install_clock(monkeypatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(progbar_module, "_clock", clock)
    return clock


def run_fit(model, callbacks, epoch_logs, steps=2, verbose=0, batch_logs=None,
            add_progbar=None):
    """Drive ``callbacks`` over ``len(epoch_logs)`` epochs, as ``Model.fit`` does.

    Epoch ``e`` sets the model's weights to ``[e, e]`` during its batches, so a restored
    weight tells which epoch it came from. Returns the History.
    """
    epochs = len(epoch_logs)
    add_progbar = verbose != 0 if add_progbar is None else add_progbar
    callback_list = CallbackList(callbacks, add_history=True, add_progbar=add_progbar,
                                 model=model, verbose=verbose, epochs=epochs, steps=steps)
    model.stop_training = False
    callback_list.on_train_begin()
    logs = None
    for epoch in range(epochs):
        callback_list.on_epoch_begin(epoch)
        for batch in range(steps):
            callback_list.on_train_batch_begin(batch)
            model.weights = [np.full(2, float(epoch))]
            logs_now = (batch_logs or {}).get((epoch, batch), {"loss": 1.0})
            callback_list.on_train_batch_end(batch, dict(logs_now))
            if model.stop_training:
                break
        logs = dict(epoch_logs[epoch])
        callback_list.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)
    return model.history
