"""Reading the IMDb files: ``imdb.npz`` and ``imdb_word_index.json``.

``imdb.npz`` holds the raw sequences as Keras ships them: ``x_train`` and
``x_test`` are object arrays of 25,000 lists of word ranks (1 = most frequent
training word, no start mark, no offset); ``y_train`` and ``y_test`` are int64
arrays of 0 (negative) and 1 (positive).
"""

import json

import numpy as np

from ._errors import CorruptDatasetError
from ._npz import load_npz

SPLIT_SIZE = 25000
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")
NPZ_CHECKS = "2 x 25000 lists of word ranks >= 1, int64 labels 0/1"


def read_imdb_npz(path):
    """Return ``(x_train, y_train, x_test, y_test)`` from ``imdb.npz``, validated.

    Raises:
        CorruptDatasetError: unreadable archive or unexpected structure.
        UnsafePickleError: an object array's pickle names a forbidden global.
    """
    arrays = load_npz(path, NPZ_KEYS)
    for split in ("train", "test"):
        validate_split(arrays[f"x_{split}"], arrays[f"y_{split}"], f"{path} [{split}]")
    return tuple(arrays[key] for key in NPZ_KEYS)


def validate_split(sequences, labels, source):
    """Check one split: 25000 lists of ints >= 1 and 25000 int labels 0/1."""
    if sequences.dtype != object or sequences.shape != (SPLIT_SIZE,):
        raise CorruptDatasetError(
            f"{source}: sequences are {sequences.dtype} {sequences.shape}, "
            f"expected object {(SPLIT_SIZE,)}"
        )
    if labels.dtype.kind not in "iu" or labels.shape != (SPLIT_SIZE,):
        raise CorruptDatasetError(
            f"{source}: labels are {labels.dtype} {labels.shape}, expected int64 {(SPLIT_SIZE,)}"
        )
    if not np.isin(labels, (0, 1)).all():
        raise CorruptDatasetError(f"{source}: labels must be 0 or 1")
    if not all(type(sequence) is list for sequence in sequences):
        raise CorruptDatasetError(f"{source}: every sequence must be a list of ints")
    try:
        smallest = min((min(sequence) for sequence in sequences if sequence), default=1)
    except TypeError as error:
        raise CorruptDatasetError(f"{source}: sequences hold non-numbers ({error})") from error
    if not isinstance(smallest, int) or smallest < 1:
        raise CorruptDatasetError(
            f"{source}: word ranks must be ints >= 1, found {smallest!r}"
        )


def read_word_index(path):
    """Return the ``{word: rank}`` dict from ``imdb_word_index.json``, validated."""
    try:
        with open(path, encoding="utf-8") as file:
            index = json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptDatasetError(f"{path}: not a JSON file ({error})") from error
    if not isinstance(index, dict) or not index:
        raise CorruptDatasetError(f"{path}: expected a non-empty JSON object of word -> rank")
    ranks = index.values()
    if not all(type(rank) is int and rank >= 1 for rank in ranks):
        raise CorruptDatasetError(f"{path}: every rank must be an int >= 1")
    if len(set(ranks)) != len(index):
        raise CorruptDatasetError(f"{path}: ranks must be distinct")
    return index
