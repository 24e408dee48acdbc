"""``keras.tree``: nested structures of lists, tuples and dicts."""

from dlpath.utils.tree import *  # noqa: F401,F403
from dlpath.utils.tree import __all__  # noqa: F401


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
