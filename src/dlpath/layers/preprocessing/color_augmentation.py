"""Colour augmentations of RGB images (NHWC): `RandomGrayscale`, `RandomHue`,
`RandomSaturation`, `RandomColorDegeneration`, `RandomInvert`, `RandomColorJitter`.

Keras 3's layers of the same names, with their arguments and defaults. Each acts only while
training and draws one random number (or decision) per image; every output is built from
engine ops, so gradients flow back to the images.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_color
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, check_rgb, from_unit, is_number, keras_factor, to_unit, value_range_pair,
)
from dlpath.layers.preprocessing.image_augmentation import RandomContrast
from dlpath.layers.preprocessing.image_random_more import RandomBrightness

EPSILON = 1e-7  # keras.config.epsilon()


def probability(value, name: str, owner: str) -> float:
    if not is_number(value) or not 0.0 <= value <= 1.0:
        raise arguments.InvalidArgumentError(
            f"{owner}: {name} must be a number in [0, 1], got {arguments.describe(value)}")
    return float(value)


class _ColorLayer(ImageAugmentation):
    """Base: ``factor`` by Keras' rule within [0, 1] (a number f means (0, f)) and
    ``value_range``."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def draw(self, rng, batch: int) -> np.ndarray:
        return rng.uniform(self.factor[0], self.factor[1], size=batch)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), value_range=list(self.value_range),
                      data_format=self.data_format)
        return config


class RandomGrayscale(ImageAugmentation):
    """Turn each image to grayscale with probability ``factor``: ``keras.layers.RandomGrayscale``.

    A converted image keeps its channels, each holding the luma
    :math:`0.2989 R + 0.5870 G + 0.1140 B` (see `image_color`); 1-channel images are
    already gray and come back unchanged.
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.factor = probability(factor, "factor", type(self).__name__)
        self.data_format = arguments.data_format(data_format, type(self).__name__)

    def transform(self, images, rng):
        if images.shape[-1] != 1:
            check_rgb(self, images)
        apply = rng.uniform(0.0, 1.0, size=images.shape[0]) < self.factor
        gray = image_color.rgb_to_grayscale(images)  # (B, H, W, 1)
        return ops.where(apply[:, None, None, None], gray.broadcast_to(images.shape), images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=self.factor, data_format=self.data_format)
        return config


class RandomHue(_ColorLayer):
    """Rotate each image's hue by a random amount: ``keras.layers.RandomHue``.

    Per image, f is drawn from ``factor`` (a number f means [0, f]) and a sign s = +-1 with
    probability 1/2 each; in HSV (pixels mapped from ``value_range`` to [0, 1])

    .. math::  H' = (H + s f / 2) \\bmod 1

    then back to RGB, clipped to [0, 1] and mapped back to ``value_range``. factor 1 shifts
    the hue by up to half a turn either way.
    """

    def transform(self, images, rng):
        check_rgb(self, images)
        batch = images.shape[0]
        sign = np.where(rng.uniform(size=batch) > 0.5, -1.0, 1.0)
        shift = image_color.per_image(sign * self.draw(rng, batch) * 0.5, images.dtype)
        hsv = image_color.rgb_to_hsv(to_unit(images, self.value_range))
        hue = hsv[..., 0:1] + shift[..., 0:1]                     # (B, H, W, 1)
        hue = hue - (hue.data > 1.0).astype(hue.dtype) + (hue.data < 0.0).astype(hue.dtype)
        rgb = image_color.hsv_to_rgb(ops.concatenate([hue, hsv[..., 1:]], axis=-1))
        return from_unit(ops.clip(rgb, 0.0, 1.0), self.value_range)


class RandomSaturation(_ColorLayer):
    """Scale each image's saturation by a random amount: ``keras.layers.RandomSaturation``.

    Per image, f is drawn from ``factor`` (a number f means [0, f]); in HSV

    .. math::  S' = \\operatorname{clip}(S \\cdot f / (1 - f + \\epsilon), 0, 1)

    so f = 0.5 keeps the image, f = 0 makes it gray and f = 1 fully saturated.
    """

    def transform(self, images, rng):
        check_rgb(self, images)
        factor = self.draw(rng, images.shape[0])
        scale = image_color.per_image(factor / (1.0 - factor + EPSILON), images.dtype)
        hsv = image_color.rgb_to_hsv(images)
        saturation = ops.clip(hsv[..., 1:2] * scale[..., 0:1], 0.0, 1.0)
        hsv = ops.concatenate([hsv[..., 0:1], saturation, hsv[..., 2:]], axis=-1)
        return image_color.hsv_to_rgb(hsv)


class RandomColorDegeneration(_ColorLayer):
    """Blend each image towards its grayscale version: ``keras.layers.RandomColorDegeneration``.

    Per image, f is drawn from ``factor`` (a number f means [0, f]) and, with Y the luma,

    .. math::  y = \\operatorname{clip}(x + f\\,(Y - x), \\text{low}, \\text{high})

    f = 0 keeps the image, f = 1 gives its grayscale version.
    """

    def transform(self, images, rng):
        check_rgb(self, images)
        factor = image_color.per_image(self.draw(rng, images.shape[0]), images.dtype)
        gray = image_color.rgb_to_grayscale(images)
        return ops.clip(image_color.blend(images, gray, factor), *self.value_range)


class RandomInvert(_ColorLayer):
    """Invert each image with a random probability: ``keras.layers.RandomInvert``.

    Per image a probability p is drawn from ``factor`` (a number f means [0, f]; the default
    1.0 inverts half of the images) and, with probability p, :math:`y = \\text{low} +
    \\text{high} - x` (``high - x`` for Keras' usual ranges that start at 0).
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(factor, value_range, data_format, seed, **kwargs)

    def transform(self, images, rng):
        batch = images.shape[0]
        chance = self.draw(rng, batch)
        apply = rng.uniform(0.0, 1.0, size=batch) < chance
        low, high = self.value_range
        return ops.where(apply[:, None, None, None], (low + high) - images, images)


class RandomColorJitter(ImageAugmentation):
    """Brightness, contrast, saturation and hue jitter in turn:
    ``keras.layers.RandomColorJitter``.

    Each factor left None skips its step; the others are those of `RandomBrightness`,
    `RandomContrast`, `RandomSaturation` and `RandomHue` (same meaning, same
    ``value_range``), applied in that order with draws from this layer's generator.
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        steps = [(RandomBrightness, brightness_factor), (RandomContrast, contrast_factor),
                 (RandomSaturation, saturation_factor), (RandomHue, hue_factor)]
        self._steps = [cls(factor, value_range=self.value_range, name=f"{self.name}_{i}")
                       for i, (cls, factor) in enumerate(steps) if factor is not None]

    def transform(self, images, rng):
        for step in self._steps:
            images = step.transform(images, rng)
        return images

    def get_config(self) -> dict:
        config = super().get_config()
        factors = [self.brightness_factor, self.contrast_factor, self.saturation_factor,
                   self.hue_factor]
        factors = [list(f) if isinstance(f, (list, tuple)) else f for f in factors]
        config.update(value_range=list(self.value_range), data_format=self.data_format,
                      brightness_factor=factors[0], contrast_factor=factors[1],
                      saturation_factor=factors[2], hue_factor=factors[3])
        return config


__all__ = ["RandomGrayscale", "RandomHue", "RandomSaturation", "RandomColorDegeneration",
           "RandomInvert", "RandomColorJitter"]
