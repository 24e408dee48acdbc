"""`TerminateOnNaN`: stop ``fit`` as soon as a batch loss is NaN or infinite."""

from __future__ import annotations

import math

from dlpath.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stop training when a batch's ``loss`` is NaN or infinite
    (Keras ``keras.callbacks.TerminateOnNaN``).

    Prints ``Batch N: Invalid loss, terminating training`` and sets
    ``model.stop_training``, so ``fit`` ends after that batch and the other callbacks
    still get ``on_epoch_end`` and ``on_train_end``.

    Args:
        raise_error: raise a ``RuntimeError`` at once instead (Keras 3), skipping the
            other callbacks' ``on_train_end``.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = bool(raise_error)

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)
        if math.isfinite(loss):
            return
        if self.raise_error:
            raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. "
                               f"Loss value: {loss}. Terminating training immediately.")
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
