"""Reuters newswire topics, as ``tf.keras.datasets.reuters`` returns them.

Keras' ``reuters.npz`` holds ``x``, an object array of 11,228 lists of word ranks (1 =
most frequent word), and ``y``, 11,228 topic ids 0..45. ``load_data`` applies Keras'
steps exactly: shuffle with ``np.random.RandomState(seed)``, prepend ``start_char``,
shift the ranks by ``index_from``, drop sequences not shorter than ``maxlen``, replace
ids ``>= num_words`` or ``< skip_top`` by ``oov_char``, then split: the first
``int(n * (1 - test_split))`` sequences train, the rest test.
"""

from dataclasses import replace

import numpy as np

from ._checksum import RemoteFile, check_official
from ._errors import CorruptDatasetError
from ._locate import locate_file
from ._imdb_files import PICKLE_BYTES, read_word_index, validate_sequences
from ._npz import NpySpec, load_npz
from ._origins import KERAS_ORIGIN

SUBDIR = "reuters"
DATASET = "Reuters"
COUNT = 11228
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
    "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
    "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
    "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
)
SPECS = {"x": NpySpec((COUNT,), "O", PICKLE_BYTES), "y": NpySpec((COUNT,), "iu")}
CHECKS = f"{COUNT} lists of word ranks >= 1 and int topics 0..{len(LABEL_NAMES) - 1}"
REMOTE = RemoteFile(
    "reuters.npz",
    KERAS_ORIGIN + "reuters.npz",
    "sha256",
    "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
)
WORD_INDEX_REMOTE = RemoteFile(
    "reuters_word_index.json",
    KERAS_ORIGIN + "reuters_word_index.json",
    "md5",
    "4d44cc38712099c9e383dc6e5f11a921",
)


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Load Reuters as lists of word ids, with Keras' arguments and semantics.

    Args:
        path: a bare file name to search for (and download to), or a file path.
        num_words: keep ids below ``num_words``; others become ``oov_char`` (or are
            dropped when ``oov_char`` is None).
        skip_top: ids below this also become ``oov_char``.
        maxlen: keep only sequences shorter than ``maxlen`` (after ``start_char``).
        test_split: fraction of the sequences for the test split, in [0, 1).
        seed: seed of the shuffle.
        start_char, oov_char, index_from: as in ``imdb.load_data``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and
        int64 topic arrays.

    Raises:
        ValueError: ``test_split`` outside [0, 1).
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: the file is truncated or has the wrong structure.
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"reuters.load_data: test_split must be in [0, 1), got "
                         f"{test_split!r}")
    xs, labels = _load_raw(path)
    rng = np.random.RandomState(seed)
    indices = np.arange(len(xs))
    rng.shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    else:
        xs = [list(x) for x in xs]
    if maxlen:
        kept = [(x, label) for x, label in zip(xs, labels) if len(x) < maxlen]
        xs, labels = [pair[0] for pair in kept], [pair[1] for pair in kept]
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    cut = int(len(xs) * (1 - test_split))
    return ((_object_array(xs[:cut]), np.array(labels[:cut], dtype=np.int64)),
            (_object_array(xs[cut:]), np.array(labels[cut:], dtype=np.int64)))


def _load_raw(path):
    found = locate_file(path, REMOTE, SUBDIR, DATASET, replace(REMOTE, name=path))
    arrays = load_npz(found, SPECS)
    xs, labels = arrays["x"], arrays["y"]
    validate_sequences(xs.tolist(), f"{found} [x]")
    if labels.size and not 0 <= labels.min() <= labels.max() < len(LABEL_NAMES):
        raise CorruptDatasetError(f"{found} [y]: topics must be ints 0.."
                                  f"{len(LABEL_NAMES) - 1}")
    check_official(found, REMOTE, CHECKS)
    return xs, labels.astype(np.int64)


def get_word_index(path="reuters_word_index.json"):
    """Keras' ``{word: rank}`` dict (rank 1 = most frequent word); ids in ``load_data``
    are these ranks plus ``index_from``."""
    found = locate_file(path, WORD_INDEX_REMOTE, SUBDIR, DATASET,
                        replace(WORD_INDEX_REMOTE, name=path))
    index = read_word_index(found)
    check_official(found, WORD_INDEX_REMOTE, "a JSON object of distinct ranks >= 1")
    return index


def get_label_names():
    """The 46 topic names, index ``i`` naming topic ``i``."""
    return LABEL_NAMES


def _object_array(sequences):
    array = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        array[i] = sequence
    return array
