"""``tf.image`` crops, pads, flips, rotations and patches: selections of pixels (slices,
gathers, zero padding), so they are differentiable, each pixel's gradient going back to
where it came from."""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath import random as dlrandom
from dlpath.tf_api.image_checks import as_image, as_tensor, positive_int, restore_rank


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``image[offset_height:offset_height + target_height, offset_width:...]``."""
    owner = "crop_to_bounding_box"
    images, batched = as_image(image, owner)
    top = positive_int(offset_height, owner, "offset_height", allow_zero=True)
    left = positive_int(offset_width, owner, "offset_width", allow_zero=True)
    height = positive_int(target_height, owner, "target_height")
    width = positive_int(target_width, owner, "target_width")
    _, in_height, in_width, _ = images.shape
    if in_height < top + height:
        raise ValueError(f"{owner}: height must be >= target + offset: image height "
                         f"{in_height} < {height} + {top}")
    if in_width < left + width:
        raise ValueError(f"{owner}: width must be >= target + offset: image width {in_width} "
                         f"< {width} + {left}")
    return restore_rank(images[:, top:top + height, left:left + width, :], batched)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zeros around ``image``: ``offset_height`` rows above, ``offset_width`` columns to
    the left, and the rest below and to the right up to the target size."""
    owner = "pad_to_bounding_box"
    images, batched = as_image(image, owner)
    top = positive_int(offset_height, owner, "offset_height", allow_zero=True)
    left = positive_int(offset_width, owner, "offset_width", allow_zero=True)
    height = positive_int(target_height, owner, "target_height", allow_zero=True)
    width = positive_int(target_width, owner, "target_width", allow_zero=True)
    _, in_height, in_width, _ = images.shape
    bottom, right = height - top - in_height, width - left - in_width
    if bottom < 0:
        raise ValueError(f"{owner}: height must be <= target - offset: image height "
                         f"{in_height} > {height} - {top}")
    if right < 0:
        raise ValueError(f"{owner}: width must be <= target - offset: image width {in_width} "
                         f"> {width} - {left}")
    padded = ops.pad(images, ((0, 0), (top, bottom), (left, right), (0, 0)))
    return restore_rank(padded, batched)


def resize_with_crop_or_pad(image, target_height, target_width):
    """Centre-crop the sides longer than the target and zero-pad (centred) the shorter
    ones; offsets are ``max(-d // 2, 0)`` to crop and ``max(d // 2, 0)`` to pad with
    ``d = target - size`` (as TensorFlow)."""
    owner = "resize_with_crop_or_pad"
    images, batched = as_image(image, owner)
    target_height = positive_int(target_height, owner, "target_height")
    target_width = positive_int(target_width, owner, "target_width")
    _, height, width, _ = images.shape
    height_diff, width_diff = target_height - height, target_width - width
    cropped = crop_to_bounding_box(images, max(-height_diff // 2, 0), max(-width_diff // 2, 0),
                                   min(target_height, height), min(target_width, width))
    padded = pad_to_bounding_box(cropped, max(height_diff // 2, 0), max(width_diff // 2, 0),
                                 target_height, target_width)
    return restore_rank(padded, batched)


def central_crop(image, central_fraction: float):
    """The central ``central_fraction`` (in (0, 1]) of each side: the crop starts at
    ``int((n - n f) / 2)`` and keeps ``n - 2 start`` pixels."""
    fraction = float(central_fraction)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"central_crop: central_fraction must be within (0, 1], got "
                         f"{central_fraction}")
    images, batched = as_image(image, "central_crop")
    if fraction == 1.0:
        return restore_rank(images, batched)
    _, height, width, _ = images.shape
    top, left = int((height - height * fraction) / 2), int((width - width * fraction) / 2)
    cropped = images[:, top:height - top, left:width - left, :]
    return restore_rank(cropped, batched)


def flip_left_right(image):
    """Reverse the width axis."""
    images, batched = as_image(image, "flip_left_right")
    return restore_rank(ops.flip(images, 2), batched)


def flip_up_down(image):
    """Reverse the height axis."""
    images, batched = as_image(image, "flip_up_down")
    return restore_rank(ops.flip(images, 1), batched)


def _random_flip(image, axis: int, seed, owner: str):
    images, batched = as_image(image, owner)
    flips = dlrandom.generator(seed).uniform(size=images.shape[0]) < 0.5
    flipped = ops.flip(images, axis)
    mask = flips.reshape(-1, 1, 1, 1)
    return restore_rank(ops.where(mask, flipped, images), batched)


def random_flip_left_right(image, seed=None):
    """Each image flipped left-right with probability 1/2 (independently in a batch)."""
    return _random_flip(image, 2, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """Each image flipped upside down with probability 1/2 (independently in a batch)."""
    return _random_flip(image, 1, seed, "random_flip_up_down")


def rot90(image, k: int = 1, name=None):
    """Rotate counter-clockwise by ``k`` quarter turns (``np.rot90`` over height, width)."""
    images, batched = as_image(image, "rot90")
    k = int(np.asarray(getattr(k, "data", k))) % 4
    for _ in range(k):  # a quarter turn: transpose, then reverse the new height axis
        images = ops.flip(ops.transpose(images, (0, 2, 1, 3)), 1)
    return restore_rank(images, batched)


def transpose(image, name=None):
    """Swap the height and width axes."""
    images, batched = as_image(image, "transpose")
    return restore_rank(ops.transpose(images, (0, 2, 1, 3)), batched)


def random_crop(value, size, seed=None, name=None):
    """A window of shape ``size`` (one entry per axis of ``value``) at a uniformly random
    offset."""
    tensor = as_tensor(value, "random_crop")
    size = [int(s) for s in np.asarray(getattr(size, "data", size)).reshape(-1)]
    if len(size) != tensor.ndim:
        raise ValueError(f"random_crop: size must have one entry per axis of value (rank "
                         f"{tensor.ndim}), got {size}")
    if any(s < 0 or s > n for s, n in zip(size, tensor.shape)):
        raise ValueError(f"random_crop: need value.shape >= size, got shape "
                         f"{tuple(tensor.shape)} and size {size}")
    generator = dlrandom.generator(seed)
    offsets = [int(generator.integers(0, n - s + 1)) for s, n in zip(size, tensor.shape)]
    return tensor[tuple(slice(o, o + s) for o, s in zip(offsets, size))]


def _four(values, owner: str, argument: str) -> tuple:
    numbers = [int(v) for v in values]
    if len(numbers) != 4 or numbers[0] != 1 or numbers[3] != 1 or min(numbers) < 1:
        raise ValueError(f"{owner}: {argument} must be [1, rows, cols, 1] with positive "
                         f"rows and cols, got {list(values)}")
    return numbers[1], numbers[2]


def _patch_starts(n: int, kernel: int, stride: int, rate: int, padding: str) -> tuple:
    span = kernel + (kernel - 1) * (rate - 1)
    if padding == "VALID":
        return np.arange(0, max(n - span + 1, 0), stride), 0, 0
    out = -(-n // stride)
    total = max((out - 1) * stride + span - n, 0)
    return np.arange(out) * stride, total // 2, total - total // 2


def extract_patches(images, sizes, strides, rates, padding):
    """``tf.image.extract_patches``: (B, H, W, C) to (B, rows, cols, kr kc C), each patch
    flattened in (patch row, patch column, channel) order; ``rates`` dilate the patch,
    ``"SAME"`` zero-pads to ``ceil(n / stride)`` patches per axis."""
    owner = "extract_patches"
    tensor = as_tensor(images, owner)
    if tensor.ndim != 4:
        raise ValueError(f"{owner}: images must be of rank 4 (batch, height, width, "
                         f"channels), got shape {tuple(tensor.shape)}")
    padding = str(padding).upper()
    if padding not in ("VALID", "SAME"):
        raise ValueError(f"{owner}: padding must be 'VALID' or 'SAME', got {padding!r}")
    (kr, kc), (sr, sc), (rr, rc) = (_four(v, owner, a) for v, a in
                                    ((sizes, "sizes"), (strides, "strides"), (rates, "rates")))
    batch, height, width, depth = tensor.shape
    row_starts, top, bottom = _patch_starts(height, kr, sr, rr, padding)
    col_starts, left, right = _patch_starts(width, kc, sc, rc, padding)
    if top or bottom or left or right:
        tensor = ops.pad(tensor, ((0, 0), (top, bottom), (left, right), (0, 0)))
    rows = row_starts[:, None, None, None] + np.arange(kr)[None, None, :, None] * rr
    cols = col_starts[None, :, None, None] + np.arange(kc)[None, None, None, :] * rc
    patches = tensor[:, rows, cols, :]  # (B, out rows, out cols, kr, kc, C)
    return patches.reshape((batch, len(row_starts), len(col_starts), kr * kc * depth))


__all__ = ["central_crop", "crop_to_bounding_box", "extract_patches", "flip_left_right",
           "flip_up_down", "pad_to_bounding_box", "random_crop", "random_flip_left_right",
           "random_flip_up_down", "resize_with_crop_or_pad", "rot90", "transpose"]
