import math

import numpy as np


def early_stopping(val_losses, patience=0, min_delta=0.0):
    """Where Keras' EarlyStopping(monitor="val_loss", patience, min_delta) stops a run whose
    validation losses are val_losses (one per epoch, epochs counted from 0).

    After each epoch, with best = inf and wait = 0 at the start:
        wait += 1
        if loss + |min_delta| < best:   best, best_epoch, wait = loss, epoch, 0   (improved)
        elif wait >= patience and epoch > 0:   training stops after this epoch
    A loss that is not lower than best by more than |min_delta| (a tie, a nan) does not
    improve, and does not move best.
    Returns (stop_epoch, best_epoch): the last epoch that runs (len(val_losses) - 1 when
    training is never stopped) and the epoch of the last improvement (0 if none).
    """
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if loss + abs(min_delta) < best:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience and epoch > 0:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch


def final_weights_epoch(val_losses, patience=0, min_delta=0.0, restore_best_weights=False):
    """The epoch whose weights the model holds when fit ends, under the same EarlyStopping:
    with restore_best_weights=True the best epoch (Keras 3 restores them whether training
    was stopped early or ran to the end), otherwise the last epoch that ran.
    Returns an int."""
    stop_epoch, best_epoch = early_stopping(val_losses, patience, min_delta)
    return best_epoch if restore_best_weights else stop_epoch
