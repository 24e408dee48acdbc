"""``keras.preprocessing.sequence``."""

from dlpath.preprocessing.sequence import pad_sequences

__all__ = ["pad_sequences"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
