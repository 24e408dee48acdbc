"""``keras.utils``."""

from dlpath.preprocessing import pad_sequences, to_categorical
from dlpath.random import set_seed as set_random_seed
from dlpath.saving import (
    deserialize_keras_object, register_keras_serializable, serialize_keras_object,
)
from dlpath.utils import (
    CustomObjectScope, Progbar, custom_object_scope, get_custom_objects, get_file, normalize,
)
from dlpath.models.plot import model_to_dot, plot_model

__all__ = ["to_categorical", "pad_sequences", "set_random_seed", "register_keras_serializable",
           "serialize_keras_object", "deserialize_keras_object", "Progbar", "get_file",
           "normalize", "get_custom_objects", "custom_object_scope", "CustomObjectScope",
           "plot_model", "model_to_dot"]
