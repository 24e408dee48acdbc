"""``keras.layers``: every dlpath layer, plus Input and InputLayer."""

from dlpath.layers import *  # noqa: F401,F403 - the re-export is the point
from dlpath.layers import __all__ as _layer_names
from dlpath.layers.input_layer import Input, InputLayer

__all__ = list(_layer_names) + ["Input", "InputLayer"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
