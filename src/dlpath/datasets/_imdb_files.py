"""Reading the IMDb files: ``imdb.npz`` and ``imdb_word_index.json``.

``imdb.npz`` holds the raw sequences as Keras ships them: ``x_train`` and
``x_test`` are object arrays of 25,000 lists of word ranks (1 = most frequent
training word, no start mark, no offset); ``y_train`` and ``y_test`` are int64
arrays of 0 (negative) and 1 (positive).

The object arrays are pickles, so a damaged or hostile file could hold anything a
pickle can: the checks here are linear in the file's size. Every sequence must be
a list of its own (a pickle can make all 25,000 entries point to one huge list,
which would make every later pass over the data quadratic), and every id an int
word rank in ``[1, MAX_RANK]``.
"""

import itertools
import json

import numpy as np

from ._bounded import read_capped
from ._errors import CorruptDatasetError, reading
from ._npz import NpySpec, load_npz

SPLIT_SIZE = 25000
MAX_RANK = 2**31 - 1  # ranks fit in int32, so padded sequences do too
# The official pickles take 14.4 MB (train) and 13.9 MB (test); a rebuilt copy may be
# larger, but not by this much.
PICKLE_BYTES = 64 << 20
WORD_INDEX_BYTES = 64 << 20  # the official imdb_word_index.json takes 1.6 MB
NPZ_SPECS = {
    "x_train": NpySpec((SPLIT_SIZE,), "O", PICKLE_BYTES),
    "y_train": NpySpec((SPLIT_SIZE,), "iu"),
    "x_test": NpySpec((SPLIT_SIZE,), "O", PICKLE_BYTES),
    "y_test": NpySpec((SPLIT_SIZE,), "iu"),
}
NPZ_CHECKS = "2 x 25000 lists of word ranks >= 1, int64 labels 0/1"


def read_imdb_npz(path):
    """Return ``(x_train, y_train, x_test, y_test)`` from ``imdb.npz``, validated.

    Raises:
        CorruptDatasetError: unreadable archive or unexpected structure.
        UnsafePickleError: an object array's pickle names a forbidden global.
    """
    arrays = load_npz(path, NPZ_SPECS)
    for split in ("train", "test"):
        validate_split(arrays[f"x_{split}"], arrays[f"y_{split}"], f"{path} [{split}]")
    return tuple(arrays[key] for key in NPZ_SPECS)


def validate_split(sequences, labels, source):
    """Check one split: 25000 lists of word ranks and 25000 int labels 0/1."""
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
    validate_sequences(sequences.tolist(), source)


def validate_sequences(sequences, source):
    """Check that each of ``sequences`` is a list of its own holding word ranks.

    Linear in the number of sequences plus their total length.

    Raises:
        CorruptDatasetError: naming the first offending sequence (and position).
    """
    for i, sequence in enumerate(sequences):
        if type(sequence) is not list:
            raise CorruptDatasetError(
                f"{source}: sequence {i} is a {type(sequence).__name__}, "
                f"expected a list of word ranks"
            )
    first_of = {}
    for i, sequence in enumerate(sequences):
        first = first_of.setdefault(id(sequence), i)
        if first != i:
            raise CorruptDatasetError(
                f"{source}: sequence {i} is the same list object as sequence {first}; "
                f"expected one list of its own per review"
            )
    ids = list(itertools.chain.from_iterable(sequences))
    if set(map(type, ids)) <= {int} and (not ids or (min(ids) >= 1 and max(ids) <= MAX_RANK)):
        return
    raise CorruptDatasetError(f"{source}: {_first_bad_id(sequences)}")


def _first_bad_id(sequences):
    """Where the first id that is not an int in [1, MAX_RANK] is, and what it is."""
    for i, sequence in enumerate(sequences):
        for j, value in enumerate(sequence):
            if type(value) is not int or not 1 <= value <= MAX_RANK:
                return (f"sequence {i}, position {j} holds {_describe(value)}, "
                        f"expected an int word rank in [1, {MAX_RANK}]")
    return "an id is not a word rank"  # pragma: no cover - only called on a bad id


def _describe(value):
    """A short description of any value read from a pickle (never its full repr)."""
    if type(value) is int and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"
    if type(value) in (int, float, bool):
        return f"{value!r} ({type(value).__name__})"
    return f"a {type(value).__name__}"


def read_word_index(path):
    """Return the ``{word: rank}`` dict from ``imdb_word_index.json``, validated."""
    data = read_capped(path, WORD_INDEX_BYTES, "a JSON object of word -> rank")
    with reading(path, "a JSON object of word -> rank"):
        try:
            index = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CorruptDatasetError(f"{path}: not a JSON file ({error})") from error
    if not isinstance(index, dict) or not index:
        raise CorruptDatasetError(f"{path}: expected a non-empty JSON object of word -> rank")
    ranks = index.values()
    if not all(type(rank) is int and 1 <= rank <= MAX_RANK for rank in ranks):
        raise CorruptDatasetError(f"{path}: every rank must be an int in [1, {MAX_RANK}]")
    if len(set(ranks)) != len(index):
        raise CorruptDatasetError(f"{path}: ranks must be distinct")
    return index
