"""``ImageDataGenerator``: random augmentation and standardization of image batches.

For each image, in this order (as Keras):

1. ``get_random_transform``: draw a rotation (degrees in ``[-rotation_range,
   rotation_range]``), shifts (a fraction of the height/width when < 1, else pixels; a
   list draws one of its values), a shear (degrees), zooms ``zx, zy`` in ``zoom_range``
   (``z`` means ``[1 - z, 1 + z]``), flips (probability 1/2 each), a channel shift and
   a brightness factor;
2. ``apply_transform``: the affine transform (one matrix, see `image_affine`), then the
   channel shift, the flips and the brightness;
3. ``standardize``: ``preprocessing_function``, ``rescale``, samplewise centring and
   scaling (over the whole image), featurewise centring and scaling with the per-channel
   ``mean`` and ``std`` that ``fit(x)`` computes (``x / (std + 1e-6)``).

``flow(x, y)`` and ``flow_from_directory(directory)`` give iterators of batches that are
also `PyDataset` s, so ``model.fit(datagen.flow(x, y, batch_size=32))`` works. With
``validation_split``, ``subset="validation"`` takes the first fraction of ``x`` (of each
class folder for directories) and ``"training"`` the rest.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import image_affine
from .image_iterators import DirectoryIterator, NumpyArrayIterator


def _range_pair(value, name):
    if np.isscalar(value):
        value = float(value)
        if value < 0:
            raise ValueError(f"ImageDataGenerator: {name} must be >= 0, got {value}")
        return (1 - value, 1 + value) if name == "zoom_range" else (-value, value)
    if len(value) != 2:
        raise ValueError(f"ImageDataGenerator: {name} must be a float or a pair "
                         f"[lower, upper], got {value!r}")
    return float(value[0]), float(value[1])


class ImageDataGenerator:
    """Batches of augmented, standardized images (see the module docstring)."""

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None,
                 shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False, vertical_flip=False,
                 rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        if zca_whitening:
            raise NotImplementedError("ImageDataGenerator: zca_whitening is not supported; "
                                      "use featurewise_center/featurewise_std_normalization")
        if fill_mode not in image_affine.FILL_MODES:
            raise ValueError(f"ImageDataGenerator: fill_mode must be one of "
                             f"{image_affine.FILL_MODES}, got {fill_mode!r}")
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"ImageDataGenerator: data_format must be 'channels_last' or "
                             f"'channels_first', got {data_format!r}")
        if not 0 <= validation_split < 1:
            raise ValueError(f"ImageDataGenerator: validation_split must be in [0, 1), got "
                             f"{validation_split!r}")
        if brightness_range is not None and len(brightness_range) != 2:
            raise ValueError(f"ImageDataGenerator: brightness_range must be a pair "
                             f"[lower, upper], got {brightness_range!r}")
        if preprocessing_function is not None and not callable(preprocessing_function):
            raise TypeError("ImageDataGenerator: preprocessing_function must be callable")
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.rotation_range = float(rotation_range)
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.brightness_range = brightness_range
        self.shear_range = float(shear_range)
        self.zoom_range = _range_pair(zoom_range, "zoom_range")
        self.channel_shift_range = float(channel_shift_range)
        self.fill_mode, self.cval = fill_mode, cval
        self.horizontal_flip, self.vertical_flip = horizontal_flip, vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format or "channels_last"
        self.validation_split = validation_split
        self.interpolation_order = interpolation_order
        self.dtype = np.dtype(dtype or "float32")
        first = self.data_format == "channels_first"
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if first else (3, 1, 2)
        self.mean = None
        self.std = None

    # ---------------------------------------------------------------- iterators
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """An iterator of ``(x, y)`` batches (``x`` alone without ``y``) from arrays."""
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  save_to_dir=save_to_dir, save_prefix=save_prefix,
                                  save_format=save_format,
                                  ignore_class_split=ignore_class_split, subset=subset)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                            save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """An iterator of ``(x, y)`` batches of the images in ``directory``'s class
        subfolders (``class_mode``: "categorical", "binary", "sparse", "input" or None)."""
        return DirectoryIterator(directory, self, target_size=target_size,
                                 color_mode=color_mode, classes=classes,
                                 class_mode=class_mode, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format,
                                 follow_links=follow_links, subset=subset,
                                 interpolation=interpolation,
                                 keep_aspect_ratio=keep_aspect_ratio)

    # ---------------------------------------------------------------- one image
    def standardize(self, x):
        """Step 3 of the module docstring on one image or a batch (in place when possible)."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        x = np.asarray(x, dtype=self.dtype)
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, keepdims=True) + 1e-6)
        if self.featurewise_center:
            if self.mean is None:
                warnings.warn("ImageDataGenerator: featurewise_center is set but fit() was "
                              "not called; the images are not centred", stacklevel=2)
            else:
                x = x - self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                warnings.warn("ImageDataGenerator: featurewise_std_normalization is set but "
                              "fit() was not called; the images are not scaled", stacklevel=2)
            else:
                x = x / (self.std + 1e-6)
        return x

    def get_random_transform(self, img_shape, seed=None, rng=None):
        """The parameters of a random transform for an image of shape ``img_shape``.

        ``rng`` (a ``np.random.RandomState``) draws them; else one seeded by ``seed``.
        """
        rng = rng if rng is not None else np.random.RandomState(seed)
        rows, cols = img_shape[self.row_axis - 1], img_shape[self.col_axis - 1]
        theta = rng.uniform(-self.rotation_range, self.rotation_range) if (
            self.rotation_range) else 0
        tx = _shift(self.height_shift_range, rows, rng)
        ty = _shift(self.width_shift_range, cols, rng)
        shear = rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range == (1.0, 1.0):
            zx, zy = 1.0, 1.0
        else:
            zx, zy = rng.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = bool(self.horizontal_flip and rng.random_sample() < 0.5)
        flip_vertical = bool(self.vertical_flip and rng.random_sample() < 0.5)
        channel_shift = rng.uniform(-self.channel_shift_range, self.channel_shift_range) if (
            self.channel_shift_range) else None
        brightness = rng.uniform(*self.brightness_range) if (
            self.brightness_range is not None) else None
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Step 2 of the module docstring: ``x`` (one image) transformed as given."""
        p = transform_parameters
        row, col, channel = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = image_affine.apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0),
            p.get("zx", 1), p.get("zy", 1), row_axis=row, col_axis=col, channel_axis=channel,
            fill_mode=self.fill_mode, cval=self.cval, order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = image_affine.apply_channel_shift(x, p["channel_shift_intensity"], channel)
        if p.get("flip_horizontal", False):
            x = image_affine.flip_axis(x, col)
        if p.get("flip_vertical", False):
            x = image_affine.flip_axis(x, row)
        if p.get("brightness") is not None:
            x = image_affine.apply_brightness_shift(x, p["brightness"])
        return x

    def random_transform(self, x, seed=None):
        """``x`` (one image) through a random transform drawn with ``seed``."""
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Compute the per-channel ``mean`` and ``std`` of ``x`` (N, H, W, C) for the
        featurewise options (``augment``: over ``rounds`` random transforms of ``x``)."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit: x must be a batch of images of rank "
                             f"4, got shape {x.shape}")
        if augment:
            rng = np.random.RandomState(seed)
            x = np.concatenate([np.stack([self.random_transform(img, rng.randint(2**31))
                                          for img in x]) for _ in range(rounds)])
        axes = (0, self.row_axis, self.col_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.mean(x, axis=axes).reshape(shape)
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=axes).reshape(shape)


def _shift(shift_range, size, rng):
    """A shift in pixels: a list draws one of its values, a fraction < 1 scales by size."""
    if not np.isscalar(shift_range):
        return float(rng.choice(np.asarray(shift_range)))
    if not shift_range:
        return 0
    value = rng.uniform(-shift_range, shift_range)
    return value * size if shift_range < 1 else value
