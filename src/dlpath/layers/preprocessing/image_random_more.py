"""`RandomBrightness`, `RandomHeight` and `RandomWidth`: augmentation layers (NHWC).

Like every `RandomLayer` they act only while training (at inference they return their
input) and draw from their own seeded generator or from dlpath's shared one. Their outputs
are compositions of engine ops (add and clip; gathers blended by constant weights), so
gradients flow back to the images.
"""

from __future__ import annotations

from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.preprocessing import image_sampling
from dlpath.layers.preprocessing.random_layer import RandomLayer, factor_range


class RandomBrightness(RandomLayer):
    """Shift each image's brightness by a random amount: ``keras.layers.RandomBrightness``.

    For each image a factor f is drawn uniformly from ``[lower, upper]`` (``factor=a``
    means (-a, a); both in [-1, 1]), and with ``value_range = (low, high)``

    .. math::  y = \\operatorname{clip}(x + f\\,(\\text{high} - \\text{low}),
               \\text{low}, \\text{high})

    the same shift for every pixel and channel of the image.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        lower, upper = factor_range(factor, "factor", "RandomBrightness")
        if not -1.0 <= lower <= upper <= 1.0:
            raise arguments.InvalidArgumentError(
                f"RandomBrightness: factor must be a number in [0, 1] or a pair (lower, upper) "
                f"within [-1, 1], got {factor!r}")
        self.factor = (lower, upper)
        self.value_range = factor_range(value_range, "value_range", "RandomBrightness",
                                        symmetric_only_positive=False)

    def transform(self, images, rng):
        low, high = self.value_range
        shifts = rng.uniform(self.factor[0], self.factor[1], size=(images.shape[0], 1, 1, 1))
        shifted = images + Tensor(shifts * (high - low), dtype=images.dtype)  # (B, H, W, C)
        return ops.clip(shifted, low, high)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), value_range=list(self.value_range))
        return config


class _RandomSize(RandomLayer):
    """Base: resize one image axis of the whole batch by a random factor in
    [1 + lower, 1 + upper]: new size = max(1, int(size (1 + f)))."""

    axis = 1  # 1: height, 2: width

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        owner = type(self).__name__
        lower, upper = factor_range(factor, "factor", owner)
        if lower < -1.0:
            raise arguments.InvalidArgumentError(
                f"{owner}: factor must have values larger than -1, got {factor!r}")
        self.factor = (lower, upper)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)

    def transform(self, images, rng):
        change = rng.uniform(1.0 + self.factor[0], 1.0 + self.factor[1])
        size = max(1, int(images.shape[self.axis] * change))
        return image_sampling.resize_axis(images, self.axis, size, self.interpolation)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[self.axis - 4] = None  # -3: height, -2: width, batched or not
        return tuple(shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(factor=list(self.factor), interpolation=self.interpolation)
        return config


class RandomHeight(_RandomSize):
    """Resize the batch's height by a random factor: ``keras.layers.RandomHeight``.

    One f is drawn uniformly from ``[lower, upper]`` per call (``factor=a`` means (-a, a),
    lower >= -1) and every image becomes ``int(H (1 + f))`` rows high (width unchanged),
    by bilinear (half-pixel centres, as ``tf.image.resize``) or nearest sampling.
    """

    axis = 1


class RandomWidth(_RandomSize):
    """Resize the batch's width by a random factor: ``keras.layers.RandomWidth``; as
    `RandomHeight`, along the columns: ``int(W (1 + f))`` columns."""

    axis = 2


__all__ = ["RandomBrightness", "RandomHeight", "RandomWidth"]
