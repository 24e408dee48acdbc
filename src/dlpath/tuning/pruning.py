"""Stopping unpromising trials early: Optuna's pruning as a dlpath `Callback`."""

from __future__ import annotations

import math

from dlpath.callbacks import Callback


class OptunaPruningCallback(Callback):
    """Report ``monitor`` to an Optuna trial after each epoch; prune when told to.

    At each epoch's end: ``trial.report(value, epoch)``, then, if ``trial.should_prune()``,
    raise ``optuna.TrialPruned`` (which ends ``fit`` and marks the trial pruned). ``best``
    is the best value seen (the largest: the monitored quantity is an accuracy).
    """

    def __init__(self, trial, monitor: str = "val_accuracy"):
        super().__init__()
        self.trial = trial
        self.monitor = monitor
        self.best = -math.inf

    def on_epoch_end(self, epoch, logs=None):
        import optuna

        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(f"the pruning callback watches '{self.monitor}', which the "
                           f"training logs lack (they have: {', '.join(sorted(logs))})")
        value = float(logs[self.monitor])
        if math.isfinite(value):
            self.best = max(self.best, value)
        self.trial.report(value, epoch)
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"pruned at epoch {epoch + 1} with "
                                     f"{self.monitor} = {value:.4f}")
