"""`EarlyStopping`: stop ``fit`` when a monitored quantity stops improving (Keras 3)."""

from __future__ import annotations

import warnings

from dlpath.callbacks.callback import MonitorCallback, check_number


class EarlyStopping(MonitorCallback):
    r"""Stop training when ``monitor`` has not improved for ``patience`` epochs
    (Keras ``keras.callbacks.EarlyStopping``, Keras 3 semantics).

    At the end of each epoch from ``start_from_epoch`` on, with the value :math:`v`,
    the best so far :math:`b` and :math:`\delta` = ``abs(min_delta)``: :math:`v` improves
    when :math:`v + \delta < b` (``"min"``) or :math:`v - \delta > b` (``"max"``).
    ``wait`` counts the epochs since the last improvement (an improvement that does not
    also beat ``baseline`` does not reset it); when ``wait >= patience`` on an epoch after
    the first, ``model.stop_training`` is set.

    Args:
        monitor: the logged quantity, e.g. ``"val_loss"`` or ``"accuracy"``.
        min_delta: the least change that counts as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints ``Epoch N: early stopping`` and the restore message.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        baseline: a value to beat; training stops after ``patience`` epochs that do not.
        restore_best_weights: when training ends (stopped early or not), set the weights
            of the best epoch seen, as Keras 3 does.
        start_from_epoch: epochs of warm-up before monitoring starts.

    Attributes:
        stopped_epoch: the epoch (0-based) training was stopped at, 0 if it was not.
        best, best_epoch, best_weights, wait: the state described above.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta)
        self.patience = check_number("EarlyStopping", "patience", patience, low=0,
                                     integer=True)
        self.verbose = verbose
        self.baseline = None if baseline is None else check_number(
            "EarlyStopping", "baseline", baseline)
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = check_number("EarlyStopping", "start_from_epoch",
                                             start_from_epoch, low=0, integer=True)
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        # Allow an instance to be reused across fit calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        if self.best is None:
            self.best = self._worst_value()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the current weights are the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """The monitored value in ``logs``, or None with a warning naming what is there."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs)}",
                stacklevel=3,
            )
        return value
