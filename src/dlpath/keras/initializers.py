"""``keras.initializers``."""

from dlpath.initializers import *  # noqa: F401,F403
