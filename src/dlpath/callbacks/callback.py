"""The callback contract: `Callback` (hooks that do nothing), `CallbackList` (calls them all),
and `MonitorCallback`, the base of the callbacks that watch one logged quantity.

The training loop calls, in order (Keras' contract)::

    set_model(model); set_params({"epochs": E, "steps": S or None, "verbose": v})
    on_train_begin(logs)
    for epoch:  on_epoch_begin(epoch, logs)
        for batch:  on_train_batch_begin(batch, logs) ... on_train_batch_end(batch, logs)
        on_test_begin(logs) ... on_test_batch_end(batch, logs) ... on_test_end(logs)
        on_epoch_end(epoch, logs)          # logs: the epoch's metrics and their ``val_`` twins
    on_train_end(logs)

``evaluate`` calls the ``on_test_*`` hooks and ``predict`` the ``on_predict_*`` ones. Batch
logs hold the running averages of the loss and metrics since the epoch began. Epoch logs are
one dict handed to every callback in turn, so a callback may add a key (ReduceLROnPlateau
adds ``learning_rate``) that the callbacks after it (History, the progress bar) see.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

# Substrings of metric names that are better when larger; any other name is minimized
# (tf.keras 2's rule for ``mode="auto"``, widened to the metrics Keras 3 marks "up").
_MAXIMIZED_NAMES = ("acc", "auc", "precision", "recall", "f1", "fbeta", "fmeasure", "iou")
_MODES = ("auto", "min", "max")


class Callback:
    """Base class of callbacks: every hook is a no-op, so a subclass overrides only the
    ones it needs (Keras ``keras.callbacks.Callback``).

    Attributes:
        model: the model being trained, set by `set_model`.
        params: the loop's parameters (``epochs``, ``steps``, ``verbose``), set by
            `set_params`.
    """

    def __init__(self):
        self.model = None
        self.params = None
        self.validation_data = None  # tf.keras 2 attribute, kept for old subclasses

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    # ------------------------------------------------------------------ batch aliases
    def on_batch_begin(self, batch, logs=None):
        """tf.keras 1/2 alias of `on_train_batch_begin` (called by its default)."""

    def on_batch_end(self, batch, logs=None):
        """tf.keras 1/2 alias of `on_train_batch_end` (called by its default)."""

    # ------------------------------------------------------------------ training
    def on_train_begin(self, logs=None):
        """Called once when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Called once when ``fit`` ends, with the last epoch's logs."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of epoch ``epoch`` (0-based)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of epoch ``epoch`` with its metrics and ``val_`` metrics."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before training batch ``batch`` (0-based within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after training batch ``batch`` with the epoch's running averages."""
        self.on_batch_end(batch, logs=logs)

    # ------------------------------------------------------------------ evaluation
    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` (or validation inside ``fit``) starts."""

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` (or validation inside ``fit``) ends."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before evaluation batch ``batch``."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after evaluation batch ``batch`` with the running averages."""

    # ------------------------------------------------------------------ prediction
    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before prediction batch ``batch``."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after prediction batch ``batch``."""


def infer_mode(monitor: str) -> str:
    """``"max"`` for quantities that are better when larger (accuracy, AUC, precision,
    recall, F-scores, IoU; with or without the ``val_`` prefix), else ``"min"``."""
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "min"
    return "max" if any(part in name for part in _MAXIMIZED_NAMES) else "min"


class MonitorCallback(Callback):
    r"""Base of the callbacks that watch one logged quantity (EarlyStopping,
    ModelCheckpoint, ReduceLROnPlateau), as Keras 3's ``MonitorCallback``.

    With :math:`\delta` = ``abs(min_delta)``, a value :math:`v` improves on a reference
    :math:`r` when :math:`v + \delta < r` in ``"min"`` mode and :math:`v - \delta > r` in
    ``"max"`` mode. ``"auto"`` picks the direction from the name (`infer_mode`); an unknown
    mode warns and falls back to ``"auto"``, as Keras does.
    """

    def __init__(self, monitor="val_loss", mode="auto", min_delta=0.0):
        super().__init__()
        owner = type(self).__name__
        if not isinstance(monitor, str) or not monitor:
            raise TypeError(f"{owner}: monitor must be a metric name (str), got {monitor!r}")
        if mode not in _MODES:
            warnings.warn(f"{owner} mode '{mode}' is unknown, fallback to auto mode.",
                          stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(check_number(owner, "min_delta", min_delta))
        self.monitor_op = None

    def _set_monitor_op(self) -> None:
        """Fix the direction: ``np.less`` (minimize) or ``np.greater`` (maximize)."""
        mode = infer_mode(self.monitor) if self.mode == "auto" else self.mode
        self.monitor_op = np.less if mode == "min" else np.greater

    def _worst_value(self) -> float:
        """The starting "best": ``inf`` when minimizing, ``-inf`` when maximizing."""
        if self.monitor_op is None:
            self._set_monitor_op()
        return float("inf") if self.monitor_op is np.less else -float("inf")

    def _is_improvement(self, value, reference) -> bool:
        if reference is None:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.monitor_op is np.less:
            return bool(value + self.min_delta < reference)
        return bool(value - self.min_delta > reference)


def check_number(owner: str, name: str, value, low=None, integer=False):
    """``value`` after checking it is a real number (an integer if asked) >= ``low``."""
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, wanted):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{owner}: {name} must be {kind}, got {value!r}")
    if low is not None and value < low:
        raise ValueError(f"{owner}: {name} must be >= {low}, got {value}")
    return int(value) if integer else float(value)


def _flatten(callbacks) -> list:
    if callbacks is None:
        return []
    if isinstance(callbacks, (list, tuple)):
        flat = []
        for item in callbacks:
            flat.extend(_flatten(item))
        return flat
    if not isinstance(callbacks, Callback):
        raise TypeError(
            f"CallbackList: expected Callback instances, got {type(callbacks).__name__}; "
            f"subclass dlpath.callbacks.Callback"
        )
    return [callbacks]


def _pythonify(logs) -> dict:
    """Batch logs with NumPy scalars turned into floats; the key order is kept (tf.keras 2
    prints ``loss`` first)."""
    result = {}
    for key, value in (logs or {}).items():
        if isinstance(value, (numbers.Real, np.generic)) or (
                isinstance(value, np.ndarray) and value.ndim == 0):
            try:
                value = float(value)
            except (TypeError, ValueError):
                pass
        result[key] = value
    return result


class CallbackList(Callback):
    """Calls a list of callbacks together (Keras ``keras.callbacks.CallbackList``).

    Args:
        callbacks: a `Callback`, or a (nested) list of them.
        add_history: append a `History` unless the list holds one (``fit`` always does).
        add_progbar: append a `ProgbarLogger` unless the list holds one (``fit`` does when
            ``verbose != 0``), after the History, as Keras orders them.
        model: passed to every callback's ``set_model``; ``model.history`` becomes the
            History.
        **params: if given, passed to every callback's ``set_params``
            (``epochs=``, ``steps=``, ``verbose=``).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        self._history = None
        self._progbar = None
        self._add_default_callbacks(add_history, add_progbar)
        self.params = {}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        from dlpath.callbacks.history import History
        from dlpath.callbacks.progbar import ProgbarLogger

        for callback in self.callbacks:
            if isinstance(callback, ProgbarLogger):
                self._progbar = callback
            elif isinstance(callback, History):
                self._history = callback
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def append(self, callback) -> None:
        self.callbacks.extend(_flatten(callback))

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def set_params(self, params):
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        self.model = model
        if model is not None and self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    # ------------------------------------------------------------------ dispatch
    def on_batch_begin(self, batch, logs=None):
        for callback in self.callbacks:
            callback.on_batch_begin(batch, logs=logs or {})

    def on_batch_end(self, batch, logs=None):
        logs = _pythonify(logs)
        for callback in self.callbacks:
            callback.on_batch_end(batch, logs=logs)

    def on_train_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_end(logs)

    def on_epoch_begin(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs  # one dict: additions reach later callbacks
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_train_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        logs = _pythonify(logs)
        for callback in self.callbacks:
            callback.on_train_batch_end(batch, logs=logs)

    def on_test_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_begin(logs)

    def on_test_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_end(logs)

    def on_test_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_test_batch_begin(batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        logs = _pythonify(logs)
        for callback in self.callbacks:
            callback.on_test_batch_end(batch, logs=logs)

    def on_predict_begin(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_begin(logs)

    def on_predict_end(self, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_end(logs)

    def on_predict_batch_begin(self, batch, logs=None):
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            callback.on_predict_batch_begin(batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        logs = {} if logs is None else logs  # predictions stay as they are
        for callback in self.callbacks:
            callback.on_predict_batch_end(batch, logs=logs)
