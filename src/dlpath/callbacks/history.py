"""`History`: records every epoch's logs; ``fit`` always adds one and returns it."""

from __future__ import annotations

from dlpath.callbacks.callback import Callback


class History(Callback):
    """Records the epoch logs (Keras ``keras.callbacks.History``).

    Attributes:
        history: ``{name: [value per epoch]}``, e.g. ``history["val_loss"][-1]``.
        epoch: the indices (0-based) of the epochs recorded by the last ``fit``.
        params: the loop's parameters; ``model``: the model trained.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self  # the latest state, as Keras sets it
