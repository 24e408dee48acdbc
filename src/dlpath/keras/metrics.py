"""``keras.metrics``."""

from dlpath.metrics import *  # noqa: F401,F403
from dlpath.metrics import __all__  # noqa: F401
