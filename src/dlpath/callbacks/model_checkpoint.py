"""`ModelCheckpoint`: save the model or its weights during ``fit`` (Keras 3 semantics)."""

from __future__ import annotations

import os
import warnings

from dlpath.callbacks.callback import MonitorCallback, check_number


class ModelCheckpoint(MonitorCallback):
    """Save the model (``model.save``) or its weights (``model.save_weights``) after each
    epoch or every ``save_freq`` batches (Keras ``keras.callbacks.ModelCheckpoint``).

    ``filepath`` is formatted with ``epoch`` (1-based), ``batch`` (1-based, when saving
    by batches) and the logs, e.g. ``"ckpt-{epoch:02d}-{val_loss:.2f}.keras"``; its
    extension tells the model which format to write. With ``save_best_only``, a save
    happens only when ``monitor`` beats the best value so far (starting from
    ``initial_value_threshold``, else the worst value).

    Args:
        filepath: a str or path-like, possibly with ``{...}`` fields.
        monitor: the logged quantity compared by ``save_best_only``.
        verbose: 1 prints a message at each decision.
        save_best_only: save only improvements.
        save_weights_only: call ``model.save_weights`` instead of ``model.save``.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        save_freq: ``"epoch"`` or a number of batches.
        initial_value_threshold: the value the first save must beat.
        period: tf.keras 2's (deprecated) spelling: save every ``period`` epochs.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None, **legacy):
        super().__init__(monitor=monitor, mode=mode)
        period = legacy.pop("period", 1)
        options = legacy.pop("options", None)
        if legacy or options is not None:
            given = sorted(legacy) + (["options"] if options is not None else [])
            raise TypeError(f"ModelCheckpoint: unexpected keyword argument(s) {given}")
        try:
            self.filepath = os.fspath(filepath)
        except TypeError as error:
            raise TypeError(f"ModelCheckpoint: filepath must be a str or path-like, got "
                            f"{type(filepath).__name__}") from error
        if save_freq != "epoch" and (isinstance(save_freq, bool)
                                     or not isinstance(save_freq, int) or save_freq < 1):
            raise ValueError(f"ModelCheckpoint: unrecognized save_freq {save_freq!r}; "
                             f"expected 'epoch' or a positive integer")
        if period != 1:
            warnings.warn("ModelCheckpoint: `period` is deprecated (tf.keras 2); use "
                          "`save_freq` to give the number of batches between saves",
                          UserWarning, stacklevel=2)
        self.period = check_number("ModelCheckpoint", "period", period, low=1, integer=True)
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self.best = None if initial_value_threshold is None else check_number(
            "ModelCheckpoint", "initial_value_threshold", initial_value_threshold)
        self._current_epoch = 0
        self._epochs_since_last_save = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq != "epoch":
            return
        self._epochs_since_last_save += 1
        if self._epochs_since_last_save >= self.period:
            self._epochs_since_last_save = 0
            self._save_model(epoch=epoch, batch=None, logs=logs)

    # ------------------------------------------------------------------ internals
    def _should_save_on_batch(self, batch) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch began
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch, logs, filepath) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=4)
            return True
        if self.best is None:
            self.best = self._worst_value()
        best_text = f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_text} to "
                      f"{current:.5f}, saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_text}")
        return False

    def _save_model(self, epoch, batch, logs) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        directory = os.path.dirname(filepath)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath)
        else:
            self.model.save(filepath)

    def _get_file_path(self, epoch, batch, logs) -> str:
        """``filepath`` with ``epoch`` (1-based), ``batch`` (1-based) and the logs filled in."""
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except (KeyError, IndexError) as error:
            raise KeyError(
                f'ModelCheckpoint: failed to format the filepath "{self.filepath}": no value '
                f"for {error}; available: {sorted(fields)}"
            ) from error
