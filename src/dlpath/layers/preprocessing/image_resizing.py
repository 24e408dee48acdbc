"""`Resizing` and `CenterCrop`: images to a fixed size, differentiably (NHWC)."""

from __future__ import annotations

from dlpath.engine import ops
from dlpath.layers import arguments
from dlpath.layers.layer import Layer
from dlpath.layers.preprocessing import image_sampling


def check_image_rank(layer: Layer, input_shape) -> None:
    """Images are (batch, height, width, channels) or one (height, width, channels)."""
    if len(input_shape) not in (3, 4):
        raise arguments.InvalidArgumentError(
            f"Layer '{layer.name}' ({type(layer).__name__}): expected images of rank 4 "
            f"(batch, height, width, channels) or rank 3 (one image), got an input of shape "
            f"{tuple(input_shape)}")


def crop_box(height: int, width: int, target_height: int, target_width: int) -> tuple:
    """(top, left, crop height, crop width) of the largest centred window with the target
    aspect ratio, computed as Keras does (truncating divisions)."""
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    return (int((height - crop_height) / 2), int((width - crop_width) / 2), crop_height,
            crop_width)


def pad_box(height: int, width: int, target_height: int, target_width: int) -> tuple:
    """(top, left, padded height, padded width) of the smallest padding of the image to the
    target aspect ratio, the image centred in it (as Keras)."""
    padded_height = max(height, int(width * target_height / target_width))
    padded_width = max(width, int(height * target_width / target_height))
    return (int((padded_height - height) / 2), int((padded_width - width) / 2), padded_height,
            padded_width)


def resize_images(images, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                  pad_to_aspect_ratio=False, fill_value=0.0):
    """``images`` (B, H, W, C) to (B, height, width, C), optionally first cropped or padded
    (centred) to the target aspect ratio so that nothing is distorted."""
    _, in_height, in_width, _ = images.shape
    if crop_to_aspect_ratio:
        top, left, crop_h, crop_w = crop_box(in_height, in_width, height, width)
        images = images[:, top:top + crop_h, left:left + crop_w, :]
    elif pad_to_aspect_ratio:
        top, left, pad_h, pad_w = pad_box(in_height, in_width, height, width)
        images = ops.pad(images, ((0, 0), (top, pad_h - in_height - top),
                                  (left, pad_w - in_width - left), (0, 0)), fill_value)
    return image_sampling.resize(images, height, width, interpolation)


class Resizing(Layer):
    """Resize images to ``(height, width)``: ``keras.layers.Resizing``.

    Bilinear sampling uses half-pixel centres (see `image_sampling`), so it equals
    TensorFlow's ``tf.image.resize`` and ``torch.nn.functional.interpolate(mode="bilinear",
    align_corners=False, antialias=False)``; ``"nearest"`` equals torch's
    ``"nearest-exact"``. The output is a linear map of the input, so gradients flow back.

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect
            ratio (no distortion).
        pad_to_aspect_ratio: first pad (centred, with ``fill_value``) to the target aspect
            ratio instead.
        fill_mode: ``"constant"``, the only padding mode (as in Keras).
        fill_value: the padding value.
        antialias: must be False (dlpath does not antialias when downsampling).
        data_format: ``"channels_last"`` or None.
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.height = arguments.positive_int(height, "height", owner)
        self.width = arguments.positive_int(width, "width", owner)
        self.interpolation = arguments.choice(interpolation, "interpolation", owner,
                                              image_sampling.INTERPOLATIONS)
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        if self.crop_to_aspect_ratio and self.pad_to_aspect_ratio:
            raise arguments.InvalidArgumentError(
                f"{owner}: crop_to_aspect_ratio and pad_to_aspect_ratio cannot both be True")
        self.fill_mode = arguments.choice(fill_mode, "fill_mode", owner, ("constant",))
        self.fill_value = float(fill_value)
        if antialias:
            raise arguments.InvalidArgumentError(
                f"{owner}: antialias must be False, got {antialias!r}: dlpath resizes "
                f"without antialiasing")
        self.antialias = False
        self.data_format = arguments.data_format(data_format, owner)

    def build(self, input_shape) -> None:
        check_image_rank(self, input_shape)
        self.built = True

    def call(self, inputs):
        single = inputs.ndim == 3
        images = inputs.reshape((1,) + inputs.shape) if single else inputs
        output = resize_images(images, self.height, self.width, self.interpolation,
                               self.crop_to_aspect_ratio, self.pad_to_aspect_ratio,
                               self.fill_value)
        return output[0] if single else output

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height=self.height, width=self.width, interpolation=self.interpolation,
                      crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                      pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
                      fill_value=self.fill_value, antialias=self.antialias,
                      data_format=self.data_format)
        return config


class CenterCrop(Layer):
    """Crop the central ``(height, width)`` window: ``keras.layers.CenterCrop``.

    The window starts at ``int((H - height) / 2)``, ``int((W - width) / 2)``. An image
    smaller than the target on either side is instead resized to it, after cropping to the
    target aspect ratio, as Keras does. Gradients flow back through the crop.
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.height = arguments.positive_int(height, "height", owner)
        self.width = arguments.positive_int(width, "width", owner)
        self.data_format = arguments.data_format(data_format, owner)

    def build(self, input_shape) -> None:
        check_image_rank(self, input_shape)
        self.built = True

    def call(self, inputs):
        single = inputs.ndim == 3
        images = inputs.reshape((1,) + inputs.shape) if single else inputs
        _, height, width, _ = images.shape
        extra_h, extra_w = height - self.height, width - self.width
        if extra_h >= 0 and extra_w >= 0:
            top, left = int(extra_h / 2), int(extra_w / 2)
            output = images[:, top:top + self.height, left:left + self.width, :]
        else:
            output = resize_images(images, self.height, self.width, crop_to_aspect_ratio=True)
        return output[0] if single else output

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-3]) + (self.height, self.width, input_shape[-1])

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(height=self.height, width=self.width, data_format=self.data_format)
        return config
