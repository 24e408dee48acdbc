"""``keras.mixed_precision``."""

from dlpath.mixed_precision import *  # noqa: F401,F403
from dlpath.mixed_precision import __all__  # noqa: F401
