"""``keras.preprocessing.timeseries``."""

from dlpath.preprocessing.timeseries import timeseries_dataset_from_array

__all__ = ["timeseries_dataset_from_array"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
