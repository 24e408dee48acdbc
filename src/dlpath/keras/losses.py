"""``keras.losses``."""

from dlpath.losses import *  # noqa: F401,F403
from dlpath.losses import __all__  # noqa: F401
