"""Boston housing prices, as ``tf.keras.datasets.boston_housing.load_data()`` returns it.

Keras' ``boston_housing.npz`` holds ``x`` (506 x 13 float64 features) and ``y`` (506
prices in k$). ``load_data`` shuffles the rows with ``np.random.RandomState(seed)`` and
puts the first ``int(506 * (1 - test_split))`` in the training split, as Keras does.
"""

import numpy as np

from ._checksum import RemoteFile, check_official
from ._errors import CorruptDatasetError
from ._locate import locate_file
from ._npz import NpySpec, load_npz
from ._origins import KERAS_ORIGIN

SUBDIR = "boston_housing"
DATASET = "Boston housing"
ROWS, FEATURES = 506, 13
SPECS = {"x": NpySpec((ROWS, FEATURES), "f"), "y": NpySpec((ROWS,), "f")}
CHECKS = "x float (506, 13), y float (506,), all finite"
REMOTE = RemoteFile(
    "boston_housing.npz",
    KERAS_ORIGIN + "boston_housing.npz",
    "sha256",
    "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
)


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Load the Boston housing data.

    Args:
        path: a bare file name to search for (and download to), or a file path.
        test_split: fraction of the rows for the test split, in [0, 1).
        seed: seed of the shuffle before the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 arrays (n, 13) and (n,).

    Raises:
        ValueError: ``test_split`` outside [0, 1).
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: the file is not the expected ``.npz``.
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"boston_housing.load_data: test_split must be in [0, 1), got "
                         f"{test_split!r}")
    found = locate_file(path, REMOTE, SUBDIR, DATASET)
    arrays = load_npz(found, SPECS)
    x, y = (arrays[key].astype(np.float64) for key in ("x", "y"))
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise CorruptDatasetError(f"{found}: the features and prices must be finite numbers")
    check_official(found, REMOTE, CHECKS)
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x))
    rng.shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
