"""``keras.models``: Sequential, Model, and loading saved models."""

from dlpath.models import Model, Sequential
from dlpath.models.clone import clone_model
from dlpath.models.config_io import model_from_config
from dlpath.models.json_io import model_from_json, model_from_yaml


def __getattr__(name):
    if name in ("load_model", "save_model"):
        from dlpath import saving

        return getattr(saving, name)
    from dlpath.keras.missing import attribute_error

    raise attribute_error(__name__, name)


__all__ = ["Model", "Sequential", "load_model", "save_model", "clone_model",
           "model_from_json", "model_from_yaml", "model_from_config"]
