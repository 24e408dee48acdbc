"""`ReduceLROnPlateau`: divide the learning rate when a monitored quantity stalls."""

from __future__ import annotations

import warnings

import numpy as np

from dlpath.callbacks.callback import MonitorCallback, check_number


class ReduceLROnPlateau(MonitorCallback):
    r"""Reduce the learning rate when ``monitor`` stops improving
    (Keras ``keras.callbacks.ReduceLROnPlateau``).

    After ``patience`` epochs without an improvement larger than ``min_delta``, and if
    :math:`\eta > \eta_\min`, the optimizer's rate becomes

    .. math:: \eta \leftarrow \max(\eta \cdot \text{factor}, \eta_\min)

    and ``cooldown`` epochs follow during which no epoch counts towards the patience.
    Each epoch's logs get ``learning_rate``, the rate used in that epoch (tf.keras 2
    called it ``lr``).

    Args:
        monitor: the logged quantity.
        factor: the multiplier, in [0, 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints a message at each reduction.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        min_delta: the least change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the lower bound :math:`\eta_\min`.
        epsilon: tf.keras 1's name of ``min_delta`` (deprecated).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **legacy):
        if "epsilon" in legacy:
            min_delta = legacy.pop("epsilon")
            warnings.warn("ReduceLROnPlateau: `epsilon` is deprecated, use `min_delta`",
                          UserWarning, stacklevel=2)
        if legacy:
            raise TypeError(
                f"ReduceLROnPlateau: unexpected keyword argument(s) {sorted(legacy)}")
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta)
        factor = check_number("ReduceLROnPlateau", "factor", factor, low=0)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0, got factor={factor}")
        self.factor = factor
        self.patience = check_number("ReduceLROnPlateau", "patience", patience, low=0,
                                     integer=True)
        self.verbose = verbose
        self.cooldown = check_number("ReduceLROnPlateau", "cooldown", cooldown, low=0,
                                     integer=True)
        self.min_lr = check_number("ReduceLROnPlateau", "min_lr", min_lr, low=0)
        self._reset()

    def _reset(self) -> None:
        """Reset the best value, the wait and the cooldown counters."""
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which "
                f"is not available. Available metrics are: {','.join(logs)}.",
                stacklevel=3,
            )
            return
        if self.best is None:
            self.best = self._worst_value()
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce(optimizer, epoch)

    def _reduce(self, optimizer, epoch) -> None:
        old_lr = float(optimizer.learning_rate)
        if old_lr <= np.float32(self.min_lr):
            return
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                  f"{new_lr}.")
        self.cooldown_counter = self.cooldown
        self.wait = 0
