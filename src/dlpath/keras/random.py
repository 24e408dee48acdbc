"""``keras.random``: random tensors and Keras 3's `SeedGenerator` (`dlpath.ops.random`)."""

from dlpath.ops.random import (
    SeedGenerator, categorical, dropout, normal, randint, shuffle, truncated_normal, uniform,
)

__all__ = ["SeedGenerator", "categorical", "dropout", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]
