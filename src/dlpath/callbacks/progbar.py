"""The progress bar of tf.keras 2 (`Progbar`) and the callback that prints it during
``fit``, ``evaluate`` and ``predict`` (`ProgbarLogger`).

``verbose=1`` draws, per epoch::

    Epoch 1/5
    1875/1875 [==============================] - 3s 2ms/step - loss: 0.2942 - accuracy: 0.9150

While the epoch runs the line shows ``- ETA: 12s`` instead of the times and is redrawn in
place with ``\\r``, but only on a terminal (or in a notebook); elsewhere (logs, CI, pipes)
nothing is printed until the epoch ends and then one clean line. ``verbose=2`` prints one
line per epoch::

    1875/1875 - 3s - loss: 0.2942 - accuracy: 0.9150 - 3s/epoch - 2ms/step

Values print as ``%.4f``, or ``%.4e`` when :math:`|v| \\le 10^{-3}`. The time per step
leaves out the first step (compilation and warm-up in Keras):
:math:`t_\\text{step} = (t_\\text{now} - t_\\text{step 1}) / (\\text{current} - 1)`.
"""

from __future__ import annotations

import numbers
import sys
import time

import numpy as np

from dlpath.callbacks.callback import Callback, check_number

_clock = time.monotonic  # the one clock of this module (tests replace it)


def _stdout_is_interactive() -> bool:
    """True on a terminal or in a Jupyter kernel, where ``\\r`` redraws a line."""
    stream = sys.stdout
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return True
    except ValueError:  # a closed stream
        return False
    return "ipykernel" in sys.modules


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _format_value(value: float, signed_threshold: bool = False) -> str:
    """``%.4f`` above 1e-3 in absolute value, else ``%.4e`` (Keras' Progbar).

    tf.keras 2's ``verbose=2`` line compares the signed value, so a negative one prints
    in ``%.4e``; ``signed_threshold`` keeps that.
    """
    size = value if signed_threshold else abs(value)
    return f"{value:.4f}" if size > 1e-3 else f"{value:.4e}"


def _format_time(seconds: float, unit: str) -> str:
    """`` 3s/epoch``, `` 2ms/step`` or `` 850us/step``."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit}"
    return f" {seconds * 1e6:.0f}us/{unit}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta


class Progbar:
    """A text progress bar (Keras ``keras.utils.Progbar``, tf.keras 2 look).

    Args:
        target: the number of steps expected, or None if unknown (the bar then shows
            ``"     12/Unknown"``).
        width: the bar's width in characters.
        verbose: 0 silent, 1 the live bar, 2 one line when finalized.
        interval: the least time in seconds between two redraws.
        stateful_metrics: names whose values print as given; the others are averaged over
            the steps since the bar began, weighted by the steps each value covers.
        unit_name: the unit of a step (``"step"`` or ``"sample"``).
        interactive: redraw in place with ``\\r`` (True), or print one clean line when
            finalized and nothing before (False); None decides from ``sys.stdout.isatty()``
            (and Jupyter).
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step", interactive=None):
        if target is not None:
            target = check_number("Progbar", "target", target, low=0, integer=True)
        self.target = target
        self.width = check_number("Progbar", "width", width, low=1, integer=True)
        if verbose not in (0, 1, 2):
            raise ValueError(f"Progbar: verbose must be 0, 1 or 2, got {verbose!r}")
        self.verbose = verbose
        self.interval = check_number("Progbar", "interval", interval, low=0)
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        if interactive is None:
            interactive = _stdout_is_interactive()
        self._dynamic_display = bool(interactive)
        self._total_width = 0
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._values_order = []
        self._start = _clock()
        self._last_update = None
        self._time_at_epoch_start = self._start
        self._time_at_epoch_end = None
        self._time_after_first_step = None

    def update(self, current, values=None, finalize=None):
        """Move the bar to step ``current`` (1-based count of steps done).

        Args:
            current: the steps done so far.
            values: ``[(name, value), ...]`` for the last step(s).
            finalize: whether this is the last update; None means ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._accumulate(current, values or [])
        self._seen_so_far = current
        now = _clock()
        if current == self.target:
            self._time_at_epoch_end = now
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            self._draw_bar(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize:
            self._print_summary(current, now)

    def add(self, n, values=None):
        """Advance the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    # ------------------------------------------------------------------ internals
    def _accumulate(self, current, values) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
                continue
            weight = max(current - self._seen_so_far, 1)
            if name not in self._values:
                self._values[name] = [value * weight, weight]
            else:
                self._values[name][0] += value * weight
                self._values[name][1] += weight

    def _metrics_text(self, signed_threshold: bool = False) -> str:
        text = ""
        for name in self._values_order:
            total, count = self._values[name]
            average = float(np.mean(np.asarray(total, dtype=np.float64) / max(1, count)))
            text += f" - {name}: {_format_value(average, signed_threshold)}"
        return text

    def _bar(self, current) -> str:
        if self.target is None:
            return "%7d/Unknown" % current
        numdigits = len(str(self.target))
        bar = "%*d/%d [" % (numdigits, current, self.target)
        progress = current / self.target if self.target else 1.0
        filled = min(int(self.width * progress), self.width)
        if filled > 0:
            bar += "=" * (filled - 1) + (">" if current < self.target else "=")
        return bar + "." * (self.width - filled) + "]"

    def _draw_bar(self, current, now, time_per_unit, finalize) -> None:
        if not finalize:
            if not self._dynamic_display:
                return  # not a terminal: one clean line at the end only
            if self._last_update is not None and now - self._last_update < self.interval:
                return
        if self.target is None or finalize:
            info = f" - {now - self._start:.0f}s" + _format_time(time_per_unit, self.unit_name)
        else:
            info = " - ETA: " + _format_eta(time_per_unit * (self.target - current))
        line = self._bar(current) + info + self._metrics_text()
        if self._dynamic_display:
            padding = " " * max(self._total_width - len(line), 0)
            self._total_width = len(line)
            line = "\r" + line + padding
        _write(line + ("\n" if finalize else ""))
        self._last_update = now

    def _print_summary(self, current, now) -> None:
        if self.target is None:
            line = f"{current}/Unknown"
        else:
            line = "%*d/%d" % (len(str(self.target)), current, self.target)
        line += f" - {now - self._start:.0f}s" + self._metrics_text(signed_threshold=True)
        if self._time_at_epoch_end is not None:
            time_per_epoch = self._time_at_epoch_end - self._time_at_epoch_start
            line += " -" + _format_time(time_per_epoch, "epoch")
            line += " -" + _format_time(time_per_epoch / max(self.target, 1), self.unit_name)
            self._time_at_epoch_start = now
            self._time_at_epoch_end = None
        _write(line + "\n")

    def _estimate_step_duration(self, current, now) -> float:
        """Seconds per step, leaving the first step out once there are more."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit


class ProgbarLogger(Callback):
    """Prints the progress of ``fit``, ``evaluate`` and ``predict`` with a `Progbar`
    (Keras ``keras.callbacks.ProgbarLogger``); ``fit`` adds one when ``verbose != 0``.

    ``fit`` prints ``Epoch i/E`` (when E > 1) and one bar per epoch, whose last line holds
    the epoch logs, ``val_`` ones included; validation itself prints nothing. With
    ``steps=None`` the first epoch shows ``Unknown`` and its step count becomes the target
    of the next epochs. Logs are running averages already, so they print as given.

    Args:
        count_mode: ``"steps"`` or ``"samples"`` (tf.keras 2); dlpath counts steps.
        stateful_metrics: accepted for tf.keras 2 compatibility; every logged value is
            printed as given.
        interactive: passed to `Progbar` (None: decide from ``sys.stdout``).
    """

    def __init__(self, count_mode="steps", stateful_metrics=None, interactive=None):
        super().__init__()
        if count_mode not in ("steps", "samples"):
            raise ValueError(
                f'ProgbarLogger: unknown count_mode {count_mode!r}; expected "samples" or '
                f'"steps"'
            )
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.interactive = interactive
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True  # validation inside fit stays silent

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            _write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)  # predictions are not printed

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    # ------------------------------------------------------------------ internals
    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose,
                                   stateful_metrics=self.stateful_metrics,
                                   interactive=self.interactive)

    def _items(self, logs) -> list:
        """The scalar logs as ``(name, float)``, all marked to print as given."""
        items = []
        for key, value in (logs or {}).items():
            if isinstance(value, np.ndarray) and value.ndim == 0:
                value = value.item()
            if isinstance(value, (numbers.Real, np.number)):
                items.append((key, float(value)))
        self.progbar.stateful_metrics.update(key for key, _ in items)
        return items

    def _update_progbar(self, batch, logs) -> None:
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, self._items(logs), finalize=False)

    def _finalize_progbar(self, logs) -> None:
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, self._items(logs), finalize=True)
