"""Sampling images at new coordinates, as compositions of engine ops (so, differentiable).

Every sampler here gathers input pixels with `Tensor.__getitem__` and blends them with
constant weights, so the output is a *linear map* of the input and the gradient flows back
through the same gathers (scatter-added). Coordinates are constants: no gradient flows to
them. Images are NHWC.

Resizing uses Keras / TensorFlow's half-pixel centres (``half_pixel_centers=True``, the
rule of ``torch.nn.functional.interpolate(align_corners=False)``): output pixel ``o`` of an
axis resized from ``n`` to ``m`` samples the input at

.. math::  s(o) = (o + 1/2)\\, n / m - 1/2,

bilinear: :math:`y = (1 - f)\\, x_{\\lfloor s \\rfloor} + f\\, x_{\\lfloor s \\rfloor + 1}`
with :math:`f = s - \\lfloor s \\rfloor` and indices clamped to ``[0, n - 1]``;
nearest: :math:`y = x_{\\min(\\lfloor (o + 1/2)\\, n / m \\rfloor, n - 1)}`.

Affine transforms follow Keras' 8-number convention: output pixel ``(x, y)`` (column, row;
pixel centres on integers) samples the input at

.. math::  x' = (a_0 x + a_1 y + a_2) / k, \\quad y' = (a_3 x + a_4 y + a_5) / k,
           \\quad k = a_6 x + a_7 y + 1,

with bilinear or nearest interpolation. Neighbour indices outside the image are mapped by
the fill mode, index by index, as ``scipy.ndimage.map_coordinates`` (and Keras' JAX and
NumPy backends) do: ``reflect`` (d c b a | a b c d | d c b a), ``wrap``
(a b c d | a b c d | a b c d), ``nearest`` (a a a a | a b c d | d d d d), ``constant``
(k k k k | a b c d | k k k k, with k = ``fill_value``, blended into the interpolation).
"""

from __future__ import annotations

import numpy as np

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")


def _along(axis: int, ndim: int, index) -> tuple:
    full = [slice(None)] * ndim
    full[axis] = index
    return tuple(full)


def resize_axis(images, axis: int, size: int, interpolation: str):
    """Resize ``images`` along ``axis`` (1: height, 2: width) to ``size`` samples."""
    n = images.shape[axis]
    if n == size:
        return images
    positions = np.arange(size, dtype=np.float64)
    if interpolation == "nearest":
        index = np.minimum(np.floor((positions + 0.5) * (n / size)), n - 1).astype(np.int64)
        return images[_along(axis, images.ndim, index)]
    source = (positions + 0.5) * (n / size) - 0.5
    floor = np.floor(source)
    low = np.clip(floor, 0, n - 1).astype(np.int64)
    high = np.clip(floor + 1, 0, n - 1).astype(np.int64)
    shape = [1] * images.ndim
    shape[axis] = size
    weight = (source - floor).reshape(shape).astype(images.dtype)
    ndim = images.ndim
    return images[_along(axis, ndim, low)] * (1 - weight) + images[
        _along(axis, ndim, high)] * weight


def resize(images, height: int, width: int, interpolation: str = "bilinear"):
    """``images`` (B, H, W, C) resized to (B, height, width, C); separable, rows first."""
    return resize_axis(resize_axis(images, 1, height, interpolation), 2, width, interpolation)


def _fix_index(index: np.ndarray, n: int, fill_mode: str):
    """(index mapped into [0, n), whether it lies inside the image) for ``fill_mode``."""
    inside = (index >= 0) & (index < n)
    if fill_mode == "reflect":
        period = np.mod(index, 2 * n)
        index = np.where(period >= n, 2 * n - 1 - period, period)
        return index, np.ones_like(inside)
    if fill_mode == "wrap":
        return np.mod(index, n), np.ones_like(inside)
    index = np.clip(index, 0, n - 1)
    if fill_mode == "nearest":
        return index, np.ones_like(inside)
    return index, inside


def source_coordinates(transforms: np.ndarray, height: int, width: int):
    """(rows, columns) sampled for each output pixel: two (B, height, width) arrays."""
    rows, columns = np.meshgrid(np.arange(height, dtype=np.float64),
                                np.arange(width, dtype=np.float64), indexing="ij")
    a = [transforms[:, i, None, None] for i in range(8)]
    k = a[6] * columns + a[7] * rows + 1.0
    source_columns = (a[0] * columns + a[1] * rows + a[2]) / k
    source_rows = (a[3] * columns + a[4] * rows + a[5]) / k
    return source_rows, source_columns


def affine_transform(images, transforms, interpolation: str = "bilinear",
                     fill_mode: str = "reflect", fill_value: float = 0.0):
    """Sample ``images`` (B, H, W, C) through one 8-number transform per image (B, 8)."""
    batch, height, width, _ = images.shape
    transforms = np.asarray(transforms, dtype=np.float64).reshape(batch, 8)
    rows, columns = source_coordinates(transforms, height, width)  # (B, H, W) each
    if interpolation == "nearest":
        corners = [(np.floor(rows + 0.5), np.floor(columns + 0.5), np.ones_like(rows))]
    else:
        top, left = np.floor(rows), np.floor(columns)
        dy, dx = rows - top, columns - left
        corners = [(top, left, (1 - dy) * (1 - dx)), (top, left + 1, (1 - dy) * dx),
                   (top + 1, left, dy * (1 - dx)), (top + 1, left + 1, dy * dx)]
    image_index = np.broadcast_to(np.arange(batch)[:, None, None], rows.shape)
    output, fill_weight = None, np.zeros_like(rows)
    for row, column, weight in corners:
        row, row_inside = _fix_index(row.astype(np.int64), height, fill_mode)
        column, column_inside = _fix_index(column.astype(np.int64), width, fill_mode)
        inside = row_inside & column_inside
        fill_weight += np.where(inside, 0.0, weight)
        weight = np.where(inside, weight, 0.0)[..., None].astype(images.dtype)  # (B, H, W, 1)
        term = images[image_index, row, column] * weight                       # (B, H, W, C)
        output = term if output is None else output + term
    if fill_mode == "constant" and fill_value != 0:
        output = output + (fill_weight[..., None] * fill_value).astype(images.dtype)
    return output


def rotation_transforms(angles: np.ndarray, height: int, width: int) -> np.ndarray:
    """(B, 8) transforms rotating by ``angles`` (radians; positive: counter-clockwise)
    about the image centre."""
    cos, sin = np.cos(angles), np.sin(angles)
    x_offset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0
    y_offset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0
    zeros = np.zeros_like(angles)
    return np.stack([cos, -sin, x_offset, sin, cos, y_offset, zeros, zeros], axis=1)


def translation_transforms(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """(B, 8) transforms shifting the content down by ``rows`` and right by ``columns``."""
    ones, zeros = np.ones_like(rows), np.zeros_like(rows)
    return np.stack([ones, zeros, -columns, zeros, ones, -rows, zeros, zeros], axis=1)


def zoom_transforms(height_zoom: np.ndarray, width_zoom: np.ndarray, height: int,
                    width: int) -> np.ndarray:
    """(B, 8) transforms sampling ``zoom`` times the extent about the centre (zoom > 1:
    zoomed out)."""
    x_offset = (width - 1) / 2.0 * (1.0 - width_zoom)
    y_offset = (height - 1) / 2.0 * (1.0 - height_zoom)
    zeros = np.zeros_like(height_zoom)
    return np.stack([width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros],
                    axis=1)
