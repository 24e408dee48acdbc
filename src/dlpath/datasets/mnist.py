"""MNIST handwritten digits, as ``tf.keras.datasets.mnist.load_data()`` returns them.

Files read, in this order of preference in each folder searched (see
``_paths``): Keras' ``mnist.npz``, else the four original IDX files
(``train-images-idx3-ubyte.gz`` ... , gzip-compressed or not). When none is
found, ``mnist.npz`` is downloaded from Keras' storage into the cache.
"""

from dataclasses import replace

from . import _paths
from ._checksum import RemoteFile, check_official
from ._download import fetch
from ._image_sets import (
    CHECKS,
    IDX_FILES,
    IMAGE_SHAPE,
    TEST_COUNT,
    TRAIN_COUNT,
    find_idx_set,
    load_idx_set,
    validate_split,
)
from ._npz import NpySpec, load_npz
from ._origins import KERAS_ORIGIN, MNIST_ORIGIN

SUBDIR = "mnist"
DATASET = "MNIST"
WANTED = "mnist.npz, or the four IDX files " + ", ".join(f"{n}.gz" for n in IDX_FILES)
NPZ_SPECS = {
    "x_train": NpySpec((TRAIN_COUNT,) + IMAGE_SHAPE, "u"),
    "y_train": NpySpec((TRAIN_COUNT,), "u"),
    "x_test": NpySpec((TEST_COUNT,) + IMAGE_SHAPE, "u"),
    "y_test": NpySpec((TEST_COUNT,), "u"),
}

REMOTE = RemoteFile(
    "mnist.npz",
    KERAS_ORIGIN + "mnist.npz",
    "sha256",
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
)
# The original IDX files; their md5 sums are the published ones.
IDX_REMOTES = {
    remote.name: remote
    for remote in (
        RemoteFile("train-images-idx3-ubyte.gz", MNIST_ORIGIN + "train-images-idx3-ubyte.gz",
                   "md5", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        RemoteFile("train-labels-idx1-ubyte.gz", MNIST_ORIGIN + "train-labels-idx1-ubyte.gz",
                   "md5", "d53e105ee54ea40749a09fcbcd1e9432"),
        RemoteFile("t10k-images-idx3-ubyte.gz", MNIST_ORIGIN + "t10k-images-idx3-ubyte.gz",
                   "md5", "9fb629c4189551a2d022fa330f9573f3"),
        RemoteFile("t10k-labels-idx1-ubyte.gz", MNIST_ORIGIN + "t10k-labels-idx1-ubyte.gz",
                   "md5", "ec29112dd5afa0611ce80d1b7f02629c"),
    )
}


def load_data(path=None):
    """Load MNIST.

    Args:
        path: None to search the dataset folders; a bare file name to search
            for (and download to) instead of ``mnist.npz``; or the path of an
            ``.npz`` file or of a folder holding ``mnist.npz`` or the IDX files.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,); pixels 0..255,
        labels 0..9.

    Raises:
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: a file is truncated or has the wrong structure.
    """
    located = _locate(path)
    if isinstance(located, list):
        return load_idx_set(located, IDX_REMOTES)
    return _load_npz(located)


def _locate(path):
    """The ``.npz`` Path or the list of four IDX Paths to read."""
    given = _paths.explicit_path(path, DATASET, WANTED)
    if given is not None and given.is_file():
        return given
    if given is not None:
        found = _find_in([given], REMOTE.name)
        if found is None:
            reason = f"{given} holds neither."
            raise _paths.not_found_error(DATASET, SUBDIR, WANTED, reason)
        return found
    name = path or REMOTE.name
    found = _find_in(_paths.search_dirs(SUBDIR), name)
    if found is not None:
        return found
    return fetch(replace(REMOTE, name=name), SUBDIR, DATASET, WANTED)


def _find_in(folders, npz_name):
    """``folder/npz_name`` or the folder's IDX set, for the first folder with either."""
    for folder in folders:
        candidate = folder / npz_name
        if candidate.is_file():
            return candidate
        idx_set = find_idx_set(folder)
        if idx_set is not None:
            return idx_set
    return None


def _load_npz(path):
    """Read and validate Keras' ``mnist.npz``."""
    arrays = load_npz(path, NPZ_SPECS)
    validate_split(arrays["x_train"], arrays["y_train"], TRAIN_COUNT, f"{path} [train]")
    validate_split(arrays["x_test"], arrays["y_test"], TEST_COUNT, f"{path} [test]")
    check_official(path, REMOTE, CHECKS)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
