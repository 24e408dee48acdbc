"""`LearningRateScheduler`: set the learning rate at each epoch from a function."""

from __future__ import annotations

import inspect
import numbers

import numpy as np

from dlpath.callbacks.callback import Callback

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _takes_learning_rate(schedule) -> bool | None:
    """True if ``schedule`` accepts ``(epoch, lr)``, False if only ``(epoch)``, None if
    its signature cannot be read."""
    try:
        parameters = inspect.signature(schedule).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return True
    return sum(p.kind in _POSITIONAL for p in parameters) >= 2


class LearningRateScheduler(Callback):
    r"""Set the optimizer's learning rate at the start of each epoch
    (Keras ``keras.callbacks.LearningRateScheduler``):

    .. math:: \eta_e = \text{schedule}(e, \eta_{e-1}) \quad\text{or}\quad
              \eta_e = \text{schedule}(e)

    with :math:`e` the 0-based epoch. Each epoch's logs get ``learning_rate``.

    Args:
        schedule: a function of ``(epoch, lr)`` or of ``(epoch)`` returning a float.
        verbose: 1 prints the rate set at each epoch.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be callable, got "
                            f"{type(schedule).__name__}")
        self.schedule = schedule
        self.verbose = verbose
        self._two_arguments = _takes_learning_rate(schedule)

    def _next_rate(self, epoch, learning_rate):
        if self._two_arguments is None:  # unreadable signature: try as Keras does
            try:
                return self.schedule(epoch, learning_rate)
            except TypeError:
                return self.schedule(epoch)
        if self._two_arguments:
            return self.schedule(epoch, learning_rate)
        return self.schedule(epoch)

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('LearningRateScheduler: the optimizer must have a '
                             '"learning_rate" attribute.')
        learning_rate = self._next_rate(epoch, float(optimizer.learning_rate))
        if isinstance(learning_rate, np.ndarray) and learning_rate.ndim == 0:
            learning_rate = learning_rate.item()
        if isinstance(learning_rate, bool) or not isinstance(
                learning_rate, (numbers.Real, np.number)):
            raise ValueError(f"LearningRateScheduler: the output of the `schedule` "
                             f"function should be a float, got {learning_rate!r}")
        learning_rate = float(learning_rate)
        optimizer.learning_rate = learning_rate
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
