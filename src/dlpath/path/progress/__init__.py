"""The learner's progress: recorded attempts (SQLite) and the states derived from them."""

from dlpath.path.progress.states import Progress, learner_progress
from dlpath.path.progress.store import Attempt, ProgressError, ProgressStore, home

__all__ = ["Attempt", "Progress", "ProgressError", "ProgressStore", "home", "learner_progress"]
