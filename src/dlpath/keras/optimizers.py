"""``keras.optimizers``."""

from dlpath.optimizers import *  # noqa: F401,F403
