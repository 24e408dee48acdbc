"""``keras.wrappers.scikit_learn``: KerasClassifier and KerasRegressor."""

from dlpath.wrappers.scikit_learn import KerasClassifier, KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor"]
