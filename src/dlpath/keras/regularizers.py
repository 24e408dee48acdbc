"""``keras.regularizers``."""

from dlpath.regularizers import *  # noqa: F401,F403
