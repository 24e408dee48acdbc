r"""``tf.image.resize`` and its relatives: every method is a linear map along each axis.

An axis of ``n`` pixels resized to ``m`` is multiplied by an (m, n) weight matrix ``W``
(constants), rows first, then columns, so the result is differentiable in the image and
the gradient is :math:`W^\top g`. Pixel centres sit at half-integers (TF 2's
``half_pixel_centers``): output pixel ``o`` samples the input at
:math:`s = (o + 1/2)\, n / m` (in pixel-edge coordinates).

Without antialiasing the methods are TensorFlow's resize kernels:

* ``bilinear``: linear interpolation of the two pixels around :math:`s - 1/2`, clamped at
  the borders;
* ``nearest``: pixel :math:`\min(\lfloor s \rfloor, n - 1)`;
* ``bicubic``: Keys' cubic (:math:`a = -1/2`) on the four pixels around :math:`s - 1/2`;
  taps outside the image get weight 0 and the rest are renormalised to sum to 1;
* ``area``: each output pixel averages the input over the box
  :math:`[o\, n / m, (o + 1)\, n / m)`, every input pixel weighted by its overlap.

With ``antialias=True`` (and for ``lanczos3``, ``lanczos5``, ``gaussian``,
``mitchellcubic``) the weights are those of TensorFlow's scale-and-translate kernels:
:math:`W_{oj} \propto k((j + 1/2 - s) / \sigma)` over the pixels within the kernel's
radius times :math:`\sigma = \max(n / m, 1)` (so a downscale blurs first), normalised to
sum to 1.
"""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor
from dlpath.tf_api.image_checks import as_image, restore_rank


class ResizeMethod:
    """The names ``tf.image.resize`` takes for ``method``."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
           "mitchellcubic")


def _keys_cubic(x: np.ndarray, a: float = -0.5) -> np.ndarray:
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _mitchell(x: np.ndarray) -> np.ndarray:
    b = c = 1.0 / 3.0
    x = np.abs(x)
    near = ((12 - 9 * b - 6 * c) * x ** 3 + (-18 + 12 * b + 6 * c) * x ** 2 + (6 - 2 * b)) / 6
    far = ((-b - 6 * c) * x ** 3 + (6 * b + 30 * c) * x ** 2 + (-12 * b - 48 * c) * x
           + (8 * b + 24 * c)) / 6
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _lanczos(radius: float):
    def kernel(x: np.ndarray) -> np.ndarray:
        inside = np.abs(x) < radius
        return np.where(inside, np.sinc(x) * np.sinc(x / radius), 0.0)

    return kernel


# (kernel, radius) of the scale-and-translate kernels.
_KERNELS = {
    "bilinear": (lambda x: np.maximum(0.0, 1.0 - np.abs(x)), 1.0),
    "bicubic": (_keys_cubic, 2.0),
    "lanczos3": (_lanczos(3.0), 3.0),
    "lanczos5": (_lanczos(5.0), 5.0),
    "gaussian": (lambda x: np.where(np.abs(x) < 3.0, np.exp(-x * x / (2 * 0.25)), 0.0), 3.0),
    "mitchellcubic": (_mitchell, 2.0),
}


def _kernel_weights(n: int, m: int, method: str, antialias: bool) -> np.ndarray:
    kernel, radius = _KERNELS[method]
    scale = n / m
    width = max(scale, 1.0) if antialias else 1.0
    centres = (np.arange(m) + 0.5) * scale
    pixels = np.arange(n) + 0.5
    distance = (pixels[None, :] - centres[:, None]) / width
    weights = np.where(np.abs(distance) < radius, kernel(distance), 0.0)
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights), where=np.abs(total) > 1e-12)


def _bilinear_weights(n: int, m: int) -> np.ndarray:
    source = (np.arange(m) + 0.5) * (n / m) - 0.5
    low = np.floor(source)
    frac = source - low
    weights = np.zeros((m, n))
    rows = np.arange(m)
    np.add.at(weights, (rows, np.clip(low, 0, n - 1).astype(int)), 1.0 - frac)
    np.add.at(weights, (rows, np.clip(low + 1, 0, n - 1).astype(int)), frac)
    return weights


def _nearest_weights(n: int, m: int) -> np.ndarray:
    index = np.minimum(np.floor((np.arange(m) + 0.5) * (n / m)), n - 1).astype(int)
    weights = np.zeros((m, n))
    weights[np.arange(m), index] = 1.0
    return weights


def _area_weights(n: int, m: int) -> np.ndarray:
    scale = n / m
    starts = np.arange(m) * scale
    ends = starts + scale
    pixel_starts = np.arange(n)
    overlap = (np.minimum(ends[:, None], pixel_starts[None, :] + 1.0)
               - np.maximum(starts[:, None], pixel_starts[None, :]))
    return np.maximum(overlap, 0.0) / scale


def resize_weights(n: int, m: int, method: str, antialias: bool = False) -> np.ndarray:
    """The (m, n) float64 matrix that resizes an axis of ``n`` pixels to ``m``."""
    if method == "nearest":
        return _nearest_weights(n, m)
    if method == "area":
        return _area_weights(n, m)
    if method == "bilinear" and not antialias:
        return _bilinear_weights(n, m)
    if method == "bicubic" and not antialias:
        return _kernel_weights(n, m, "bicubic", False)
    return _kernel_weights(n, m, method, antialias or method not in ("bilinear", "bicubic"))


def apply_along(images: Tensor, weights: np.ndarray, axis: int) -> Tensor:
    r""":math:`y_{\dots o \dots} = \sum_j W_{oj} x_{\dots j \dots}` along ``axis``."""
    axis = axis % images.ndim
    order = [a for a in range(images.ndim) if a != axis] + [axis]
    moved = ops.transpose(images, order)
    mapped = ops.matmul(moved, Tensor(weights.T, dtype=images.dtype))
    return ops.transpose(mapped, list(np.argsort(order)))


def resize_float(images: Tensor, height: int, width: int, method: str,
                 antialias: bool = False) -> Tensor:
    """Float (B, H, W, C) images resized to (B, height, width, C), keeping their dtype."""
    _, in_height, in_width, _ = images.shape
    rows = resize_weights(in_height, height, method, antialias)
    columns = resize_weights(in_width, width, method, antialias)
    return apply_along(apply_along(images, rows, 1), columns, 2)


def _size(size) -> tuple:
    values = np.asarray(size.data if isinstance(size, Tensor) else size).reshape(-1)
    if values.shape != (2,) or not all(float(v).is_integer() for v in values):
        raise ValueError(f"resize: size must be 2 integers [new_height, new_width], got "
                         f"{size!r}")
    height, width = int(values[0]), int(values[1])
    if height <= 0 or width <= 0:
        raise ValueError(f"resize: size must be positive, got [{height}, {width}]")
    return height, width


def resize(images, size, method: str = "bilinear", preserve_aspect_ratio: bool = False,
           antialias: bool = False, name=None):
    """``tf.image.resize``: images (B, H, W, C) or (H, W, C) to ``size`` = [height, width].

    The result is float32 (float64 stays float64), except for ``nearest``, which keeps the
    dtype; integers are cast, not rescaled. With
    ``preserve_aspect_ratio`` the image is scaled by :math:`r = \\min(h'/h, w'/w)` to
    ``round(r h), round(r w)`` (so it fits in ``size``).
    """
    method = str(getattr(method, "value", method)).lower()
    if method not in METHODS:
        raise ValueError(f"resize: method must be one of {METHODS}, got {method!r}")
    images, batched = as_image(images, "resize")
    height, width = _size(size)
    _, in_height, in_width, _ = images.shape
    if preserve_aspect_ratio:
        ratio = min(height / in_height, width / in_width)
        height = max(int(np.round(ratio * in_height)), 1)
        width = max(int(np.round(ratio * in_width)), 1)
    if method == "nearest":
        index_h = np.argmax(_nearest_weights(in_height, height), axis=1)
        index_w = np.argmax(_nearest_weights(in_width, width), axis=1)
        result = images[:, index_h][:, :, index_w]
    else:
        floats = images if images.dtype.name in ("float32", "float64") else ops.cast(
            images, "float32")
        result = resize_float(floats, height, width, method, antialias)
    return restore_rank(result, batched)


def _resize_or_keep(images: Tensor, height: int, width: int, method: str, antialias: bool):
    return resize(images, [height, width], method, antialias=antialias)


def resize_with_pad(image, target_height: int, target_width: int, method: str = "bilinear",
                    antialias: bool = False):
    """``tf.image.resize_with_pad``: scale to fit inside the target keeping the aspect ratio
    (:math:`r = \\max(w / w', h / h')`, sides ``floor(h / r)``, ``floor(w / r)``), then pad
    with zeros, centred, to (target_height, target_width)."""
    from dlpath.tf_api.image_crops import pad_to_bounding_box

    image, batched = as_image(image, "resize_with_pad")
    _, height, width, _ = image.shape
    if target_height <= 0 or target_width <= 0:
        raise ValueError(f"resize_with_pad: target_height and target_width must be > 0, got "
                         f"{target_height}, {target_width}")
    ratio = max(width / target_width, height / target_height)
    new_height, new_width = int(np.floor(height / ratio)), int(np.floor(width / ratio))
    pad_top = max(0, int(np.floor((target_height - height / ratio) / 2)))
    pad_left = max(0, int(np.floor((target_width - width / ratio) / 2)))
    resized = _resize_or_keep(image, new_height, new_width, method, antialias)
    padded = pad_to_bounding_box(resized, pad_top, pad_left, target_height, target_width)
    return restore_rank(padded, batched)


__all__ = ["ResizeMethod", "resize", "resize_with_pad"]
