"""The argument checks every ``tf.image`` function shares: images are (batch, height,
width, channels) or one (height, width, channels)."""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor


def as_tensor(image, owner: str) -> Tensor:
    tensor = image if isinstance(image, Tensor) else ops.convert_to_tensor(image)
    if tensor.dtype.kind not in "fiu":
        raise TypeError(f"{owner}: images must be numbers, got dtype {tensor.dtype}")
    return tensor


def as_image(image, owner: str, ranks: tuple = (3, 4)) -> tuple:
    """(the images as a rank-4 Tensor, whether they had a batch axis)."""
    tensor = as_tensor(image, owner)
    if tensor.ndim not in ranks:
        expected = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{owner}: image must be of rank {expected} ((batch,) height, width, "
                         f"channels), got shape {tuple(tensor.shape)}")
    if tensor.ndim == 3:
        return tensor.reshape((1, *tensor.shape)), False
    return tensor, True


def restore_rank(images: Tensor, batched: bool) -> Tensor:
    return images if batched else images.reshape(tuple(images.shape[1:]))


def at_least_3d(image, owner: str) -> Tensor:
    """Images with at least 3 axes, the last 3 being (height, width, channels)."""
    tensor = as_tensor(image, owner)
    if tensor.ndim < 3:
        raise ValueError(f"{owner}: image must have at least 3 dimensions (height, width, "
                         f"channels), got shape {tuple(tensor.shape)}")
    return tensor


def positive_int(value, owner: str, argument: str, allow_zero: bool = False) -> int:
    number = int(np.asarray(value.data if isinstance(value, Tensor) else value))
    if number < 0 or (number == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{owner}: {argument} must be {bound}, got {number}")
    return number
