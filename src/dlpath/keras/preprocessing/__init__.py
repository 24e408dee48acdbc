"""``keras.preprocessing``: sequence and text helpers (the tf.keras 2 spellings)."""

from dlpath.keras.preprocessing import sequence, text

__all__ = ["sequence", "text"]
