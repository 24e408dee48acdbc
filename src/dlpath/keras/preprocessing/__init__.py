"""``keras.preprocessing``: sequence, text, image and timeseries helpers (tf.keras 2)."""

from dlpath.keras.preprocessing import image, sequence, text, timeseries
from dlpath.preprocessing.image_dataset import image_dataset_from_directory
from dlpath.preprocessing.text_dataset import text_dataset_from_directory
from dlpath.preprocessing.timeseries import timeseries_dataset_from_array

__all__ = ["image", "sequence", "text", "timeseries", "image_dataset_from_directory",
           "text_dataset_from_directory", "timeseries_dataset_from_array"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
