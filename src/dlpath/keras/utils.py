"""``keras.utils``."""

from dlpath.preprocessing import pad_sequences, to_categorical
from dlpath.data import PyDataset, Sequence
from dlpath.preprocessing.image import array_to_img, img_to_array, load_img, save_img
from dlpath.preprocessing.image_dataset import image_dataset_from_directory
from dlpath.preprocessing.text_dataset import text_dataset_from_directory
from dlpath.preprocessing.timeseries import timeseries_dataset_from_array
from dlpath.random import set_seed as set_random_seed
from dlpath.saving import (
    deserialize_keras_object, register_keras_serializable, serialize_keras_object,
)
from dlpath.utils import (
    CustomObjectScope, Progbar, custom_object_scope, get_custom_objects, get_file, normalize,
)
from dlpath.models.plot import model_to_dot, plot_model
from dlpath.models.packing import pack_x_y_sample_weight, unpack_x_y_sample_weight
from dlpath.ops.backend import is_keras_tensor
from dlpath.saving import get_registered_name, get_registered_object
from dlpath.keras.backend import clear_session
from dlpath.utils.dataset_split import split_dataset
from dlpath.utils.interactive_logging import (
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled,
)
from dlpath.utils.keras_helpers import get_source_inputs, standardize_dtype, to_ordinal

__all__ = ["to_categorical", "pad_sequences", "set_random_seed", "register_keras_serializable",
           "serialize_keras_object", "deserialize_keras_object", "Progbar", "get_file",
           "normalize", "get_custom_objects", "custom_object_scope", "CustomObjectScope",
           "plot_model", "model_to_dot", "Sequence", "PyDataset",
           "image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array", "load_img", "img_to_array", "array_to_img",
           "save_img", "pack_x_y_sample_weight", "unpack_x_y_sample_weight",
           "get_source_inputs", "is_keras_tensor", "to_ordinal", "split_dataset",
           "get_registered_name", "get_registered_object", "standardize_dtype",
           "clear_session", "disable_interactive_logging", "enable_interactive_logging",
           "is_interactive_logging_enabled"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
