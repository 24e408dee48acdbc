"""The environment a run was made in, recorded in its ``config.json``."""

from __future__ import annotations

import os
import platform
import sys

import numpy as np


def describe(seed: int) -> dict:
    """Python, NumPy and dlpath versions, the machine, the CPU count and the seed."""
    from dlpath import __version__

    return {
        "dlpath": __version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "seed": seed,
    }
