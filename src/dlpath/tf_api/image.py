"""``tf.image``: resizing, crops and flips, colour adjustments, quality measures and image
files, over NHWC Tensors (one image: HWC). The functions live in `image_resize`,
`image_crops`, `image_color`, `image_metrics`, `image_codec`, `image_boxes` and
`image_extra`."""

from dlpath.tf_api.image_boxes import (
    combined_non_max_suppression, crop_and_resize, draw_bounding_boxes,
    non_max_suppression_overlaps,
    non_max_suppression_with_scores,
)
from dlpath.tf_api.image_codec import (
    decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png,
    is_jpeg,
)
from dlpath.tf_api.image_color import (
    adjust_brightness, adjust_contrast, adjust_gamma, adjust_hue, adjust_saturation,
    convert_image_dtype, grayscale_to_rgb, hsv_to_rgb, per_image_standardization,
    random_brightness, random_contrast, random_hue, random_saturation, rgb_to_grayscale,
    rgb_to_hsv,
)
from dlpath.tf_api.image_crops import (
    central_crop, crop_to_bounding_box, extract_patches, flip_left_right, flip_up_down,
    pad_to_bounding_box, random_crop, random_flip_left_right, random_flip_up_down,
    resize_with_crop_or_pad, rot90, transpose,
)
from dlpath.tf_api.image_extra import (
    adjust_jpeg_quality, extract_jpeg_shape, non_max_suppression, random_jpeg_quality,
    rgb_to_yiq, rgb_to_yuv, stateless_random_brightness, stateless_random_contrast,
    stateless_random_crop, stateless_random_flip_left_right, stateless_random_flip_up_down,
    stateless_random_hue, stateless_random_jpeg_quality, stateless_random_saturation,
    yiq_to_rgb, yuv_to_rgb,
)
from dlpath.tf_api.image_metrics import (
    image_gradients, psnr, sobel_edges, ssim, ssim_multiscale, total_variation,
)
from dlpath.tf_api.image_resize import ResizeMethod, resize, resize_with_pad

__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
