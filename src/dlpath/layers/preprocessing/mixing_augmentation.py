"""Augmentations that mix pairs of images of a batch: `MixUp` and `CutMix` (NHWC).

As in Keras 3, they take images or a dict ``{"images": ..., "labels": ...}``; with a dict
the labels (one-hot or soft, shape (batch, classes)) are mixed with the same weights as the
images. Each image i is paired with image :math:`\\pi(i)` of a random permutation of the
batch. Both act only while training; the mixing weights are constants, so gradients flow to
both images of each pair.

References: Zhang et al., *mixup: Beyond Empirical Risk Minimization* (2018); Yun et al.,
*CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features*
(2019).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_color
from dlpath.layers.preprocessing.augmentation_base import (
    ImageAugmentation, is_number, keras_factor,
)


def _mix_labels(labels, permutation, weights):
    """w l + (1 - w) l[pi] for (B, ...) labels and (B,) weights."""
    if labels is None:
        return None
    if labels.dtype.kind != "f":
        labels = ops.cast(labels, "float32")
    shape = (-1,) + (1,) * (labels.ndim - 1)
    weight = np.asarray(weights, dtype=np.float64).reshape(shape).astype(labels.dtype)
    return labels * weight + labels[permutation] * (1.0 - weight)


class MixUp(ImageAugmentation):
    """Blend each image with another one of the batch: ``keras.layers.MixUp``.

    Per image, :math:`w \\sim \\operatorname{Beta}(\\alpha, \\alpha)` and

    .. math::  x' = w\\, x + (1 - w)\\, x_{\\pi(i)}, \\qquad y' = w\\, y + (1 - w)\\, y_{\\pi(i)}
    """

    keeps_geometry = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        if not is_number(alpha) or alpha <= 0:
            raise arguments.InvalidArgumentError(
                f"{owner}: alpha must be a positive number, got {arguments.describe(alpha)}")
        self.alpha = float(alpha)
        self.data_format = arguments.data_format(data_format, owner)

    def augment(self, images, labels, rng, training):
        batch = images.shape[0]
        permutation = rng.permutation(batch)
        weights = rng.beta(self.alpha, self.alpha, size=batch)
        weight = image_color.per_image(weights, images.dtype)
        mixed = images * weight + images[permutation] * (1.0 - weight)
        return mixed, _mix_labels(labels, permutation, weights)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(alpha=self.alpha, data_format=self.data_format)
        return config


class CutMix(ImageAugmentation):
    """Paste a random rectangle of another image of the batch: ``keras.layers.CutMix``.

    One :math:`\\alpha` is drawn uniformly from ``factor`` per batch (a number f means
    (0, f); default 1.0), then per image :math:`\\lambda \\sim \\operatorname{Beta}(\\alpha,
    \\alpha)`; a box of :math:`\\sqrt{1 - \\lambda}` times the width and height, at a uniform
    position, is copied from image :math:`\\pi(i)`, and the labels mix by the box's area:

    .. math::  y' = w\\, y + (1 - w)\\, y_{\\pi(i)}, \\qquad w = 1 - \\frac{\\text{box area}}{W H}

    A single (unbatched) image is returned unchanged, as in Keras.
    """

    keeps_geometry = False

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(factor, "factor", owner)
        self.data_format = arguments.data_format(data_format, owner)

    def call(self, inputs, training=False):
        images, _ = self._unpack(inputs)
        if images.ndim == 3 and training:
            return inputs
        return super().call(inputs, training=training)

    def augment(self, images, labels, rng, training):
        batch, height, width, _ = images.shape
        alpha = rng.uniform(*self.factor) + 1e-6
        ratio = np.sqrt(1.0 - rng.beta(alpha, alpha, size=batch))
        bounds = []
        for length in (width, height):
            size = ratio * length
            start = rng.uniform(0.0, 1.0, size=batch) * (length - size)
            bounds.append((start[:, None, None, None], (start + size)[:, None, None, None]))
        (x0, x1), (y0, y1) = bounds
        rows = np.arange(height)[None, :, None, None]
        columns = np.arange(width)[None, None, :, None]
        inside = (columns >= x0) & (columns < x1) & (rows >= y0) & (rows < y1)  # (B, H, W, 1)
        permutation = rng.permutation(batch)
        mixed = ops.where(np.broadcast_to(inside, images.shape), images[permutation], images)
        weights = 1.0 - ((x1 - x0) * (y1 - y0)).reshape(batch) / (width * height)
        return mixed, _mix_labels(labels, permutation, weights)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), data_format=self.data_format)
        return config


__all__ = ["MixUp", "CutMix"]
