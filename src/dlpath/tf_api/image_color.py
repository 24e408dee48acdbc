r"""``tf.image`` colour and intensity functions, as compositions of engine ops (so float
images are differentiable).

Integer images go through `convert_image_dtype`: to float32 in [0, 1] (or [-1, 1]) first,
back to their dtype with saturation at the end, as TensorFlow does. float16 and float32
images are computed in float32, float64 in float64 (TensorFlow computes those in float32).

HSV is TensorFlow's hexcone model, every channel in [0, 1]: :math:`v = \max(r, g, b)`,
:math:`c = v - \min(r, g, b)`, :math:`s = c / v` (0 where v = 0), and the hue
:math:`h = (g - b) / 6c` where v = r, :math:`(b - r) / 6c + 1/3` where v = g,
:math:`(r - g) / 6c + 2/3` otherwise (0 where c = 0, plus 1 where negative). Back:
:math:`(r, g, b) = v (1 - s + s\, d)` with :math:`d_r = \mathrm{clip}(|6h - 3| - 1)`,
:math:`d_g = \mathrm{clip}(2 - |6h - 2|)`, :math:`d_b = \mathrm{clip}(2 - |6h - 4|)` and
clip to [0, 1].
"""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath import random as dlrandom
from dlpath.engine import Tensor
from dlpath.tf_api.image_checks import as_tensor, at_least_3d


def _target_dtype(dtype) -> np.dtype:
    from dlpath.ops._convert import as_dtype

    return as_dtype(getattr(dtype, "as_numpy_dtype", dtype), "convert_image_dtype")


def convert_image_dtype(image, dtype, saturate: bool = False, name=None):
    """``tf.image.convert_image_dtype``: floats are in [0, 1], integers in [0, MAX].

    int to float multiplies by 1 / MAX_in; float to int multiplies by MAX_out + 0.5 and
    truncates (values outside the range saturate, with or without ``saturate``); int to int
    divides or multiplies by the power of 2 between the two ranges; float to float casts
    (differentiable).
    """
    tensor = as_tensor(image, "convert_image_dtype")
    target, source = _target_dtype(dtype), tensor.dtype
    if target.kind == "b" or target == source:
        if target.kind == "b":
            raise TypeError("convert_image_dtype: dtype must be a float or integer type")
        return tensor
    if source.kind == "f" and target.kind == "f":
        return ops.cast(tensor, target)
    if source.kind == "f":
        info = np.iinfo(target)
        scaled = tensor.data.astype(np.float64) * (info.max + 0.5)
        return Tensor(np.clip(scaled, info.min, info.max).astype(target), dtype=target)
    in_max = int(np.iinfo(source).max)
    if target.kind == "f":
        return Tensor(tensor.data.astype(target) * target.type(1.0 / in_max), dtype=target)
    out_max = int(np.iinfo(target).max)
    data = tensor.data.astype(np.int64)
    if in_max > out_max:
        data = data // ((in_max + 1) // (out_max + 1))
    else:
        data = data * ((out_max + 1) // (in_max + 1))
    return Tensor(data.astype(target), dtype=target)


def _to_float(image, owner: str) -> tuple:
    """(the image as a float Tensor, its original dtype)."""
    tensor = at_least_3d(image, owner)
    if tensor.dtype.kind != "f":
        return convert_image_dtype(tensor, "float32"), tensor.dtype
    if tensor.dtype == np.float16:
        return ops.cast(tensor, "float32"), tensor.dtype
    return tensor, tensor.dtype


def _back(image: Tensor, dtype: np.dtype) -> Tensor:
    return convert_image_dtype(image, dtype, saturate=True)


def _channels(image: Tensor, owner: str, count: int = 3) -> list:
    if image.shape[-1] != count:
        raise ValueError(f"{owner}: the last axis must have {count} channels, got shape "
                         f"{tuple(image.shape)}")
    return [image[..., i] for i in range(count)]


def rgb_to_grayscale(images, name=None):
    """:math:`y = 0.2989 r + 0.5870 g + 0.1140 b`, with a last axis of size 1."""
    floats, dtype = _to_float(images, "rgb_to_grayscale")
    red, green, blue = _channels(floats, "rgb_to_grayscale")
    gray = red * 0.2989 + green * 0.5870 + blue * 0.1140
    return _back(ops.expand_dims(gray, -1), dtype)


def grayscale_to_rgb(images, name=None):
    """The one channel repeated three times."""
    tensor = as_tensor(images, "grayscale_to_rgb")
    if tensor.ndim < 2 or tensor.shape[-1] != 1:
        raise ValueError(f"grayscale_to_rgb: the last axis must have 1 channel, got shape "
                         f"{tuple(tensor.shape)}")
    return ops.concatenate([tensor, tensor, tensor], -1)


def _rgb_to_hsv(image: Tensor) -> tuple:
    red, green, blue = _channels(image, "rgb_to_hsv")
    value = ops.maximum(ops.maximum(red, green), blue)
    chroma = value - ops.minimum(ops.minimum(red, green), blue)
    positive_v, positive_c = value.data > 0, chroma.data > 0
    saturation = ops.where(positive_v, chroma / ops.where(positive_v, value, 1.0), 0.0)
    safe = ops.where(positive_c, chroma, 1.0) * 6.0
    hue = ops.where(value.data == red.data, (green - blue) / safe,
                    ops.where(value.data == green.data, (blue - red) / safe + 1.0 / 3.0,
                              (red - green) / safe + 2.0 / 3.0))
    hue = ops.where(positive_c, hue, 0.0)
    return ops.where(hue.data < 0, hue + 1.0, hue), saturation, value


def _hsv_to_rgb(hue: Tensor, saturation: Tensor, value: Tensor) -> Tensor:
    sixths = hue * 6.0
    parts = [ops.clip(ops.abs(sixths - 3.0) - 1.0, 0.0, 1.0),
             ops.clip(2.0 - ops.abs(sixths - 2.0), 0.0, 1.0),
             ops.clip(2.0 - ops.abs(sixths - 4.0), 0.0, 1.0)]
    return ops.stack([value * (1.0 - saturation + saturation * part) for part in parts], -1)


def rgb_to_hsv(images, name=None):
    """RGB floats in [0, 1] to HSV (hue, saturation, value), each in [0, 1]."""
    tensor = as_tensor(images, "rgb_to_hsv")
    if tensor.dtype.kind != "f":
        raise TypeError(f"rgb_to_hsv: images must be floats, got {tensor.dtype}")
    return ops.stack(list(_rgb_to_hsv(tensor)), -1)


def hsv_to_rgb(images, name=None):
    """HSV floats in [0, 1] back to RGB."""
    tensor = as_tensor(images, "hsv_to_rgb")
    if tensor.dtype.kind != "f":
        raise TypeError(f"hsv_to_rgb: images must be floats, got {tensor.dtype}")
    return _hsv_to_rgb(*_channels(tensor, "hsv_to_rgb"))


def adjust_brightness(image, delta):
    """:math:`x + \\delta` (in [0, 1] units for integer images, saturated back)."""
    floats, dtype = _to_float(image, "adjust_brightness")
    return _back(floats + float(delta), dtype)


def adjust_contrast(images, contrast_factor):
    """:math:`(x - \\mu) f + \\mu`, :math:`\\mu` the mean of each channel of each image."""
    floats, dtype = _to_float(images, "adjust_contrast")
    mean = ops.mean(floats, axis=(-3, -2), keepdims=True)
    return _back((floats - mean) * float(contrast_factor) + mean, dtype)


def adjust_gamma(image, gamma: float = 1, gain: float = 1):
    """:math:`\\mathrm{gain}\\; x^{\\gamma}` (``gamma`` >= 0)."""
    if float(gamma) < 0:
        raise ValueError(f"adjust_gamma: Gamma should be a non-negative real number, got "
                         f"{gamma}")
    floats, dtype = _to_float(image, "adjust_gamma")
    return _back(ops.pow(floats, float(gamma)) * float(gain), dtype)


def adjust_saturation(image, saturation_factor):
    """Saturation times ``saturation_factor``, clipped to [0, 1], in HSV."""
    floats, dtype = _to_float(image, "adjust_saturation")
    hue, saturation, value = _rgb_to_hsv(floats)
    saturation = ops.clip(saturation * float(saturation_factor), 0.0, 1.0)
    return _back(_hsv_to_rgb(hue, saturation, value), dtype)


def adjust_hue(image, delta):
    """Hue plus ``delta`` (in [-1, 1]), wrapped around the colour circle, in HSV."""
    if not -1.0 <= float(delta) <= 1.0:
        raise ValueError(f"adjust_hue: delta must be in the interval [-1, 1], got {delta}")
    floats, dtype = _to_float(image, "adjust_hue")
    hue, saturation, value = _rgb_to_hsv(floats)
    shifted = hue + float(delta)
    # The wrap around the circle is a constant shift: the gradient passes unchanged.
    shifted = shifted - Tensor(np.floor(shifted.data), dtype=shifted.dtype)
    return _back(_hsv_to_rgb(shifted, saturation, value), dtype)


def _uniform(seed, low: float, high: float) -> float:
    return float(dlrandom.generator(seed).uniform(low, high))


def random_brightness(image, max_delta, seed=None):
    """`adjust_brightness` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if float(max_delta) < 0:
        raise ValueError(f"random_brightness: max_delta must be non-negative, got {max_delta}")
    return adjust_brightness(image, _uniform(seed, -float(max_delta), float(max_delta)))


def _check_range(owner: str, lower, upper) -> None:
    if float(upper) <= float(lower):
        raise ValueError(f"{owner}: upper must be > lower, got lower={lower}, upper={upper}")
    if float(lower) < 0:
        raise ValueError(f"{owner}: lower must be non-negative, got {lower}")


def random_contrast(image, lower, upper, seed=None):
    """`adjust_contrast` by a factor drawn uniformly from [lower, upper)."""
    _check_range("random_contrast", lower, upper)
    return adjust_contrast(image, _uniform(seed, float(lower), float(upper)))


def random_saturation(image, lower, upper, seed=None):
    """`adjust_saturation` by a factor drawn uniformly from [lower, upper)."""
    _check_range("random_saturation", lower, upper)
    return adjust_saturation(image, _uniform(seed, float(lower), float(upper)))


def random_hue(image, max_delta, seed=None):
    """`adjust_hue` by a delta drawn uniformly from [-max_delta, max_delta), max_delta in
    [0, 0.5]."""
    if float(max_delta) > 0.5:
        raise ValueError(f"random_hue: max_delta must be <= 0.5, got {max_delta}")
    if float(max_delta) < 0:
        raise ValueError(f"random_hue: max_delta must be non-negative, got {max_delta}")
    return adjust_hue(image, _uniform(seed, -float(max_delta), float(max_delta)))


def per_image_standardization(image):
    """:math:`(x - \\mu) / \\max(\\sigma, 1 / \\sqrt{N})` over each image's N values
    (height, width, channels); integers are cast (not rescaled) to float32."""
    tensor = at_least_3d(image, "per_image_standardization")
    if tensor.dtype != np.float64:
        tensor = ops.cast(tensor, "float32")
    count = int(np.prod(tensor.shape[-3:]))
    mean = ops.mean(tensor, axis=(-3, -2, -1), keepdims=True)
    std = ops.std(tensor, axis=(-3, -2, -1), keepdims=True)
    return (tensor - mean) / ops.maximum(std, 1.0 / np.sqrt(count))


__all__ = ["adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue",
           "adjust_saturation", "convert_image_dtype", "grayscale_to_rgb", "hsv_to_rgb",
           "per_image_standardization", "random_brightness", "random_contrast", "random_hue",
           "random_saturation", "rgb_to_grayscale", "rgb_to_hsv"]
