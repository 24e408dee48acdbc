"""Building IMDb's ``imdb.npz`` sequences from the review texts.

The Large Movie Review Dataset (``aclImdb_v1.tar.gz`` or its extracted
``aclImdb/`` folder) holds one review per file, ``<split>/<pos|neg>/<id>_<rating>.txt``.
Keras' ``imdb.npz`` was made from these texts by this rule:

1. lower-case the ASCII letters A-Z only (other characters are kept as they are);
2. replace each of ``!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~``, tab and newline by a
   space (the apostrophe is kept, and ``<br />`` becomes ``br``);
3. split on single spaces and drop empty tokens;
4. replace each token by its rank in ``imdb_word_index.json``, dropping
   tokens that are not in the index.

Order within a split: the ``pos`` reviews by file name (sorted as strings),
then the ``neg`` reviews the same way; labels 1 for ``pos``, 0 for ``neg``.
"""

import string

import numpy as np

from ._bounded import read_capped
from ._errors import CorruptDatasetError
from ._tar import TarBounds, tar_files

TOP_FOLDER = "aclImdb"
REVIEW_FOLDERS = ("train/pos", "train/neg", "test/pos", "test/neg")
REVIEWS_PER_FOLDER = 12500
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
CHECKS = "12500 UTF-8 reviews in each of train/pos, train/neg, test/pos, test/neg"
REVIEW_BYTES = 1 << 20  # the longest labelled review takes 13.7 kB
# The official archive holds about 100,000 entries: the labelled reviews, as many
# unlabelled ones, and bag-of-words files of tens of MB.
ARCHIVE_BOUNDS = TarBounds(
    members=400_000,
    member_bytes=256 << 20,
    file_bytes=REVIEW_BYTES,
    kept_bytes=len(REVIEW_FOLDERS) * REVIEWS_PER_FOLDER * (8 << 10),
    total_bytes=2 << 30,
)

_TRANSLATION = str.maketrans(
    {**{char: " " for char in FILTERS}, **{char: char.lower() for char in string.ascii_uppercase}}
)


def tokenize(text):
    """Split a review into tokens by steps 1-3 of the rule in the module docstring."""
    return [token for token in text.translate(_TRANSLATION).split(" ") if token]


def raw_sequences(path, word_index):
    """Return ``(x_train, y_train, x_test, y_test)`` as ``imdb.npz`` holds them.

    Args:
        path: ``aclImdb_v1.tar.gz`` or the extracted ``aclImdb`` folder.
        word_index: ``{word: rank}`` from ``imdb_word_index.json``.
    """
    reviews = read_reviews(path)
    arrays = []
    for split in ("train", "test"):
        positive, negative = reviews[f"{split}/pos"], reviews[f"{split}/neg"]
        sequences = np.empty(len(positive) + len(negative), dtype=object)
        for i, text in enumerate(positive + negative):
            sequences[i] = [word_index[token] for token in tokenize(text) if token in word_index]
        labels = np.array([1] * len(positive) + [0] * len(negative), dtype=np.int64)
        arrays += [sequences, labels]
    return tuple(arrays)


def read_reviews(path):
    """``{"train/pos": [text, ...], ...}``, each list in file-name order, validated."""
    raw = _read_folder(path) if path.is_dir() else _read_archive(path)
    reviews = {}
    for folder in REVIEW_FOLDERS:
        files = raw.get(folder, {})
        if len(files) != REVIEWS_PER_FOLDER:
            raise CorruptDatasetError(
                f"{path}: {TOP_FOLDER}/{folder}/ has {len(files)} reviews, "
                f"expected {REVIEWS_PER_FOLDER}"
            )
        try:
            reviews[folder] = [files[name].decode("utf-8") for name in sorted(files)]
        except UnicodeDecodeError as error:
            raise CorruptDatasetError(
                f"{path}: a review in {TOP_FOLDER}/{folder}/ is not UTF-8 ({error})"
            ) from error
    return reviews


def _review_folder(relative_name):
    """``"train/pos"`` for ``"train/pos/0_9.txt"``; None for any other file."""
    folder, _, name = relative_name.rpartition("/")
    return folder if folder in REVIEW_FOLDERS and name.endswith(".txt") else None


def _read_archive(path):
    """``{folder: {file name: bytes}}`` streamed from the ``.tar.gz`` archive."""
    raw = {}
    prefix = TOP_FOLDER + "/"

    def relative(name):
        return name.removeprefix("./").removeprefix(prefix)

    def keep(name):
        return _review_folder(relative(name)) is not None

    expected = f"the IMDb review texts ({CHECKS})"
    for name, data in tar_files(path, keep, ARCHIVE_BOUNDS, expected):
        folder, _, file_name = relative(name).rpartition("/")
        raw.setdefault(folder, {})[file_name] = data
    return raw


def _read_folder(path):
    """``{folder: {file name: bytes}}`` from an extracted ``aclImdb`` folder."""
    raw = {}
    for folder in REVIEW_FOLDERS:
        directory = path / folder
        if directory.is_dir():
            raw[folder] = {
                item.name: read_capped(item, REVIEW_BYTES, "a review")
                for item in directory.glob("*.txt") if item.is_file()
            }
    return raw
