"""Fashion-MNIST, as ``tf.keras.datasets.fashion_mnist.load_data()`` returns it.

The four IDX files (same names and format as MNIST's) are read from a
``fashion_mnist/`` folder: ``$DLPATH_DATA/fashion_mnist/`` or the cache. The
``DLPATH_DATA`` root itself is not searched, since files there would be
indistinguishable from MNIST's. Missing files are downloaded from Keras'
storage and checked against Zalando's published md5 sums.

Labels: 0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal,
6 shirt, 7 sneaker, 8 bag, 9 ankle boot.
"""

from . import _paths
from ._checksum import RemoteFile
from ._download import fetch
from ._image_sets import IDX_FILES, find_idx_set, load_idx_set
from ._origins import KERAS_ORIGIN

SUBDIR = "fashion_mnist"
DATASET = "Fashion-MNIST"
WANTED = "the four IDX files " + ", ".join(f"{name}.gz" for name in IDX_FILES)

_MD5 = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}
REMOTES = {
    name: RemoteFile(name, KERAS_ORIGIN + name, "md5", digest) for name, digest in _MD5.items()
}


def load_data(path=None):
    """Load Fashion-MNIST.

    Args:
        path: None to search the dataset folders, or a folder holding the
            four IDX files.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,); labels 0..9.

    Raises:
        DatasetNotFoundError: files missing and not downloadable.
        CorruptDatasetError: a file is truncated or has the wrong structure.
    """
    given = _paths.explicit_path(path, DATASET, WANTED)
    folders = [given] if given is not None else _paths.search_dirs(SUBDIR, include_root=False)
    for folder in folders:
        idx_set = find_idx_set(folder)
        if idx_set is not None:
            return load_idx_set(idx_set, REMOTES)
    if given is not None:
        reason = f"{given} does not hold all four."
        raise _paths.not_found_error(DATASET, SUBDIR, WANTED, reason)
    return load_idx_set(_download_missing(), REMOTES)


def _download_missing():
    """Download the IDX files the cache lacks; return the cache's four paths."""
    cache = _paths.cache_root() / SUBDIR
    for base in IDX_FILES:
        if not (cache / (base + ".gz")).is_file() and not (cache / base).is_file():
            fetch(REMOTES[base + ".gz"], SUBDIR, DATASET, WANTED)
    return find_idx_set(cache)
