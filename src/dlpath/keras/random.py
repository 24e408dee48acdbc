"""``keras.random``: random tensors and Keras 3's `SeedGenerator` (`dlpath.ops.random`)."""

from dlpath.ops.random import (
    SeedGenerator, categorical, dropout, normal, randint, shuffle, truncated_normal, uniform,
)


# beta, binomial, gamma live beside tf.random's draws (loaded at their first call).
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta(alpha, beta) draws of ``shape``."""
    from dlpath.tf_api.random_more import keras_beta

    return keras_beta(shape, alpha, beta, dtype, seed)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomial(counts, probabilities) draws of ``shape``, as floats."""
    from dlpath.tf_api.random_more import keras_binomial

    return keras_binomial(shape, counts, probabilities, dtype, seed)


def gamma(shape, alpha, dtype=None, seed=None):
    """Gamma(alpha, 1) draws of ``shape``."""
    from dlpath.tf_api.random_more import keras_gamma

    return keras_gamma(shape, alpha, dtype, seed)


__all__ = ["SeedGenerator", "categorical", "dropout", "normal", "randint", "shuffle",
           "truncated_normal", "uniform", "beta", "binomial", "gamma"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
