"""`RandomErasing` and `RandomGaussianBlur`: augmentations acting on pixel neighbourhoods
(NHWC), Keras 3's layers of the same names.

Both are built from engine ops (masks and kernel weights are constants), so gradients flow
back to the images that are kept or blurred.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, is_number, keras_factor, value_range_pair,
)


def _chosen(rng, factor: tuple, batch: int) -> np.ndarray:
    """Keras' per-image decision: p drawn from ``factor``, applied when U(0, 1) < p."""
    chance = rng.uniform(factor[0], factor[1], size=batch)
    return rng.uniform(0.0, 1.0, size=batch) < chance


class RandomErasing(ImageAugmentation):
    """Fill a random rectangle of each image: ``keras.layers.RandomErasing``.

    Per image, with a probability drawn from ``factor`` (a number f means (0, f); default
    1.0), a rectangle of width :math:`\\sqrt{u_w}\\, W` and height :math:`\\sqrt{u_h}\\, H`
    (:math:`u_w, u_h` uniform in ``scale``) at a uniform position is replaced by
    ``fill_value``: a number, one value per channel (3), or, for None, Gaussian noise times
    ``high``, clipped to ``value_range``.
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None,
                 value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        self.scale = keras_factor(scale, "scale", owner)
        if fill_value is not None and not is_number(fill_value) and not (
                isinstance(fill_value, (list, tuple)) and len(fill_value) == 3
                and all(map(is_number, fill_value))):
            raise arguments.ArgumentTypeError(
                f"{owner}: fill_value must be None, a number or 3 numbers (one per channel), "
                f"got {arguments.describe(fill_value)}")
        self.fill_value = (list(map(float, fill_value)) if isinstance(fill_value, (list, tuple))
                           else fill_value if fill_value is None else float(fill_value))
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def _bounds(self, rng, batch: int, length: int, ratio: np.ndarray):
        size = ratio * length
        start = rng.uniform(0.0, 1.0, size=batch) * (length - size)
        return start, start + size

    def transform(self, images, rng):
        batch, height, width, channels = images.shape
        ratios = np.sqrt(rng.uniform(*self.scale, size=(batch, 2)))
        x0, x1 = self._bounds(rng, batch, width, ratios[:, 0])
        y0, y1 = self._bounds(rng, batch, height, ratios[:, 1])
        rows = np.arange(height)[None, :, None, None]
        columns = np.arange(width)[None, None, :, None]
        inside = ((columns >= x0[:, None, None, None]) & (columns < x1[:, None, None, None])
                  & (rows >= y0[:, None, None, None]) & (rows < y1[:, None, None, None]))
        mask = inside & _chosen(rng, self.factor, batch)[:, None, None, None]  # (B, H, W, 1)
        if self.fill_value is None:
            fill = rng.standard_normal(images.shape) * self.value_range[1]
        else:
            fill = np.broadcast_to(np.asarray(self.fill_value, dtype=np.float64),
                                   images.shape)
        fill = Tensor(np.clip(fill, *self.value_range), dtype=images.dtype)
        return ops.where(np.broadcast_to(mask, images.shape), fill, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), scale=list(self.scale),
                      fill_value=self.fill_value, value_range=list(self.value_range),
                      data_format=self.data_format)
        return config


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """Normalized 1-D Gaussian weights :math:`e^{-t^2 / 2\\sigma^2}`, t centred on 0."""
    t = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    weights = np.exp(-0.5 * (t / sigma) ** 2)
    return weights / weights.sum()


def convolve_axis(images, weights: np.ndarray, axis: int):
    """'same' correlation of ``images`` with 1-D ``weights`` along ``axis``, zero padding."""
    size = len(weights)
    before = (size - 1) // 2
    pad = [(0, 0)] * images.ndim
    pad[axis] = (before, size - 1 - before)
    padded = ops.pad(images, pad)
    length = images.shape[axis]
    output = None
    for k, weight in enumerate(weights):
        index = [slice(None)] * images.ndim
        index[axis] = slice(k, k + length)
        term = padded[tuple(index)] * float(weight)
        output = term if output is None else output + term
    return output


def _odd_sizes(value, owner: str) -> tuple:
    pair = value if isinstance(value, (list, tuple)) else (value, value)
    if len(pair) != 2 or not all(arguments.is_int(v) and v > 0 and v % 2 == 1 for v in pair):
        raise arguments.InvalidArgumentError(
            f"{owner}: kernel_size must be an odd positive int or a pair of them, got "
            f"{arguments.describe(value)}")
    return (int(pair[0]), int(pair[1]))


class RandomGaussianBlur(ImageAugmentation):
    """Blur images with a random Gaussian: ``keras.layers.RandomGaussianBlur``.

    Each image is blurred with a probability drawn from ``factor`` (a number f means (0, f);
    default 1.0). One pair of standard deviations :math:`(\\sigma_x, \\sigma_y)` is drawn from
    ``sigma`` (a number s means (0, s)) per batch, plus 1e-6; the kernel is the outer
    product of 1-D Gaussians of ``kernel_size = (k_x, k_y)`` taps (odd; a number means both),
    applied with zero padding ('same'), and the result is clipped to ``value_range``.
    """

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        self.kernel_size = _odd_sizes(kernel_size, owner)
        self.sigma = keras_factor(sigma, "sigma", owner, bounds=(0.0, float("inf")))
        self.value_range = value_range_pair(value_range, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        apply = _chosen(rng, self.factor, images.shape[0])
        sigma_x, sigma_y = rng.uniform(*self.sigma, size=2) + 1e-6
        blurred = convolve_axis(images, gaussian_kernel(self.kernel_size[0], sigma_x), 2)
        blurred = convolve_axis(blurred, gaussian_kernel(self.kernel_size[1], sigma_y), 1)
        output = ops.where(apply[:, None, None, None], blurred, images)
        return ops.clip(output, *self.value_range)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), kernel_size=list(self.kernel_size),
                      sigma=list(self.sigma), value_range=list(self.value_range),
                      data_format=self.data_format)
        return config


__all__ = ["RandomErasing", "RandomGaussianBlur"]
