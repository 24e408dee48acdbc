"""dlpath's one source of randomness: initial weights, dropout masks and shuffling.

``set_seed(s)`` makes everything that follows reproducible, as ``keras.utils.set_random_seed``
does. Code that needs random numbers asks `generator()` for the shared NumPy generator, or
builds its own from an explicit seed.
"""

from __future__ import annotations

import random as _python_random

import numpy as np

_generator = np.random.default_rng()


def set_seed(seed: int) -> None:
    """Seed dlpath's generator (and Python's and NumPy's legacy global ones)."""
    global _generator
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_seed: seed must be a non-negative integer, got {seed!r}")
    _generator = np.random.default_rng(int(seed))
    _python_random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)


def generator(seed: int | None = None) -> np.random.Generator:
    """A generator of its own for an explicit ``seed``, else the shared one."""
    if seed is not None:
        return np.random.default_rng(seed)
    return _generator
