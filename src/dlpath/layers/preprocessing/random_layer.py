"""`RandomLayer`: the base of the augmentation layers, which act only while training.

At inference (``training`` False or None) a random layer returns its input unchanged, as in
Keras. While training it draws its random numbers from:

- its own generator, made once from ``seed``, when a seed is given: the layer then
  repeats the same sequence of draws in every process;
- otherwise dlpath's shared generator (`dlpath.random.generator`), so that
  ``dlpath.random.set_seed(s)`` makes every later draw reproducible.
"""

from __future__ import annotations

import numpy as np

from dlpath import random as dlpath_random
from dlpath.layers import arguments
from dlpath.layers.layer import Layer


def factor_range(value, name: str, owner: str, symmetric_only_positive=True) -> tuple:
    """``factor`` as ``(lower, upper)``: a number f means ``(-f, f)``, a pair is kept.

    Raises an error naming the layer and the argument for anything else, for a
    negative single number, and for a pair whose lower bound exceeds its upper bound.
    """
    accepted = "a non-negative number or a (lower, upper) pair of numbers"
    number = (int, float, np.integer, np.floating)
    if isinstance(value, number) and not isinstance(value, (bool, np.bool_)):
        if symmetric_only_positive and value < 0:
            raise arguments.InvalidArgumentError(
                f"{owner}: {name} must be {accepted}, got {arguments.describe(value)}")
        return (-float(value), float(value))
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, number) and not isinstance(v, (bool, np.bool_)) for v in value):
        lower, upper = float(value[0]), float(value[1])
        if lower > upper:
            raise arguments.InvalidArgumentError(
                f"{owner}: {name} must have lower <= upper, got {tuple(value)}")
        return (lower, upper)
    raise arguments.ArgumentTypeError(
        f"{owner}: {name} must be {accepted}, got {arguments.describe(value)}")


def optional_seed(seed, owner: str):
    """None or a non-negative int."""
    if seed is None:
        return None
    return arguments.non_negative_int(seed, "seed", owner)


class RandomLayer(Layer):
    """Base class: holds ``seed`` and hands out the generator to draw from.

    Subclasses implement ``transform(images, rng)``; ``call`` applies it only while
    training, to a batch (rank 4, NHWC) or to one image (rank 3).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = optional_seed(seed, type(self).__name__)
        self._own_generator = None if self.seed is None else np.random.default_rng(self.seed)

    def generator(self) -> np.random.Generator:
        """The layer's own generator (seeded), else dlpath's shared one (read each time)."""
        if self._own_generator is not None:
            return self._own_generator
        return dlpath_random.generator()

    def _expected_shape_hint(self) -> str:
        return " (expected images (batch, height, width, channels) or one image)"

    def build(self, input_shape) -> None:
        if len(input_shape) not in (3, 4):
            raise arguments.InvalidArgumentError(
                f"Layer '{self.name}' ({type(self).__name__}): expected images of rank 4 "
                f"(batch, height, width, channels) or rank 3 (one image), got an input of "
                f"shape {tuple(input_shape)}")
        self.built = True

    def call(self, inputs, training=False):
        if not training:
            return inputs
        if inputs.ndim == 3:
            return self.transform(inputs.reshape((1,) + inputs.shape), self.generator())[0]
        return self.transform(inputs, self.generator())

    def transform(self, images, rng):  # pragma: no cover - always overridden
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["seed"] = self.seed
        return config
