"""Intensity augmentations (NHWC): `RandomPosterization`, `Solarization`, `RandomSharpness`,
`AutoContrast`, `Equalization`.

Keras 3's layers of the same names. Pixel values are read in ``value_range`` and, where the
formula works on 8-bit levels, mapped to [0, 255] and back. `AutoContrast` applies in every
call, as in Keras; the others act only while training (Keras' `Equalization` and
`Solarization` also return their input when ``training`` is False).

`RandomPosterization` and `Equalization` are piecewise constant in the pixel values (levels,
a histogram lookup): their outputs are constants, no gradient flows (as in Keras, whose
versions cast to integers). The others are built from engine ops and are differentiable.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_color
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, keras_factor, value_range_pair,
)


def _to_levels(images, value_range):
    """Pixel values mapped from ``value_range`` to [0, 255]."""
    low, high = value_range
    return (images - low) * (255.0 / (high - low))


def _from_levels(images, value_range):
    low, high = value_range
    return images * ((high - low) / 255.0) + low


class RandomPosterization(ImageAugmentation):
    """Keep only the top b bits of each 8-bit level: ``keras.layers.RandomPosterization``.

    Per image, b is drawn uniformly from the integers ``[lower, upper)`` of ``factor`` (a
    number f means (1, f); both within [1, 8]; b = lower when lower = upper) and, with
    :math:`v = \\lfloor x_{255} \\rfloor` the level of x in [0, 255] and s = 8 - b,

    .. math::  y = \\lfloor v / 2^s \\rfloor\\, 2^s   \\quad\\text{(mapped back to value\\_range)}
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        lower, upper = keras_factor(factor, "factor", owner, bounds=(1, 8))
        if lower != int(lower) or upper != int(upper):
            raise arguments.InvalidArgumentError(
                f"{owner}: factor must be whole numbers of bits in [1, 8], got {factor!r}")
        self.factor = (int(lower), int(upper))
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        lower, upper = self.factor
        batch = images.shape[0]
        bits = (rng.integers(lower, upper, size=batch) if lower != upper
                else np.full(batch, lower))
        shift = (8 - bits).astype(np.uint8).reshape(-1, 1, 1, 1)
        levels = np.clip(_to_levels(images.data, self.value_range), 0, 255).astype(np.uint8)
        levels = (levels >> shift) << shift
        return Tensor(_from_levels(levels.astype(np.float64), self.value_range),
                      dtype=images.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), value_range=list(self.value_range),
                      data_format=self.data_format)
        return config


class Solarization(ImageAugmentation):
    """Invert the levels above a random threshold: ``keras.layers.Solarization``.

    Per image, an addition a and a threshold t are drawn uniformly from
    ``255 * addition_factor`` and ``255 * threshold_factor`` (each a number f meaning
    (0, f), or a pair, within [0, 1]); with x in [0, 255]

    .. math::  r = \\operatorname{clip}(x + a, 0, 255), \\qquad
               y = \\begin{cases} r & r < t \\\\ 255 - r & r \\ge t \\end{cases}

    mapped back to ``value_range``. The defaults (0, 0) invert every image while training.
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.addition_factor = keras_factor(addition_factor, "addition_factor", owner)
        self.threshold_factor = keras_factor(threshold_factor, "threshold_factor", owner)
        self.value_range = value_range_pair(value_range, owner)

    def transform(self, images, rng):
        batch = images.shape[0]
        additions = rng.uniform(*self.addition_factor, size=batch) * 255.0
        thresholds = rng.uniform(*self.threshold_factor, size=batch) * 255.0
        levels = _to_levels(images, self.value_range)
        shifted = ops.clip(levels + image_color.per_image(additions, images.dtype), 0.0, 255.0)
        below = shifted.data < thresholds.reshape(-1, 1, 1, 1)
        return _from_levels(ops.where(below, shifted, 255.0 - shifted), self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(addition_factor=list(self.addition_factor),
                      threshold_factor=list(self.threshold_factor),
                      value_range=list(self.value_range))
        return config


SMOOTH = np.array([[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]]) / 13.0


class RandomSharpness(ImageAugmentation):
    """Sharpen or blur each image by a random amount: ``keras.layers.RandomSharpness``.

    Per image, f is drawn from ``factor`` (a number f means (0, f), within [0, 1]) and, with
    :math:`\\bar x` the image smoothed by the 3x3 kernel (1 1 1; 1 5 1; 1 1 1) / 13 (zero
    padding, per channel),

    .. math::  y = \\operatorname{clip}(x + (1 - 2f)(\\bar x - x), \\text{low}, \\text{high})

    f = 0.5 keeps the image, f = 0 gives the smoothed one, f = 1 sharpens.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        sharpness = 2.0 * rng.uniform(*self.factor, size=images.shape[0])
        _, height, width, _ = images.shape
        padded = ops.pad(images, ((0, 0), (1, 1), (1, 1), (0, 0)))  # (B, H + 2, W + 2, C)
        smoothed = None
        for i in range(3):
            for j in range(3):
                term = padded[:, i:i + height, j:j + width, :] * float(SMOOTH[i, j])
                smoothed = term if smoothed is None else smoothed + term
        weight = image_color.per_image(1.0 - sharpness, images.dtype)
        return ops.clip(image_color.blend(images, smoothed, weight), *self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), value_range=list(self.value_range),
                      data_format=self.data_format)
        return config


class AutoContrast(ImageAugmentation):
    """Stretch each image's channels to the full range: ``keras.layers.AutoContrast``.

    Deterministic, and applied in every call (training or not), as in Keras. For each
    image and channel, with m and M its smallest and largest value,

    .. math::  y = \\text{low} + (x - m)\\, \\frac{\\text{high} - \\text{low}}{M - m}

    clipped to ``value_range``; a constant channel (M = m) is returned unchanged.
    """

    applies_at_inference = True

    def __init__(self, value_range=(0, 255), **kwargs):
        kwargs.pop("seed", None)
        super().__init__(**kwargs)
        self.value_range = value_range_pair(value_range, type(self).__name__)

    def transform(self, images, rng):
        low, high = self.value_range
        smallest = images.min(axis=(1, 2), keepdims=True)  # (B, 1, 1, C)
        spread = images.max(axis=(1, 2), keepdims=True) - smallest
        flat = spread.data <= 0
        scale = (high - low) / ops.where(flat, 1.0, spread)
        stretched = ops.clip((images - smallest) * scale + low, low, high)
        return ops.where(np.broadcast_to(flat, images.shape), images, stretched)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed", None)
        config["value_range"] = list(self.value_range)
        return config


def equalize_channel(levels: np.ndarray, bins: int) -> np.ndarray:
    """Histogram-equalize one channel of 8-bit levels (any shape, values in [0, 255])."""
    index = np.clip((levels * ((bins - 1) / 255.0)).astype(np.int64), 0, bins - 1)
    histogram = np.bincount(index.ravel(), minlength=bins)
    if np.count_nonzero(histogram) <= 1:
        return levels
    cdf = np.cumsum(histogram)
    cdf_min = cdf[np.nonzero(cdf)[0][0]]
    denominator = max(cdf[-1] - cdf_min, 1)
    table = np.clip(np.round((cdf - cdf_min) * 255.0 / denominator), 0, 255)
    return table[index]


class Equalization(ImageAugmentation):
    """Histogram equalization of each image and channel: ``keras.layers.Equalization``.

    Levels x in [0, 255] (mapped from ``value_range``) fall into ``bins`` bins
    :math:`k(x) = \\lfloor x (\\text{bins} - 1) / 255 \\rfloor`; with ``cdf`` the cumulative
    histogram and :math:`c_0` its first non-zero value,

    .. math::  y = \\operatorname{round}\\big(255\\, (\\text{cdf}[k(x)] - c_0)
               / (\\text{cdf}[-1] - c_0)\\big)

    mapped back to ``value_range``; a channel with a single occupied bin is unchanged. Acts
    while training (at inference it returns its input, as Keras' does); no gradient.
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        kwargs.pop("seed", None)
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.value_range = value_range_pair(value_range, owner)
        self.bins = arguments.positive_int(bins, "bins", owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        levels = _to_levels(images.data.astype(np.float64), self.value_range)
        output = np.empty_like(levels)
        for b in range(levels.shape[0]):
            for c in range(levels.shape[-1]):
                output[b, ..., c] = equalize_channel(levels[b, ..., c], self.bins)
        return Tensor(_from_levels(output, self.value_range), dtype=images.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed", None)
        config.update(value_range=list(self.value_range), bins=self.bins,
                      data_format=self.data_format)
        return config


__all__ = ["RandomPosterization", "Solarization", "RandomSharpness", "AutoContrast",
           "Equalization"]
