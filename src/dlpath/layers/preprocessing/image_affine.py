"""Geometric augmentations through affine sampling: `RandomRotation`, `RandomTranslation`,
`RandomZoom` (NHWC).

Each image of a batch draws its own transform while training; the output is sampled with
`image_sampling.affine_transform` (bilinear or nearest, fill modes reflect / wrap /
constant / nearest), a linear map of the input, so the gradient flows back to it.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_sampling
from dlpath.layers.preprocessing.random_layer import RandomLayer, factor_range


class AffineLayer(RandomLayer):
    """Base: the fill and interpolation arguments, and sampling one transform per image."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.fill_mode = arguments.choice(fill_mode, "fill_mode", owner,
                                          image_sampling.FILL_MODES)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)
        if isinstance(fill_value, (bool, np.bool_)) or not isinstance(
                fill_value, (int, float, np.integer, np.floating)):
            raise arguments.ArgumentTypeError(
                f"{owner}: fill_value must be a number, got {arguments.describe(fill_value)}")
        self.fill_value = float(fill_value)
        self.data_format = arguments.data_format(data_format, owner)

    def transforms(self, batch: int, height: int, width: int, rng) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover - always overridden

    def transform(self, images, rng):
        batch, height, width, _ = images.shape
        matrices = self.transforms(batch, height, width, rng)
        return image_sampling.affine_transform(images, matrices, self.interpolation,
                                               self.fill_mode, self.fill_value)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(fill_mode=self.fill_mode, interpolation=self.interpolation,
                      fill_value=self.fill_value, data_format=self.data_format)
        return config


class RandomRotation(AffineLayer):
    """Rotate each image by a random angle: ``keras.layers.RandomRotation``.

    ``factor`` is a fraction of a full turn: ``factor=0.1`` draws the angle uniformly from
    :math:`[-0.1 \\cdot 2\\pi, 0.1 \\cdot 2\\pi]`; ``factor=(-0.2, 0.3)`` from
    :math:`[-0.2 \\cdot 2\\pi, 0.3 \\cdot 2\\pi]`. Positive angles rotate counter-clockwise,
    about the image centre.
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor_range(factor, "factor", type(self).__name__)

    def transforms(self, batch, height, width, rng):
        lower, upper = self.factor
        angles = rng.uniform(lower, upper, size=batch) * 2.0 * math.pi
        return image_sampling.rotation_transforms(angles, height, width)

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = list(self.factor)
        return config


def _bounded_range(value, name: str, owner: str, low: float, high: float | None) -> tuple:
    lower, upper = factor_range(value, name, owner)
    if lower < low or (high is not None and upper > high):
        bounds = f"[{low}, {high}]" if high is not None else f">= {low}"
        raise arguments.InvalidArgumentError(
            f"{owner}: {name} must lie in {bounds}, got {value!r}")
    return (lower, upper)


class RandomTranslation(AffineLayer):
    """Shift each image by a random offset: ``keras.layers.RandomTranslation``.

    ``height_factor`` / ``width_factor`` are fractions of the height / width, a number f
    meaning [-f, f] or a (lower, upper) pair, each in [-1, 1]. Positive values shift the
    content down / right; the uncovered border is filled by ``fill_mode``.
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        owner = type(self).__name__
        self.height_factor = _bounded_range(height_factor, "height_factor", owner, -1.0, 1.0)
        self.width_factor = _bounded_range(width_factor, "width_factor", owner, -1.0, 1.0)

    def transforms(self, batch, height, width, rng):
        rows = rng.uniform(*self.height_factor, size=batch) * height
        columns = rng.uniform(*self.width_factor, size=batch) * width
        return image_sampling.translation_transforms(rows, columns)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height_factor=list(self.height_factor),
                      width_factor=list(self.width_factor))
        return config


class RandomZoom(AffineLayer):
    """Zoom each image in or out by a random amount: ``keras.layers.RandomZoom``.

    The zoom is ``1 + u`` with ``u`` uniform in ``height_factor`` (a number f meaning
    [-f, f], or a (lower, upper) pair, lower >= -1): a positive ``u`` zooms out (the image
    shows ``1 + u`` times its extent), a negative one zooms in. ``width_factor`` does the
    same for the width; None (the default) keeps the aspect ratio (the width uses the
    height's zoom).
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        owner = type(self).__name__
        self.height_factor = _bounded_range(height_factor, "height_factor", owner, -1.0, None)
        self.width_factor = None if width_factor is None else _bounded_range(
            width_factor, "width_factor", owner, -1.0, None)

    def transforms(self, batch, height, width, rng):
        height_zoom = 1.0 + rng.uniform(*self.height_factor, size=batch)
        if self.width_factor is None:
            width_zoom = height_zoom
        else:
            width_zoom = 1.0 + rng.uniform(*self.width_factor, size=batch)
        return image_sampling.zoom_transforms(height_zoom, width_zoom, height, width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height_factor=list(self.height_factor),
                      width_factor=None if self.width_factor is None
                      else list(self.width_factor))
        return config
