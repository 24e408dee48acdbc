"""Wrappers that let dlpath models stand where other libraries expect their estimators.

`dlpath.wrappers.scikit_learn` (imported on use, as it imports scikit-learn):
``KerasClassifier`` and ``KerasRegressor``.
"""

__all__ = ["scikit_learn"]


def __getattr__(name):
    if name == "scikit_learn":
        import importlib

        return importlib.import_module("dlpath.wrappers.scikit_learn")
    raise AttributeError(f"module 'dlpath.wrappers' has no attribute {name!r}")
