"""Augmentation policies built from the single augmentations: `RandAugment` and `AugMix`
(NHWC), Keras 3's layers of the same names.

Both hold one instance of each augmentation, configured from ``factor`` as Keras does, and
apply them with draws from the policy's own generator; they act only while training.

References: Cubuk et al., *RandAugment: Practical automated data augmentation with a reduced
search space* (2020); Hendrycks et al., *AugMix: A Simple Data Processing Method to Improve
Robustness and Uncertainty* (2020).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_sampling
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, is_number, keras_factor, value_range_pair,
)
from dlpath.layers.preprocessing.color_augmentation import RandomColorDegeneration
from dlpath.layers.preprocessing.image_affine import RandomRotation, RandomTranslation
from dlpath.layers.preprocessing.image_augmentation import RandomContrast
from dlpath.layers.preprocessing.image_random_more import RandomBrightness
from dlpath.layers.preprocessing.image_warps import RandomShear
from dlpath.layers.preprocessing.intensity_augmentation import (
    AutoContrast, Equalization, RandomPosterization, RandomSharpness, Solarization,
)

GEOMETRIC_AND_LEVELS = ("random_shear", "random_translation", "random_rotation",
                        "random_posterization", "solarization", "auto_contrast", "equalization")
COLOR = ("random_brightness", "random_color_degeneration", "random_contrast",
         "random_sharpness")


def _operations(factor: tuple, value_range: tuple, interpolation: str) -> dict:
    """{name: layer}: every augmentation a policy draws from, at strength ``factor``."""
    color = dict(value_range=value_range)
    return {
        "random_shear": RandomShear(factor, factor, interpolation=interpolation),
        "random_translation": RandomTranslation(factor, factor, interpolation=interpolation),
        "random_rotation": RandomRotation(factor, interpolation=interpolation),
        "random_posterization": RandomPosterization(max(1, int(8 * factor[1])), **color),
        "solarization": Solarization(factor, factor, **color),
        "auto_contrast": AutoContrast(**color),
        "equalization": Equalization(**color),
        "random_brightness": RandomBrightness(factor, **color),
        "random_color_degeneration": RandomColorDegeneration(factor, **color),
        "random_contrast": RandomContrast(factor, **color),
        "random_sharpness": RandomSharpness(factor, **color),
    }


class _Policy(ImageAugmentation):
    """Base: ``value_range``, ``factor`` (a number f means (0, f), within [0, 1]),
    ``interpolation`` and the table of operations."""

    keeps_geometry = False

    def __init__(self, value_range, factor, interpolation, seed, data_format, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.value_range = value_range_pair(value_range, owner)
        self.factor = keras_factor(factor, "factor", owner)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)
        self.data_format = arguments.data_format(data_format, owner)
        self._operations = _operations(self.factor, self.value_range, self.interpolation)

    def apply(self, name: str, images, rng):
        return self._operations[name].transform(images, rng)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(value_range=list(self.value_range), factor=list(self.factor),
                      interpolation=self.interpolation, data_format=self.data_format)
        return config


class RandAugment(_Policy):
    """``num_ops`` operations drawn uniformly (with replacement, one draw per batch) from
    shear, translation, rotation, brightness, colour degeneration, contrast, sharpness,
    posterization, solarization, auto-contrast and equalization, applied in turn:
    ``keras.layers.RandAugment``.

    Each operation is configured with ``factor`` as its strength (posterization keeps
    :math:`\\max(1, \\lfloor 8 f \\rfloor)` bits at most) and draws its own per-image values.
    """

    names = ("random_shear", "random_translation", "random_rotation", "random_brightness",
             "random_color_degeneration", "random_contrast", "random_sharpness",
             "random_posterization", "solarization", "auto_contrast", "equalization")

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        self.num_ops = arguments.non_negative_int(num_ops, "num_ops", type(self).__name__)

    def transform(self, images, rng):
        for index in rng.integers(0, len(self.names), size=self.num_ops):
            images = self.apply(self.names[index], images, rng)
        return images

    def get_config(self) -> dict:
        config = super().get_config()
        config["num_ops"] = self.num_ops
        return config


class AugMix(_Policy):
    """Mix the image with ``num_chains`` randomly augmented copies: ``keras.layers.AugMix``.

    Each chain applies ``chain_depth`` steps, each an operation drawn uniformly from the
    table (``all_ops`` adds brightness, colour degeneration, contrast and sharpness to
    shear, translation, rotation, posterization, solarization, auto-contrast, equalization)
    or, with the same chance as any one of them, nothing. With chain weights
    :math:`m \\sim \\operatorname{Dirichlet}(\\alpha)` and :math:`w \\sim
    \\operatorname{Beta}(\\alpha, \\alpha)` (one draw per batch),

    .. math::  y = \\operatorname{clip}\\big(w\\, x + (1 - w) \\textstyle\\sum_k m_k\\,
               \\text{chain}_k(x), \\text{low}, \\text{high}\\big)
    """

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        owner = type(self).__name__
        self.num_chains = arguments.positive_int(num_chains, "num_chains", owner)
        self.chain_depth = arguments.non_negative_int(chain_depth, "chain_depth", owner)
        if not is_number(alpha) or alpha <= 0:
            raise arguments.InvalidArgumentError(
                f"{owner}: alpha must be a positive number, got {arguments.describe(alpha)}")
        self.alpha = float(alpha)
        if not isinstance(all_ops, bool):
            raise arguments.ArgumentTypeError(
                f"{owner}: all_ops must be True or False, got {arguments.describe(all_ops)}")
        self.all_ops = all_ops
        self.names = GEOMETRIC_AND_LEVELS + (COLOR if all_ops else ())

    def transform(self, images, rng):
        mixing = rng.dirichlet(np.full(self.num_chains, self.alpha))
        weight = float(rng.beta(self.alpha, self.alpha))
        augmented = None
        for k in range(self.num_chains):
            chain = images
            for index in rng.integers(0, len(self.names) + 1, size=self.chain_depth):
                if index < len(self.names):
                    chain = self.apply(self.names[index], chain, rng)
            term = chain * float(mixing[k])
            augmented = term if augmented is None else augmented + term
        mixed = images * weight + augmented * (1.0 - weight)
        return ops.clip(mixed, *self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(num_chains=self.num_chains, chain_depth=self.chain_depth,
                      alpha=self.alpha, all_ops=self.all_ops)
        return config


__all__ = ["RandAugment", "AugMix"]
