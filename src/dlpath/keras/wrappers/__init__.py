"""``keras.wrappers``: ``scikit_learn`` (imported on use, as it imports scikit-learn)."""

__all__ = ["scikit_learn"]


def __getattr__(name):
    if name == "scikit_learn":
        import importlib

        return importlib.import_module("dlpath.keras.wrappers.scikit_learn")
    from dlpath.keras.missing import attribute_error

    raise attribute_error(__name__, name)
