"""Calibration: the range [lo, hi] of each quantized layer's input, seen on sample data.

- ``minmax``: lo = min x, hi = max x over every value seen. Nothing is clipped, but one
  outlier stretches the scale s = (hi - lo) / 255 for all the other values.
- ``percentile``: lo and hi are the (100 - p)-th and p-th percentiles (p = 99.99 by
  default) of the values seen: the rare outliers beyond them are clipped to the range,
  in exchange for a finer step s for the bulk of the values.

A percentile needs the values themselves; at most ``max_values`` of each layer's input
are kept, taken at an even stride from every batch, so that the memory stays bounded.
"""

from __future__ import annotations

import numpy as np

METHODS = ("minmax", "percentile")


class MinMaxObserver:
    """The running minimum and maximum of the values it observes."""

    def __init__(self):
        self.lo, self.hi = np.inf, -np.inf

    def observe(self, x: np.ndarray) -> None:
        if x.size:
            self.lo = min(self.lo, float(np.min(x)))
            self.hi = max(self.hi, float(np.max(x)))

    def range(self) -> tuple:
        if self.lo > self.hi:
            raise ValueError("calibration: a quantized layer saw no values; give "
                             "calibration data with at least one sample")
        return self.lo, self.hi


class PercentileObserver:
    """The (100 - p)-th and p-th percentiles of (a strided sample of) the values."""

    def __init__(self, percentile: float = 99.99, max_values: int = 1 << 21):
        if not 50.0 < float(percentile) <= 100.0:
            raise ValueError(f"calibration: percentile must be in (50, 100], got "
                             f"{percentile!r}")
        self.percentile = float(percentile)
        self.max_values = int(max_values)
        self.samples: list = []
        self.kept = 0

    def observe(self, x: np.ndarray) -> None:
        flat = np.asarray(x, np.float32).ravel()
        room = max(self.max_values - self.kept, 0)
        if flat.size > room:
            stride = -(-flat.size // max(room, 1))
            flat = flat[::stride][:room]
        if flat.size:
            self.samples.append(flat.copy())
            self.kept += flat.size

    def range(self) -> tuple:
        if not self.samples:
            raise ValueError("calibration: a quantized layer saw no values; give "
                             "calibration data with at least one sample")
        values = np.concatenate(self.samples)
        lo, hi = np.percentile(values, [100.0 - self.percentile, self.percentile])
        return float(lo), float(hi)


def make_observer(method: str, percentile: float = 99.99):
    """The observer of calibration ``method`` ('minmax' or 'percentile')."""
    if method == "minmax":
        return MinMaxObserver()
    if method == "percentile":
        return PercentileObserver(percentile)
    raise ValueError(f"quantize_model: method must be one of {METHODS}, got {method!r}")
