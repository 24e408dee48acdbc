"""dlpath's one source of randomness: initial weights, dropout masks and shuffling.

``set_seed(s)`` makes everything that follows reproducible, as ``keras.utils.set_random_seed``
does. Code that needs random numbers asks `generator()` for the shared NumPy generator, or
builds its own from an explicit seed.

As ``tf.random`` it also draws tensors: `normal`, `uniform`, `truncated_normal`,
`categorical`, `shuffle` (implemented in `dlpath.ops.random`, loaded on first use).
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


_DRAWS = ("normal", "uniform", "truncated_normal", "categorical", "randint", "SeedGenerator")
_TF_DRAWS = ("stateless_uniform", "stateless_normal", "stateless_truncated_normal",
             "stateless_categorical", "stateless_binomial", "stateless_gamma",
             "stateless_poisson", "fold_in", "gamma", "poisson", "Generator",
             "get_global_generator", "set_global_generator")


def shuffle(value, seed=None):
    """tf.random.shuffle: ``value`` with its first axis in a random order."""
    from dlpath.ops.random import shuffle as shuffle_axis

    return shuffle_axis(value, 0, seed)


def __getattr__(name):
    # The tensor draws need the engine; load them on first use so this module stays light.
    if name in _DRAWS:
        from dlpath.ops import random as draws

        return getattr(draws, name)
    if name in _TF_DRAWS:  # stateless draws, Generator, fold_in, gamma, poisson
        from dlpath.tf_api import random_more

        return getattr(random_more, name)
    if name.startswith("_"):
        raise AttributeError(f"module 'dlpath.random' has no attribute {name!r}")
    from dlpath.keras.missing import attribute_error  # points to docs/compatibility.md

    raise attribute_error(__name__, name, _DRAWS + _TF_DRAWS)
