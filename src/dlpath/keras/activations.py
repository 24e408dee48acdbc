"""``keras.activations``."""

from dlpath.activations import *  # noqa: F401,F403
