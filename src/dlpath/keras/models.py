"""``keras.models``: Sequential, Model, and loading saved models."""

from dlpath.models import Model, Sequential


def __getattr__(name):
    if name in ("load_model", "save_model"):
        from dlpath import saving

        return getattr(saving, name)
    raise AttributeError(f"module 'dlpath.keras.models' has no attribute {name!r}")


__all__ = ["Model", "Sequential", "load_model", "save_model"]
