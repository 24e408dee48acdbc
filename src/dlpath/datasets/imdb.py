"""IMDb movie-review sentiment, as ``tf.keras.datasets.imdb`` returns it.

Sources, in order of preference: Keras' ``imdb.npz`` in a dataset folder;
else the review texts (``aclImdb_v1.tar.gz`` or an extracted ``aclImdb/``)
tokenized as Keras' file was made, giving the same sequences; else
``imdb.npz`` downloaded from Keras' storage into the cache.

``load_data`` then applies Keras' steps exactly: shuffle train and test with
``np.random.RandomState(seed)``, prepend ``start_char``, shift the word ranks
by ``index_from``, drop sequences not shorter than ``maxlen``, and replace
ids ``>= num_words`` or ``< skip_top`` by ``oov_char``.
"""

from dataclasses import replace

import numpy as np

from . import _paths
from ._checksum import RemoteFile, check_official
from ._download import fetch
from ._imdb_files import NPZ_CHECKS, read_imdb_npz, read_word_index
from ._imdb_texts import CHECKS as TEXT_CHECKS
from ._imdb_texts import TOP_FOLDER, raw_sequences
from ._origins import ACLIMDB_ORIGIN, KERAS_ORIGIN

SUBDIR = "imdb"
DATASET = "IMDb"
TEXT_ARCHIVE = "aclImdb_v1.tar.gz"
WANTED = (
    f"imdb.npz (or the review texts {TEXT_ARCHIVE} or its folder {TOP_FOLDER}/, "
    "with imdb_word_index.json)"
)

REMOTE = RemoteFile(
    "imdb.npz",
    KERAS_ORIGIN + "imdb.npz",
    "sha256",
    "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
)
WORD_INDEX_REMOTE = RemoteFile(
    "imdb_word_index.json",
    KERAS_ORIGIN + "imdb_word_index.json",
    "md5",
    "bfafd718b763782e994055a2d397834f",
)
# The review texts are read when present, never downloaded (84 MB).
TEXTS_REMOTE = RemoteFile(
    TEXT_ARCHIVE,
    ACLIMDB_ORIGIN + TEXT_ARCHIVE,
    "sha256",
    "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
)


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
):
    """Load IMDb as lists of word ids, with Keras' arguments and semantics.

    Args:
        path: a bare file name to search for (and download to), or the path of
            an ``.npz`` file, of the review texts, or of a folder holding them.
        num_words: keep the ``num_words - 1`` most frequent ids; others become
            ``oov_char`` (or are dropped when ``oov_char`` is None).
        skip_top: ids below this also become ``oov_char``.
        maxlen: keep only sequences shorter than ``maxlen`` (after ``start_char``).
        seed: seed of the shuffle.
        start_char: id put at the start of each sequence (None: none).
        oov_char: id of words cut by ``num_words`` or ``skip_top``.
        index_from: added to every word rank.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of lists of
        ints, and int64 label arrays (1 positive, 0 negative).

    Raises:
        ValueError: ``maxlen`` leaves no sequence in a split.
        DatasetNotFoundError: no file found and none could be downloaded.
        CorruptDatasetError: a file is truncated or has the wrong structure.
    """
    raw = _load_raw(path)
    return keras_transform(
        *raw,
        num_words=num_words,
        skip_top=skip_top,
        maxlen=maxlen,
        seed=seed,
        start_char=start_char,
        oov_char=oov_char,
        index_from=index_from,
    )


def get_word_index(path="imdb_word_index.json"):
    """Return Keras' ``{word: rank}`` dict (rank 1 = most frequent training word).

    ``path`` is a bare file name to search for (and download to) or a file path.
    """
    given = _paths.explicit_path(path, DATASET, WORD_INDEX_REMOTE.name)
    if given is not None and given.is_dir():
        given = _paths.find_file([given], WORD_INDEX_REMOTE.name)
        if given is None:
            reason = f"{path} does not hold it."
            raise _paths.not_found_error(DATASET, SUBDIR, WORD_INDEX_REMOTE.name, reason)
    found = given or _paths.find_file(_paths.search_dirs(SUBDIR), path)
    if found is None:
        remote = replace(WORD_INDEX_REMOTE, name=path)
        found = fetch(remote, SUBDIR, DATASET, WORD_INDEX_REMOTE.name)
    index = read_word_index(found)
    check_official(found, WORD_INDEX_REMOTE, "a JSON object of distinct ranks >= 1")
    return index


def _load_raw(path):
    """``(x_train, y_train, x_test, y_test)`` as stored in ``imdb.npz``."""
    given = _paths.explicit_path(path, DATASET, WANTED)
    if given is not None and given.is_file():
        return _from_texts(given) if given.name.endswith(".tar.gz") else _from_npz(given)
    if given is not None and given.name == TOP_FOLDER:
        return _from_texts(given)
    folders = [given] if given is not None else _paths.search_dirs(SUBDIR)
    name = REMOTE.name if given is not None else path
    npz = _paths.find_file(folders, name)
    if npz is not None:
        return _from_npz(npz)
    for folder in folders:
        for texts in (folder / TEXT_ARCHIVE, folder / TOP_FOLDER):
            if texts.exists():
                return _from_texts(texts)
    if given is not None:
        raise _paths.not_found_error(DATASET, SUBDIR, WANTED, f"{given} holds none of them.")
    return _from_npz(fetch(replace(REMOTE, name=path), SUBDIR, DATASET, WANTED))


def _from_npz(path):
    raw = read_imdb_npz(path)
    check_official(path, REMOTE, NPZ_CHECKS)
    return raw


def _from_texts(path):
    """Tokenize the review texts; the word index next to them is preferred."""
    beside = path.parent / WORD_INDEX_REMOTE.name
    word_index = get_word_index(str(beside)) if beside.is_file() else get_word_index()
    raw = raw_sequences(path, word_index)
    if path.is_file():
        check_official(path, TEXTS_REMOTE, TEXT_CHECKS)
    return raw


def keras_transform(
    x_train, labels_train, x_test, labels_test,
    num_words, skip_top, maxlen, seed, start_char, oov_char, index_from,
):
    """Keras' ``imdb.load_data`` steps on raw rank sequences (see the module docstring)."""
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]

    x_train = _shift(x_train, start_char, index_from)
    x_test = _shift(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = _drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, "
                "no sequence was kept. Increase maxlen."
            )
    sequences = x_train + x_test
    labels = np.concatenate([labels_train, labels_test])
    if not num_words:
        num_words = max(max(sequence) for sequence in sequences)
    if oov_char is not None:
        sequences = [
            [w if skip_top <= w < num_words else oov_char for w in sequence]
            for sequence in sequences
        ]
    else:
        sequences = [[w for w in sequence if skip_top <= w < num_words] for sequence in sequences]
    split = len(x_train)
    return (
        (_object_array(sequences[:split]), labels[:split]),
        (_object_array(sequences[split:]), labels[split:]),
    )


def _shift(sequences, start_char, index_from):
    """Prepend ``start_char`` (unless None) and add ``index_from`` to every rank."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in sequence] for sequence in sequences]
    if index_from:
        return [[w + index_from for w in sequence] for sequence in sequences]
    return [list(sequence) for sequence in sequences]


def _drop_long(maxlen, sequences, labels):
    """Keep the sequences shorter than ``maxlen``, with their labels (Keras' rule)."""
    kept = [pair for pair in zip(sequences, labels) if len(pair[0]) < maxlen]
    return [pair[0] for pair in kept], [pair[1] for pair in kept]


def _object_array(sequences):
    """A 1-D object array of lists, even when all lists have the same length."""
    array = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        array[i] = sequence
    return array
