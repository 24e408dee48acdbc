"""``keras.callbacks``."""

from dlpath.callbacks import *  # noqa: F401,F403
from dlpath.callbacks import __all__  # noqa: F401
