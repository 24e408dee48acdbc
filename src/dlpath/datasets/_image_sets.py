"""MNIST-style image sets: the four IDX files, and their structure checks.

MNIST and Fashion-MNIST share the format: 28x28 uint8 images and uint8
labels 0..9, 60,000 for training and 10,000 for testing, published as four
gzip-compressed IDX files with the same names.
"""

from pathlib import Path

import numpy as np

from ._checksum import check_official
from ._errors import CorruptDatasetError
from ._idx import read_idx

IDX_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
IMAGE_SHAPE = (28, 28)
NUM_CLASSES = 10
TRAIN_COUNT = 60000
TEST_COUNT = 10000
CHECKS = "60000 + 10000 images of 28x28 uint8, labels 0..9"


def find_idx_set(folder):
    """The four IDX files in ``folder`` (``.gz`` preferred), or None if any is missing."""
    paths = []
    for base in IDX_FILES:
        for name in (base + ".gz", base):
            candidate = Path(folder) / name
            if candidate.is_file():
                paths.append(candidate)
                break
        else:
            return None
    return paths


def validate_split(images, labels, count, source):
    """Check one split's shapes, dtypes and label range.

    Raises:
        CorruptDatasetError: naming ``source`` and the expected and actual values.
    """
    expected = (count,) + IMAGE_SHAPE
    if images.dtype != np.uint8 or images.shape != expected:
        raise CorruptDatasetError(
            f"{source}: images are {images.dtype} {images.shape}, expected uint8 {expected}"
        )
    if labels.dtype != np.uint8 or labels.shape != (count,):
        raise CorruptDatasetError(
            f"{source}: labels are {labels.dtype} {labels.shape}, expected uint8 {(count,)}"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        raise CorruptDatasetError(
            f"{source}: labels go up to {labels.max()}, expected 0..{NUM_CLASSES - 1}"
        )


def load_idx_set(paths, remotes):
    """Load ``(x_train, y_train), (x_test, y_test)`` from the four IDX ``paths``.

    ``remotes`` maps a file name to its published :class:`RemoteFile`; a file
    whose checksum differs is accepted after validation, with a warning.
    """
    x_train = read_idx(paths[0], (TRAIN_COUNT,) + IMAGE_SHAPE)
    y_train = read_idx(paths[1], (TRAIN_COUNT,))
    x_test = read_idx(paths[2], (TEST_COUNT,) + IMAGE_SHAPE)
    y_test = read_idx(paths[3], (TEST_COUNT,))
    validate_split(x_train, y_train, TRAIN_COUNT, f"{paths[0]} and {paths[1].name}")
    validate_split(x_test, y_test, TEST_COUNT, f"{paths[2]} and {paths[3].name}")
    for path in paths:
        check_official(path, remotes.get(path.name), CHECKS)
    return (x_train, y_train), (x_test, y_test)
