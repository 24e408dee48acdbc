"""Pixel-preserving augmentations: `RandomFlip`, `RandomCrop`, `RandomContrast` (NHWC).

Each acts only while training (see `RandomLayer`) and is built from engine ops, so the
gradient flows back to the input.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing.image_resizing import check_image_rank, resize_images
from dlpath.layers.preprocessing.random_layer import RandomLayer, factor_range

HORIZONTAL, VERTICAL = "horizontal", "vertical"
FLIP_MODES = (HORIZONTAL, VERTICAL, "horizontal_and_vertical")


class RandomFlip(RandomLayer):
    """Flip each image with probability 1/2: ``keras.layers.RandomFlip``.

    ``mode`` is ``"horizontal"`` (left-right, the width axis), ``"vertical"`` (up-down, the
    height axis) or ``"horizontal_and_vertical"`` (each axis drawn independently). Each
    image of the batch draws its own flips.
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.mode = arguments.choice(mode, "mode", type(self).__name__, FLIP_MODES)
        self.data_format = arguments.data_format(data_format, type(self).__name__)

    def transform(self, images, rng):
        batch = images.shape[0]
        output = images
        for name, axis in ((HORIZONTAL, 2), (VERTICAL, 1)):
            if name in self.mode:
                flip = (rng.random(batch) < 0.5)[:, None, None, None]  # (B, 1, 1, 1)
                index = [slice(None)] * 4
                index[axis] = slice(None, None, -1)
                output = ops.where(flip, output[tuple(index)], output)
        return output

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(mode=self.mode, data_format=self.data_format)
        return config


class RandomCrop(RandomLayer):
    """Crop a random ``(height, width)`` window while training: ``keras.layers.RandomCrop``.

    As in Keras, one window position, uniform over all valid ones, is drawn per batch. At
    inference, and for images smaller than the target, the image is instead resized to the
    target size after cropping the largest centred window of the target aspect ratio.
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.height = arguments.positive_int(height, "height", owner)
        self.width = arguments.positive_int(width, "width", owner)
        self.data_format = arguments.data_format(data_format, owner)

    def build(self, input_shape) -> None:
        check_image_rank(self, input_shape)
        self.built = True

    def call(self, inputs, training=False):
        single = inputs.ndim == 3
        images = inputs.reshape((1,) + inputs.shape) if single else inputs
        _, height, width, _ = images.shape
        if training and height >= self.height and width >= self.width:
            rng = self.generator()
            top = int(rng.integers(0, height - self.height + 1))
            left = int(rng.integers(0, width - self.width + 1))
            output = images[:, top:top + self.height, left:left + self.width, :]
        else:
            output = resize_images(images, self.height, self.width, crop_to_aspect_ratio=True)
        return output[0] if single else output

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height=self.height, width=self.width, data_format=self.data_format)
        return config


class RandomContrast(RandomLayer):
    """Scale each image's contrast by a random factor: ``keras.layers.RandomContrast``.

    For each image a factor ``c`` is drawn uniformly from ``[1 - lower, 1 + upper]``
    (``factor=f`` means lower = upper = f), and with :math:`\\mu` the mean of each channel
    over the image's pixels,

    .. math::  y = \\operatorname{clip}((x - \\mu)\\, c + \\mu, \\text{low}, \\text{high})

    where ``value_range = (low, high)`` is the range of the pixel values (default
    (0, 255), as Keras).
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        if isinstance(factor, (int, float, np.integer, np.floating)) and not isinstance(
                factor, (bool, np.bool_)):
            factor = (factor, factor)
        lower, upper = factor_range(factor, "factor", owner)
        if lower < 0 or upper < 0 or lower > 1:
            raise arguments.InvalidArgumentError(
                f"{owner}: factor must be a number in [0, 1] or a pair (lower, upper) with "
                f"0 <= lower <= 1 and upper >= 0, got {factor!r}")
        self.factor = (lower, upper)
        value_range = factor_range(value_range, "value_range", owner)
        self.value_range = value_range

    def transform(self, images, rng):
        lower, upper = self.factor
        factors = rng.uniform(1.0 - lower, 1.0 + upper, size=images.shape[0])
        factors = factors[:, None, None, None].astype(images.dtype)  # (B, 1, 1, 1)
        mean = images.mean(axis=(1, 2), keepdims=True)               # (B, 1, 1, C)
        output = (images - mean) * factors + mean
        return ops.clip(output, self.value_range[0], self.value_range[1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), value_range=list(self.value_range))
        return config
