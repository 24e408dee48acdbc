"""The iterators of ``ImageDataGenerator.flow`` and ``flow_from_directory``.

Each is a `PyDataset` of ``ceil(n / batch_size)`` batches: ``it[i]`` is batch ``i`` of
the current epoch's order, ``next(it)`` walks the batches without end (Keras' legacy
protocol), and ``on_epoch_end`` draws a new order when ``shuffle``. With a ``seed`` the
order of epoch ``e`` and the transforms of batch ``i`` in it come from
``np.random.RandomState([seed, e])`` and ``RandomState([seed, e, i])``: reproducible.
"""

from __future__ import annotations

import os

import numpy as np

from dlpath.data import PyDataset
from dlpath.random import generator

from . import dataset_files
from .image import COLOR_MODES, img_to_array, load_img, save_img

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png", ".ppm", ".tif", ".tiff")
CLASS_MODES = ("categorical", "binary", "sparse", "input", None)


class BatchIterator(PyDataset):
    """Batches of transformed samples by index; subclasses load the samples."""

    def __init__(self, n, batch_size, shuffle, seed, generator_, save_to_dir=None,
                 save_prefix="", save_format="png"):
        super().__init__()
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"{type(self).__name__}: batch_size must be a positive int, "
                             f"got {batch_size!r}")
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.image_data_generator = generator_
        self.save_to_dir, self.save_prefix, self.save_format = (save_to_dir, save_prefix,
                                                                save_format)
        self.epoch, self.batch_index, self.total_batches_seen = 0, 0, 0
        self.index_array = None

    def _rng(self, *key):
        if self.seed is None:
            return np.random.RandomState(int(generator().integers(2**31)))
        return np.random.RandomState([int(self.seed), *key])

    def _set_index_array(self):
        self.index_array = (self._rng(self.epoch).permutation(self.n) if self.shuffle
                            else np.arange(self.n))

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def __getitem__(self, idx):
        if not 0 <= idx < len(self):
            raise IndexError(f"{type(self).__name__}: batch {idx} out of range; there are "
                             f"{len(self)} batches")
        if self.index_array is None:
            self._set_index_array()
        rows = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._batch(rows, self._rng(self.epoch, idx))

    def on_epoch_end(self):
        self.epoch += 1
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.batch_index >= len(self):
            self.batch_index = 0
            self.on_epoch_end()
        batch = self[self.batch_index]
        self.batch_index += 1
        self.total_batches_seen += 1
        return batch

    next = __next__

    def _transform(self, images, rng):
        """The augmented, standardized batch of ``images`` (a list of arrays)."""
        gen = self.image_data_generator
        out = []
        for image in images:
            image = np.asarray(image, dtype=gen.dtype)
            params = gen.get_random_transform(image.shape, rng=rng)
            out.append(gen.standardize(gen.apply_transform(image, params)))
        batch = np.stack(out).astype(gen.dtype, copy=False)
        if self.save_to_dir:
            for image in batch:
                name = f"{self.save_prefix}_{self.total_batches_seen}_{rng.randint(1e7)}"
                save_img(os.path.join(self.save_to_dir, f"{name}.{self.save_format}"), image,
                         data_format=gen.data_format)
        return batch


class NumpyArrayIterator(BatchIterator):
    """Batches of ``x`` (N, H, W, C) with ``y`` (and ``sample_weight``) rows alongside."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, save_to_dir=None, save_prefix="",
                 save_format="png", ignore_class_split=False, subset=None, dtype=None):
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.flow: x must be a batch of images of rank "
                             f"4, got shape {x.shape}")
        for name, other in (("y", y), ("sample_weight", sample_weight)):
            if other is not None and len(other) != len(x):
                raise ValueError(f"ImageDataGenerator.flow: x and {name} must have the same "
                                 f"length, got {len(x)} and {len(other)}")
        y = None if y is None else np.asarray(y)
        sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"ImageDataGenerator.flow: subset must be 'training' or "
                                 f"'validation', got {subset!r}")
            cut = int(len(x) * image_data_generator.validation_split)
            part = slice(0, cut) if subset == "validation" else slice(cut, None)
            if y is not None and not ignore_class_split and (
                    len(np.unique(y[:cut])) != len(np.unique(y[cut:]))):
                raise ValueError("ImageDataGenerator.flow: the training and validation "
                                 "subsets have different numbers of classes after the "
                                 "split; pass ignore_class_split=True to allow it")
            x = x[part]
            y = None if y is None else y[part]
            sample_weight = None if sample_weight is None else sample_weight[part]
        self.x, self.y, self.sample_weight = x, y, sample_weight
        super().__init__(len(x), batch_size, shuffle, seed, image_data_generator,
                         save_to_dir, save_prefix, save_format)

    def _batch(self, rows, rng):
        batch_x = self._transform([self.x[j] for j in rows], rng)
        if self.y is None:
            return batch_x
        if self.sample_weight is None:
            return batch_x, self.y[rows]
        return batch_x, self.y[rows], self.sample_weight[rows]


class DirectoryIterator(BatchIterator):
    """Batches of the images in the class subfolders of ``directory``.

    Attributes: ``class_indices`` ({name: index}), ``classes`` (one index per file),
    ``filenames`` (relative paths), ``filepaths``, ``samples``, ``num_classes``.
    """

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, dtype=None):
        owner = "ImageDataGenerator.flow_from_directory"
        if color_mode not in COLOR_MODES:
            raise ValueError(f"{owner}: color_mode must be one of {sorted(COLOR_MODES)}, got "
                             f"{color_mode!r}")
        if class_mode not in CLASS_MODES:
            raise ValueError(f"{owner}: class_mode must be one of {CLASS_MODES}, got "
                             f"{class_mode!r}")
        if subset not in (None, "training", "validation"):
            raise ValueError(f"{owner}: subset must be 'training', 'validation' or None, got "
                             f"{subset!r}")
        if not os.path.isdir(directory):
            raise ValueError(f"{owner}: directory {str(directory)!r} is not a folder")
        self.directory = str(directory)
        self.target_size = tuple(int(v) for v in target_size)
        self.color_mode, self.class_mode = color_mode, class_mode
        self.interpolation, self.keep_aspect_ratio = interpolation, keep_aspect_ratio
        names = list(classes) if classes is not None else sorted(
            e.name for e in os.scandir(directory) if e.is_dir())
        self.class_indices = {name: i for i, name in enumerate(names)}
        self.num_classes = len(names)
        fraction = image_data_generator.validation_split
        self.filepaths, labels = [], []
        for index, name in enumerate(names):
            files = dataset_files._files_under(os.path.join(directory, name), IMAGE_FORMATS,
                                               follow_links)
            if subset is not None and fraction:
                cut = int(fraction * len(files))
                files = files[:cut] if subset == "validation" else files[cut:]
            self.filepaths += files
            labels += [index] * len(files)
        self.classes = np.asarray(labels, dtype=np.int32)
        self.filenames = [os.path.relpath(p, directory) for p in self.filepaths]
        self.samples = len(self.filepaths)
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        channels = {"grayscale": 1, "rgb": 3, "rgba": 4}[color_mode]
        first = image_data_generator.data_format == "channels_first"
        self.image_shape = ((channels,) + self.target_size if first
                            else self.target_size + (channels,))
        super().__init__(self.samples, batch_size, shuffle, seed, image_data_generator,
                         save_to_dir, save_prefix, save_format)

    @property
    def labels(self):
        return self.classes

    def _batch(self, rows, rng):
        gen = self.image_data_generator
        images = [img_to_array(load_img(self.filepaths[j], color_mode=self.color_mode,
                                        target_size=self.target_size,
                                        interpolation=self.interpolation,
                                        keep_aspect_ratio=self.keep_aspect_ratio),
                               data_format=gen.data_format) for j in rows]
        batch_x = self._transform(images, rng)
        labels = self.classes[rows]
        if self.class_mode is None:
            return batch_x
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode == "categorical":
            return batch_x, np.eye(self.num_classes, dtype=gen.dtype)[labels]
        return batch_x, labels.astype(gen.dtype)
