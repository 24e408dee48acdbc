"""More of ``tf.image``: the YUV and YIQ colour spaces, the stateless random adjustments
(a function of their seed pair), JPEG quality round trips and non-max suppression."""

from __future__ import annotations

import numpy as np

from dlpath import ops
from dlpath.engine import Tensor
from dlpath.tf_api import image_color, image_crops
from dlpath.tf_api.image_checks import as_tensor
from dlpath.tf_api.random_more import _seed

# TensorFlow's matrices (row-vector convention: yuv = rgb @ M).
_RGB_TO_YUV = np.array([[0.299, -0.14714119, 0.61497538],
                        [0.587, -0.28886916, -0.51496512],
                        [0.114, 0.43601035, -0.10001026]])
_RGB_TO_YIQ = np.array([[0.299, 0.59590059, 0.2115],
                        [0.587, -0.27455667, -0.52273617],
                        [0.114, -0.32134392, 0.31119955]])


def _mix(images, matrix: np.ndarray, owner: str):
    tensor = as_tensor(images, owner)
    if tensor.dtype.kind != "f":
        raise TypeError(f"{owner}: images must be floats, got {tensor.dtype}")
    if tensor.shape[-1] != 3:
        raise ValueError(f"{owner}: the last axis must have 3 channels, got shape "
                         f"{tuple(tensor.shape)}")
    return ops.matmul(tensor, Tensor(matrix, dtype=tensor.dtype))


def rgb_to_yuv(images):
    """:math:`[y, u, v] = [r, g, b]\\, M` with TensorFlow's (BT.601) matrix."""
    return _mix(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images):
    return _mix(images, np.linalg.inv(_RGB_TO_YUV), "yuv_to_rgb")


def rgb_to_yiq(images):
    return _mix(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images):
    return _mix(images, np.linalg.inv(_RGB_TO_YIQ), "yiq_to_rgb")


def stateless_random_brightness(image, max_delta, seed):
    return image_color.random_brightness(image, max_delta, _seed(seed, "stateless_random_"
                                                                 "brightness"))


def stateless_random_contrast(image, lower, upper, seed):
    return image_color.random_contrast(image, lower, upper,
                                       _seed(seed, "stateless_random_contrast"))


def stateless_random_saturation(image, lower, upper, seed):
    return image_color.random_saturation(image, lower, upper,
                                         _seed(seed, "stateless_random_saturation"))


def stateless_random_hue(image, max_delta, seed):
    return image_color.random_hue(image, max_delta, _seed(seed, "stateless_random_hue"))


def stateless_random_flip_left_right(image, seed):
    return image_crops.random_flip_left_right(image, _seed(seed, "stateless_random_flip_"
                                                           "left_right"))


def stateless_random_flip_up_down(image, seed):
    return image_crops.random_flip_up_down(image, _seed(seed, "stateless_random_flip_up_down"))


def stateless_random_crop(value, size, seed, name=None):
    return image_crops.random_crop(value, size, _seed(seed, "stateless_random_crop"))


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """The image after a JPEG encode and decode at ``jpeg_quality`` (0..100), in its own
    dtype (floats in [0, 1]); not differentiable."""
    from dlpath.tf_api.image_codec import decode_jpeg, encode_jpeg

    tensor = as_tensor(image, "adjust_jpeg_quality")
    if tensor.ndim != 3 or tensor.shape[-1] not in (1, 3):
        raise ValueError(f"adjust_jpeg_quality: image must be (height, width, 1 or 3), got "
                         f"shape {tuple(tensor.shape)}")
    pixels = image_color.convert_image_dtype(tensor, "uint8", saturate=True)
    decoded = decode_jpeg(encode_jpeg(pixels.data, quality=int(jpeg_quality)),
                          channels=tensor.shape[-1])
    return image_color.convert_image_dtype(decoded, tensor.dtype)


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """`adjust_jpeg_quality` at a quality drawn uniformly from [min, max)."""
    low, high = int(min_jpeg_quality), int(max_jpeg_quality)
    if not 0 <= low < high <= 100:
        raise ValueError(f"random_jpeg_quality: need 0 <= min_jpeg_quality < "
                         f"max_jpeg_quality <= 100, got {low}, {high}")
    from dlpath import random as dlrandom

    return adjust_jpeg_quality(image, int(dlrandom.generator(seed).integers(low, high)))


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    return random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality,
                               _seed(seed, "stateless_random_jpeg_quality"))


def extract_jpeg_shape(contents, output_type="int32", name=None):
    """[height, width, channels] of a JPEG, read from its header."""
    from dlpath.tf_api.image_codec import _open

    picture = _open(contents, "extract_jpeg_shape", ["JPEG"])
    channels = {"L": 1, "RGB": 3, "CMYK": 4}.get(picture.mode, 3)
    dtype = np.dtype(getattr(output_type, "as_numpy_dtype", output_type))
    return Tensor(np.asarray([picture.height, picture.width, channels], dtype=dtype),
                  dtype=dtype)


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    def corners(b):
        return (np.minimum(b[..., 0], b[..., 2]), np.minimum(b[..., 1], b[..., 3]),
                np.maximum(b[..., 0], b[..., 2]), np.maximum(b[..., 1], b[..., 3]))

    y1, x1, y2, x2 = corners(box)
    oy1, ox1, oy2, ox2 = corners(others)
    inter = (np.clip(np.minimum(y2, oy2) - np.maximum(y1, oy1), 0, None)
             * np.clip(np.minimum(x2, ox2) - np.maximum(x1, ox1), 0, None))
    union = (y2 - y1) * (x2 - x1) + (oy2 - oy1) * (ox2 - ox1) - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """Greedy non-max suppression: indices (int32) of the boxes kept, by decreasing score,
    each overlapping every kept one by IoU <= ``iou_threshold``; boxes are
    [y1, x1, y2, x2] (either corner order)."""
    corners = np.asarray(boxes.data if isinstance(boxes, Tensor) else boxes, np.float64)
    score = np.asarray(scores.data if isinstance(scores, Tensor) else scores, np.float64)
    if corners.ndim != 2 or corners.shape[1] != 4 or score.shape != (corners.shape[0],):
        raise ValueError(f"non_max_suppression: boxes must be (num_boxes, 4) and scores "
                         f"(num_boxes,), got {corners.shape} and {score.shape}")
    order = [i for i in np.argsort(-score, kind="stable") if score[i] > score_threshold]
    kept: list = []
    for index in order:
        if len(kept) >= int(max_output_size):
            break
        if not kept or np.all(_iou(corners[index], corners[kept]) <= float(iou_threshold)):
            kept.append(int(index))
    return Tensor(np.asarray(kept, dtype=np.int32), dtype="int32")


__all__ = ["adjust_jpeg_quality", "extract_jpeg_shape", "non_max_suppression",
           "random_jpeg_quality", "rgb_to_yiq", "rgb_to_yuv", "stateless_random_brightness",
           "stateless_random_contrast", "stateless_random_crop",
           "stateless_random_flip_left_right", "stateless_random_flip_up_down",
           "stateless_random_hue", "stateless_random_jpeg_quality",
           "stateless_random_saturation", "yiq_to_rgb", "yuv_to_rgb"]
