"""Hyperparameter search for recipes with Optuna (``dlpath tune``)."""

from dlpath.tuning.pruning import OptunaPruningCallback
from dlpath.tuning.search import TrialRun, default_search_space, make_objective, tune

__all__ = ["OptunaPruningCallback", "TrialRun", "default_search_space", "make_objective",
           "tune"]
