"""``keras.utils``."""

from dlpath.preprocessing import pad_sequences, to_categorical
from dlpath.random import set_seed as set_random_seed
from dlpath.saving import register_keras_serializable

__all__ = ["to_categorical", "pad_sequences", "set_random_seed", "register_keras_serializable"]
