"""``keras.saving``."""

from dlpath.saving import (
    get_registered_name, get_registered_object, load_model, register_keras_serializable,
    save_model,
)

__all__ = ["load_model", "save_model", "register_keras_serializable", "get_registered_name",
           "get_registered_object"]
