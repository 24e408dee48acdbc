"""``keras.utils``."""

from dlpath.preprocessing import pad_sequences, to_categorical
from dlpath.random import set_seed as set_random_seed

__all__ = ["to_categorical", "pad_sequences", "set_random_seed"]
