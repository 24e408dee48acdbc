"""``keras.saving``."""

from dlpath.saving import (
    get_registered_name, get_registered_object, load_model, register_keras_serializable,
    save_model,
)

__all__ = ["load_model", "save_model", "register_keras_serializable", "get_registered_name",
           "get_registered_object"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
