"""``image_dataset_from_directory``: a folder of class subfolders of images as a `Dataset`.

Files are listed as `dataset_files` describes; each image is decoded (Pillow) when the
dataset is iterated, converted to ``color_mode``, resized to ``image_size`` (half-pixel
bilinear, as ``tf.image.resize``; see `image.resize_array`) and yielded as float32 with
values 0..255, in batches of ``batch_size``: ``(images, labels)``, or ``images`` alone with
``label_mode=None``. The dataset has ``class_names`` and ``file_paths`` attributes.
"""

from __future__ import annotations

import numpy as np

from dlpath.data import Dataset

from . import dataset_files
from .image import COLOR_MODES, _centre_box, load_img, resize_array

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
OWNER = "image_dataset_from_directory"


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, verbose=True):
    """A `Dataset` of ``(images, labels)`` batches read from ``directory``.

    Args:
        labels: "inferred" (from the subfolders), None, or one label per file (sorted).
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary" (float32
            (n, 1), two classes) or None (images only).
        color_mode: "grayscale", "rgb" or "rgba": 1, 3 or 4 channels.
        image_size: ``(height, width)`` of the yielded images.
        batch_size: images per batch; None yields single images.
        shuffle, seed: shuffle the files once (seeded), and the batches' order each epoch.
        validation_split, subset: keep the "training" or "validation" part, or "both"
            (then a pair of datasets is returned).
        interpolation: "bilinear" or "nearest".
        crop_to_aspect_ratio / pad_to_aspect_ratio: centre-crop or pad (with zeros) each
            image to the target aspect ratio before resizing.
        data_format: "channels_last" (the default) or "channels_first".

    Raises:
        ValueError: bad arguments, no such folder, or no images in it.
    """
    if color_mode not in COLOR_MODES:
        raise ValueError(f"{OWNER}: color_mode must be one of {sorted(COLOR_MODES)}, got "
                         f"{color_mode!r}")
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(f"{OWNER}: interpolation must be 'bilinear' or 'nearest', got "
                         f"{interpolation!r}")
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError(f"{OWNER}: data_format must be 'channels_last' or "
                         f"'channels_first', got {data_format!r}")
    size = _image_size(image_size)
    dataset_files.check_label_mode(label_mode, labels, OWNER)
    dataset_files.check_split(validation_split, subset, shuffle, seed, OWNER)
    paths, indices, names = dataset_files.index_directory(
        directory, labels, IMAGE_FORMATS, class_names, shuffle, seed, follow_links, OWNER)
    if label_mode is not None and indices is None:
        raise ValueError(f"{OWNER}: labels=None gives no labels: use label_mode=None")
    num_classes = len(names) if names is not None else int(max(indices or [0])) + 1
    loader = _Loader(color_mode, size, interpolation, crop_to_aspect_ratio,
                     pad_to_aspect_ratio, data_format == "channels_first")
    subsets = ["training", "validation"] if subset == "both" else [subset]
    datasets = []
    for part in subsets:
        part_paths, part_labels = dataset_files.split(paths, indices, validation_split, part)
        dataset_files.report(verbose and part == subsets[0], len(paths), len(names or []) or
                             None, len(part_paths), part)
        if verbose and part != subsets[0]:
            print(f"Using {len(part_paths)} files for {part}.")
        datasets.append(_build(part_paths, part_labels, label_mode, num_classes, loader,
                               batch_size, shuffle and part != "validation", seed, names))
    return tuple(datasets) if subset == "both" else datasets[0]


def _image_size(image_size):
    try:
        height, width = (int(v) for v in image_size)
    except (TypeError, ValueError):
        raise ValueError(f"{OWNER}: image_size must be (height, width), got "
                         f"{image_size!r}") from None
    if height < 1 or width < 1:
        raise ValueError(f"{OWNER}: image_size must be positive, got {image_size!r}")
    return height, width


class _Loader:
    """One image file as a float32 array of the target size and color mode."""

    def __init__(self, color_mode, size, interpolation, crop, pad, channels_first):
        self.color_mode, self.size, self.interpolation = color_mode, size, interpolation
        self.crop, self.pad, self.channels_first = crop, pad, channels_first

    def __call__(self, path):
        image = load_img(str(np.asarray(path).item()), color_mode=self.color_mode)
        height, width = self.size
        if self.crop:
            image = image.crop(_centre_box(image.height, image.width, height, width))
        array = np.asarray(image, dtype=np.float32)
        if array.ndim == 2:
            array = array[:, :, None]
        if self.pad:
            array = _pad_to_ratio(array, height, width)
        array = resize_array(array, height, width, self.interpolation)
        return array.transpose(2, 0, 1) if self.channels_first else array


def _pad_to_ratio(array, height, width):
    """Zero-pad ``array`` (centred) to the smallest size with the target aspect ratio."""
    in_height, in_width = array.shape[:2]
    padded_height = max(in_height, int(in_width * height / width))
    padded_width = max(in_width, int(in_height * width / height))
    top, left = (padded_height - in_height) // 2, (padded_width - in_width) // 2
    out = np.zeros((padded_height, padded_width, array.shape[2]), np.float32)
    out[top:top + in_height, left:left + in_width] = array
    return out


def _build(paths, labels, label_mode, num_classes, loader, batch_size, shuffle, seed, names):
    """The lazy pipeline: paths (and labels) -> decoded images -> shuffled batches."""
    path_array = np.asarray(paths, dtype=str)
    if label_mode is None:
        dataset = Dataset.from_tensor_slices(path_array).map(loader)
    else:
        encoded = dataset_files.encode_labels(labels, label_mode, num_classes, OWNER)
        dataset = Dataset.from_tensor_slices((path_array, encoded)).map(
            lambda path, label: (loader(path), label))
    dataset = finish(dataset, batch_size, shuffle, seed)
    dataset.class_names = names
    dataset.file_paths = list(paths)
    return dataset


def finish(dataset, batch_size, shuffle, seed):
    """Keras' last steps: shuffle through a buffer of 8 batches, then batch."""
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    if shuffle:
        dataset = dataset.shuffle(buffer_size=1024, seed=seed)
    return dataset
