"""``keras.preprocessing.timeseries``."""

from dlpath.preprocessing.timeseries import timeseries_dataset_from_array

__all__ = ["timeseries_dataset_from_array"]
