"""Datasets in their official file formats, loaded as ``tf.keras.datasets`` returns them.

Each module has a ``load_data()``: :mod:`mnist`, :mod:`fashion_mnist`,
:mod:`cifar10`, :mod:`cifar100`, :mod:`imdb` (also ``imdb.get_word_index()``),
:mod:`reuters`, :mod:`boston_housing` and :mod:`digits`
(scikit-learn's bundled 8x8 digits, offline). Files are looked for in
``$DLPATH_DATA/<name>/``, ``$DLPATH_DATA/`` and the cache
``~/.dlpath/datasets/<name>/`` (``DLPATH_CACHE``), and downloaded into the
cache with a checksum check when missing (not when ``DLPATH_OFFLINE=1``).
"""

from . import boston_housing, cifar10, cifar100, digits, fashion_mnist, imdb, mnist, reuters
from ._errors import (
    ChecksumMismatchError,
    CorruptDatasetError,
    DatasetNotFoundError,
    UnofficialFileWarning,
)
from ._safe_pickle import UnsafePickleError
from .splits import train_val_test_split

__all__ = [
    "ChecksumMismatchError",
    "CorruptDatasetError",
    "DatasetNotFoundError",
    "UnofficialFileWarning",
    "UnsafePickleError",
    "boston_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
    "train_val_test_split",
]
