"""``keras.random``: random tensors and Keras 3's `SeedGenerator` (`dlpath.ops.random`)."""

from dlpath.ops.random import (
    SeedGenerator, categorical, dropout, normal, randint, shuffle, truncated_normal, uniform,
)

from dlpath.tf_api.random_more import keras_beta as beta
from dlpath.tf_api.random_more import keras_binomial as binomial
from dlpath.tf_api.random_more import keras_gamma as gamma

__all__ = ["SeedGenerator", "categorical", "dropout", "normal", "randint", "shuffle",
           "truncated_normal", "uniform", "beta", "binomial", "gamma"]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
