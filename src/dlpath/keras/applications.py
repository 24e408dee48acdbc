"""``keras.applications``."""

from dlpath.applications import *  # noqa: F401,F403
from dlpath.applications import __all__  # noqa: F401
