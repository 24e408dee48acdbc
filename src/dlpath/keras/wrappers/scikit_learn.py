"""``keras.wrappers.scikit_learn``: KerasClassifier and KerasRegressor."""

from dlpath.wrappers.scikit_learn import KerasClassifier, KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
