"""Warping augmentations: `RandomShear` (affine) and `RandomPerspective` (projective), NHWC.

Both sample the input through `image_sampling.affine_transform` with Keras' 8-number
transforms (output pixel (x, y) reads the input at the mapped point), a linear map of the
input, so gradients flow back to the images.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_sampling
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, is_number, keras_factor,
)


def _fill_value(value, owner: str) -> float:
    if not is_number(value):
        raise arguments.ArgumentTypeError(
            f"{owner}: fill_value must be a number, got {arguments.describe(value)}")
    return float(value)


def _symmetric_factor(value, name: str, owner: str) -> tuple:
    """Keras' shear rule: a number f in [0, 1] means (-f, f); a pair lies within [-1, 1]
    (Keras asks [0, 1]; the wider range also reads back the (-f, f) of a saved config)."""
    if is_number(value):
        lower, upper = keras_factor(value, name, owner)
        return (-upper, upper)
    return keras_factor(value, name, owner, bounds=(-1.0, 1.0))


class RandomShear(ImageAugmentation):
    """Shear each image by random amounts: ``keras.layers.RandomShear``.

    Per image, :math:`s_x` and :math:`s_y` are drawn from ``x_factor`` and ``y_factor`` (a
    number f means (-f, f); pairs within [-1, 1]) and share one random sign; output pixel
    (x, y) samples the input at

    .. math::  (x + s_x\\, y,\\; s_y\\, x + y)

    (about the top-left corner, as Keras), filled by ``fill_mode``.
    """

    keeps_geometry = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.x_factor = _symmetric_factor(x_factor, "x_factor", owner)
        self.y_factor = _symmetric_factor(y_factor, "y_factor", owner)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)
        self.fill_mode = arguments.choice(fill_mode, "fill_mode", owner,
                                          image_sampling.FILL_MODES)
        self.fill_value = _fill_value(fill_value, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        batch = images.shape[0]
        sign = np.where(rng.uniform(size=batch) > 0.5, -1.0, 1.0)
        shear_y = rng.uniform(*self.y_factor, size=batch) * sign
        shear_x = rng.uniform(*self.x_factor, size=batch) * sign
        ones, zeros = np.ones(batch), np.zeros(batch)
        matrices = np.stack([ones, shear_x, zeros, shear_y, ones, zeros, zeros, zeros], axis=1)
        return image_sampling.affine_transform(images, matrices, self.interpolation,
                                               self.fill_mode, self.fill_value)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(x_factor=list(self.x_factor), y_factor=list(self.y_factor),
                      interpolation=self.interpolation, fill_mode=self.fill_mode,
                      fill_value=self.fill_value, data_format=self.data_format)
        return config


def homography(sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(B, 8) transforms mapping each of the 4 ``targets`` (B, 4, 2) points (x, y) onto the
    matching ``sources`` point: the 8 unknowns of

    .. math::  x_s = (a_0 x + a_1 y + a_2) / k, \\; y_s = (a_3 x + a_4 y + a_5) / k,
               \\; k = a_6 x + a_7 y + 1

    solved from the 8 linear equations :math:`a_0 x + a_1 y + a_2 - a_6 x x_s - a_7 y x_s
    = x_s` (and likewise for y)."""
    x, y = targets[..., 0], targets[..., 1]            # (B, 4)
    xs, ys = sources[..., 0], sources[..., 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    rows_x = np.stack([x, y, one, zero, zero, zero, -xs * x, -xs * y], axis=-1)  # (B, 4, 8)
    rows_y = np.stack([zero, zero, zero, x, y, one, -ys * x, -ys * y], axis=-1)
    system = np.concatenate([rows_x, rows_y], axis=1)                            # (B, 8, 8)
    values = np.concatenate([xs, ys], axis=1)[..., None]                          # (B, 8, 1)
    return np.linalg.solve(system, values)[..., 0]


class RandomPerspective(ImageAugmentation):
    """Move the image corners at random: ``keras.layers.RandomPerspective``.

    Per image, with a probability drawn from ``factor`` (a number f means (0, f); default
    1.0), each corner c = (x, y) of (0, 0), (W-1, 0), (0, H-1), (W-1, H-1) moves to
    :math:`c + c \\odot u` with u uniform in [-scale/2, scale/2]^2 (so, as in Keras, the
    top-left corner stays); the image is resampled through the homography that maps the
    moved corners back onto the original ones, with ``fill_value`` outside.
    """

    keeps_geometry = False

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        if not is_number(scale) or not 0.0 <= scale <= 1.0:
            raise arguments.InvalidArgumentError(
                f"{owner}: scale must be a number in [0, 1], got {arguments.describe(scale)}")
        self.scale = float(scale)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)
        self.fill_value = _fill_value(fill_value, owner)
        self.data_format = arguments.data_format(data_format, owner)

    def transform(self, images, rng):
        batch, height, width, _ = images.shape
        chance = rng.uniform(*self.factor, size=batch)
        apply = rng.uniform(0.0, 1.0, size=batch) < chance
        shifts = rng.uniform(-0.5 * self.scale, 0.5 * self.scale, size=(batch, 4, 2))
        corners = np.array([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                            [width - 1, height - 1]])
        starts = np.broadcast_to(corners, (batch, 4, 2))
        ends = np.where(apply[:, None, None], starts + starts * shifts, starts)
        warped = image_sampling.affine_transform(images, homography(starts, ends),
                                                 self.interpolation, "constant",
                                                 self.fill_value)
        return ops.where(apply[:, None, None, None], warped, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), scale=self.scale,
                      interpolation=self.interpolation, fill_value=self.fill_value,
                      data_format=self.data_format)
        return config


__all__ = ["RandomShear", "RandomPerspective"]
