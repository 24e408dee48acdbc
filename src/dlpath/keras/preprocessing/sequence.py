"""``keras.preprocessing.sequence``."""

from dlpath.preprocessing.sequence import pad_sequences

__all__ = ["pad_sequences"]
