"""``keras.config``: the global settings of Keras 3 (floatx, epsilon, image data format,
backend, interactive logging)."""

from dlpath.ops.config import (
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format,
)
from dlpath.mixed_precision import global_policy as dtype_policy
from dlpath.mixed_precision import set_global_policy as set_dtype_policy
from dlpath.utils.interactive_logging import (
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled,
)
from dlpath.utils.keras_helpers import enable_unsafe_deserialization

__all__ = ["backend", "epsilon", "floatx", "image_data_format", "set_epsilon", "set_floatx",
           "set_image_data_format", "disable_interactive_logging",
           "enable_interactive_logging", "is_interactive_logging_enabled", "dtype_policy",
           "set_dtype_policy", "enable_unsafe_deserialization"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
