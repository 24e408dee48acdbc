"""Image files and arrays: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``.

Images are Pillow images or NumPy arrays of shape (height, width, channels), channels last
(``data_format="channels_first"`` gives (channels, height, width)). Pillow is imported when
a function needs it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

COLOR_MODES = {"grayscale": ("L", 1), "rgb": ("RGB", 3), "rgba": ("RGBA", 4)}
DATA_FORMATS = ("channels_last", "channels_first")
# Pillow's resampling filters by their Keras names.
PIL_INTERPOLATIONS = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC",
                      "hamming": "HAMMING", "box": "BOX", "lanczos": "LANCZOS"}


def _pil():
    from PIL import Image

    return Image


def _check_choice(value, name, choices, owner):
    if value not in choices:
        raise ValueError(f"{owner}: {name} must be one of {sorted(choices)}, got {value!r}")


def _data_format(data_format, owner):
    data_format = data_format or "channels_last"
    _check_choice(data_format, "data_format", DATA_FORMATS, owner)
    return data_format


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """The image file at ``path`` as a Pillow image in ``color_mode``.

    Args:
        path: the file (or a binary file object).
        color_mode: "grayscale", "rgb" or "rgba".
        target_size: None, or ``(height, width)`` to resize to.
        interpolation: Pillow's filter for the resize: "nearest", "bilinear", "bicubic",
            "hamming", "box" or "lanczos".
        keep_aspect_ratio: crop the centre of the image to the target aspect ratio first.

    Raises:
        FileNotFoundError: no such file. ValueError: not an image, or a bad argument.
    """
    _check_choice(color_mode, "color_mode", COLOR_MODES, "load_img")
    _check_choice(interpolation, "interpolation", PIL_INTERPOLATIONS, "load_img")
    image_module = _pil()
    if isinstance(path, (str, Path)) and not Path(path).is_file():
        raise FileNotFoundError(f"load_img: no such image file: {path}")
    try:
        with image_module.open(path) as opened:
            image = opened.convert(COLOR_MODES[color_mode][0])
    except image_module.UnidentifiedImageError as error:
        raise ValueError(f"load_img: {path} is not an image file Pillow can read") from error
    if target_size is not None:
        height, width = (int(v) for v in target_size)
        if keep_aspect_ratio:
            image = image.crop(_centre_box(image.height, image.width, height, width))
        if image.size != (width, height):
            resample = getattr(image_module.Resampling, PIL_INTERPOLATIONS[interpolation])
            image = image.resize((width, height), resample)
    return image


def _centre_box(height, width, target_height, target_width):
    """Pillow's (left, top, right, bottom) of the largest centred crop of the target ratio."""
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return left, top, left + crop_width, top + crop_height


def img_to_array(img, data_format=None, dtype=None):
    """A Pillow image as a float32 (or ``dtype``) array (H, W, C), or (C, H, W)."""
    data_format = _data_format(data_format, "img_to_array")
    array = np.asarray(img, dtype=dtype or "float32")
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3:
        raise ValueError(f"img_to_array: expected an image of rank 2 or 3, got an array of "
                         f"shape {array.shape}")
    return array.transpose(2, 0, 1) if data_format == "channels_first" else array


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """An array (H, W, C) with 1, 3 or 4 channels as a Pillow image.

    ``scale`` maps the array's range ``[min, max]`` onto ``[0, 255]`` first (as Keras).
    """
    data_format = _data_format(data_format, "array_to_img")
    x = np.asarray(x, dtype=dtype or "float32")
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected an image array of rank 3, got shape "
                         f"{x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    modes = {1: "L", 3: "RGB", 4: "RGBA"}
    if channels not in modes:
        raise ValueError(f"array_to_img: an image needs 1, 3 or 4 channels, got {channels} "
                         f"(shape {x.shape})")
    pixels = np.clip(np.rint(x), 0, 255).astype(np.uint8)
    if channels == 1:
        pixels = pixels[:, :, 0]
    return _pil().fromarray(pixels, modes[channels])


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Write the array ``x`` (H, W, C) to ``path`` as an image (format from the suffix)."""
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and (file_format or Path(str(path)).suffix.lower()) in (
            "jpg", "jpeg", ".jpg", ".jpeg"):
        image = image.convert("RGB")  # JPEG holds no alpha channel
    image.save(path, format=file_format, **kwargs)


def resize_array(image, height: int, width: int, interpolation: str = "bilinear"):
    """One image (H, W, C) resized to (height, width, C) with half-pixel centres.

    Output pixel ``o`` of an axis resized from ``n`` to ``m`` samples the input at
    :math:`s(o) = (o + 1/2)\\, n / m - 1/2`; bilinear blends the two neighbours
    (clamped to the image), nearest takes :math:`\\lfloor (o + 1/2) n / m \\rfloor` —
    TensorFlow's ``tf.image.resize`` rule, which Keras' image datasets use.
    """
    _check_choice(interpolation, "interpolation", ("bilinear", "nearest"), "resize")
    for axis, size in ((0, height), (1, width)):
        n = image.shape[axis]
        if n == size:
            continue
        positions = np.arange(size, dtype=np.float64)
        if interpolation == "nearest":
            index = np.minimum(np.floor((positions + 0.5) * n / size), n - 1).astype(int)
            image = np.take(image, index, axis=axis)
            continue
        source = (positions + 0.5) * n / size - 0.5
        floor = np.floor(source)
        low = np.clip(floor, 0, n - 1).astype(int)
        high = np.clip(floor + 1, 0, n - 1).astype(int)
        weight = (source - floor).astype(np.float32)
        weight = weight[:, None, None] if axis == 0 else weight[None, :, None]
        image = np.take(image, low, axis=axis) * (1 - weight) + np.take(
            image, high, axis=axis) * weight
    return image.astype(np.float32, copy=False)
