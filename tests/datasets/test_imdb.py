"""IMDb: Keras' load_data semantics, the real files, and the review-text path."""

import os
import warnings

import numpy as np
import pytest

from dlpath.datasets import CorruptDatasetError, DatasetNotFoundError, imdb
from dlpath.datasets._imdb_files import read_imdb_npz
from dlpath.datasets._imdb_texts import tokenize

# Synthetic files are not the official ones.
pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")

README_X_TRAIN_0 = [1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65, 458, 4468]
README_X_TEST_0 = [1, 591, 202, 14, 31, 6, 717, 10, 10, 18142, 10698, 5]


def _load_quietly(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the shared imdb.npz and archive are rebuilt copies
        return imdb.load_data(**kwargs)


@pytest.fixture(scope="module")
def from_npz(real_data_env):
    """``load_data(num_words=10000)`` from the real imdb.npz, once per module."""
    with real_data_env():
        return _load_quietly(num_words=10000)


@pytest.fixture(scope="module")
def raw(shared_data_dir):
    """The raw (unshuffled) arrays stored in the real imdb.npz."""
    return read_imdb_npz(shared_data_dir / "imdb" / "imdb.npz")


# --- real files ------------------------------------------------------------------------


def test_shapes_dtypes_and_labels(from_npz):
    (x_train, y_train), (x_test, y_test) = from_npz
    assert x_train.shape == (25000,) and x_train.dtype == object
    assert x_test.shape == (25000,) and x_test.dtype == object
    assert all(type(sequence) is list for sequence in x_train[:100])
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert np.bincount(y_train).tolist() == [12500, 12500]
    assert np.bincount(y_test).tolist() == [12500, 12500]
    assert y_train[:10].tolist() == [1, 0, 0, 1, 0, 0, 1, 0, 1, 0]


def test_sequences_follow_keras_rules(from_npz):
    (x_train, _), (x_test, _) = from_npz
    assert x_train[0][:12] == README_X_TRAIN_0 and len(x_train[0]) == 218
    # ids 18142 and 10698 are >= num_words: they become oov_char 2.
    assert x_test[0][:12] == README_X_TEST_0[:9] + [2, 2, 5] and len(x_test[0]) == 68
    assert all(sequence[0] == 1 for sequence in x_train)
    assert max(max(sequence) for sequence in x_train) == 9999
    assert min(min(sequence) for sequence in x_test) >= 1
    # Lengths do not depend on num_words (cut words become oov_char).
    lengths_train = [len(sequence) for sequence in x_train]
    lengths_test = [len(sequence) for sequence in x_test]
    assert np.mean(lengths_train) == pytest.approx(238.71364)
    assert (max(lengths_train), min(lengths_train)) == (2494, 11)
    assert np.mean(lengths_test) == pytest.approx(230.8042)
    assert (max(lengths_test), min(lengths_test)) == (2315, 7)


def test_raw_file_contents(raw):
    x_train, y_train, x_test, _ = raw
    assert y_train[:12500].tolist() == [1] * 12500 and y_train[12500:].tolist() == [0] * 12500
    assert max(max(sequence) for sequence in x_train) == 88584
    assert max(max(sequence) for sequence in x_test) == 88581


def test_default_arguments_keep_all_but_the_largest_id(raw):
    # Keras sets num_words to the largest id and keeps ids < num_words, so the single
    # largest id (88584 + 3) becomes oov_char as well.
    subset = tuple(array[:2000] for array in raw[:2]) + tuple(array[:2000] for array in raw[2:])
    (x_train, _), _ = imdb.keras_transform(
        *subset, num_words=None, skip_top=0, maxlen=None, seed=113,
        start_char=1, oov_char=2, index_from=3,
    )
    largest = max(max(s) for s in subset[0] + subset[2]) + 3
    assert all(w < largest for sequence in x_train for w in sequence)


def test_review_texts_give_the_same_result_as_npz(from_npz, shared_data_dir, tmp_path,
                                                  monkeypatch):
    folder = tmp_path / "data" / "imdb"
    folder.mkdir(parents=True)
    for name in ("aclImdb_v1.tar.gz", "imdb_word_index.json"):
        os.symlink(shared_data_dir / "imdb" / name, folder / name)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    (x_train, y_train), (x_test, y_test) = _load_quietly(num_words=10000)
    (npz_x_train, npz_y_train), (npz_x_test, npz_y_test) = from_npz
    np.testing.assert_array_equal(y_train, npz_y_train)
    np.testing.assert_array_equal(y_test, npz_y_test)
    assert x_train.tolist() == npz_x_train.tolist()
    assert x_test.tolist() == npz_x_test.tolist()


def test_word_index(real_data):
    word_index = imdb.get_word_index()
    assert len(word_index) == 88584
    assert word_index["the"] == 1 and word_index["and"] == 2 and word_index["br"] == 7
    assert sorted(word_index.values()) == list(range(1, 88585))


# --- Keras semantics on small data ----------------------------------------------------


def _small_raw():
    """Raw ranks; labels are the sequence numbers, so the shuffle can be traced."""
    x_train = np.empty(3, dtype=object)
    x_train[:] = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]]
    x_test = np.empty(2, dtype=object)
    x_test[:] = [[3, 1], [11]]
    return x_train, np.array([0, 1, 2]), x_test, np.array([10, 11])


def _transform(**kwargs):
    arguments = {"num_words": None, "skip_top": 0, "maxlen": None, "seed": 113,
                 "start_char": 1, "oov_char": 2, "index_from": 3}
    arguments.update(kwargs)
    (x_train, y_train), (x_test, y_test) = imdb.keras_transform(*_small_raw(), **arguments)
    by_label = {int(label): seq for label, seq in zip(y_train, x_train)}
    by_label.update({int(label): seq for label, seq in zip(y_test, x_test)})
    return by_label, (x_train, y_train), (x_test, y_test)


def test_shuffle_uses_one_random_state_for_train_then_test():
    _, (x_train, y_train), (_, y_test) = _transform(seed=7)
    rng = np.random.RandomState(7)
    train_order, test_order = np.arange(3), np.arange(2)
    rng.shuffle(train_order)
    rng.shuffle(test_order)
    assert y_train.tolist() == train_order.tolist()
    assert y_test.tolist() == (10 + test_order).tolist()
    assert x_train.dtype == object and x_train.shape == (3,)


def test_start_char_and_index_from_with_largest_id_cut():
    by_label, _, _ = _transform()
    # ids: start 1, ranks + 3; num_words defaults to the largest id (14), which is cut.
    assert by_label == {0: [1, 4, 5, 6], 1: [1, 7, 8], 2: [1, 9, 10, 11, 12, 13],
                        10: [1, 6, 4], 11: [1, 2]}


def test_num_words_and_skip_top_replace_with_oov():
    by_label, _, _ = _transform(num_words=8, skip_top=5)
    assert by_label == {0: [2, 2, 5, 6], 1: [2, 7, 2], 2: [2, 2, 2, 2, 2, 2],
                        10: [2, 6, 2], 11: [2, 2]}


def test_oov_char_none_drops_cut_words():
    by_label, _, _ = _transform(num_words=8, skip_top=5, oov_char=None)
    assert by_label == {0: [5, 6], 1: [7], 2: [], 10: [6], 11: []}


def test_maxlen_keeps_sequences_strictly_shorter():
    by_label, (x_train, _), (x_test, _) = _transform(maxlen=4)
    assert by_label == {1: [1, 7, 8], 10: [1, 6, 4], 11: [1, 2]}
    assert x_train.shape == (1,) and x_test.shape == (2,)


def test_maxlen_that_keeps_nothing_is_an_error():
    with pytest.raises(ValueError, match="maxlen=2, no sequence was kept"):
        _transform(maxlen=2)


def test_no_start_char_no_offset_gives_raw_ranks():
    by_label, _, _ = _transform(start_char=None, index_from=0, num_words=100)
    assert by_label == {0: [1, 2, 3], 1: [4, 5], 2: [6, 7, 8, 9, 10], 10: [3, 1], 11: [11]}


def test_equal_length_sequences_still_give_a_1d_object_array():
    x = np.empty(2, dtype=object)
    x[:] = [[1, 2], [3, 4]]
    (x_train, _), _ = imdb.keras_transform(x, np.array([0, 1]), x, np.array([0, 1]),
                                           None, 0, None, 113, 1, 2, 3)
    assert x_train.shape == (2,) and x_train.dtype == object


# --- tokenization and bad files -------------------------------------------------------


def test_tokenizer_lowercases_ascii_only_and_keeps_apostrophes():
    assert tokenize("It's <br />GREAT,\tÜber-Film!") == ["it's", "br", "great", "Über", "film"]


def test_missing_files_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(DatasetNotFoundError) as error:
        imdb.load_data()
    message = str(error.value)
    assert str(tmp_path / "imdb") in message and "imdb.npz" in message
    assert "aclImdb_v1.tar.gz" in message and "DLPATH_DATA" in message


def test_corrupt_npz_names_the_file(tmp_path):
    path = tmp_path / "imdb.npz"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(CorruptDatasetError, match="imdb.npz"):
        imdb.load_data(path=str(path))


def test_npz_with_wrong_structure_is_reported(tmp_path):
    path = tmp_path / "imdb.npz"
    np.savez(path, x_train=np.zeros(3), y_train=np.zeros(3), x_test=np.zeros(3),
             y_test=np.zeros(3))
    message = r"\[x_train\].*float64 \(3,\).*expected object \(25000,\)"
    with pytest.raises(CorruptDatasetError, match=message):
        imdb.load_data(path=str(path))


def test_truncated_review_archive_names_the_file(tmp_path, synth):
    archive = synth.write_tar_gz(tmp_path / "imdb" / "aclImdb_v1.tar.gz",
                                 {"aclImdb/train/pos/0_9.txt": b"good " * 20000})
    archive.write_bytes(archive.read_bytes()[:200])
    (tmp_path / "imdb" / "imdb_word_index.json").write_text('{"good": 1}')
    with pytest.raises(CorruptDatasetError, match="aclImdb_v1.tar.gz.*truncated"):
        imdb.load_data(path=str(archive))


def test_review_folder_with_missing_reviews_is_reported(tmp_path):
    folder = tmp_path / "aclImdb" / "train" / "pos"
    folder.mkdir(parents=True)
    (folder / "0_9.txt").write_text("good")
    (tmp_path / "imdb_word_index.json").write_text('{"good": 1}')
    with pytest.raises(CorruptDatasetError, match=r"train/pos/ has 1 reviews, expected 12500"):
        imdb.load_data(path=str(tmp_path / "aclImdb"))


def test_bad_word_index_is_reported(tmp_path):
    path = tmp_path / "imdb_word_index.json"
    path.write_text('{"the": 1, "and": 1}')
    with pytest.raises(CorruptDatasetError, match="ranks must be distinct"):
        imdb.get_word_index(str(path))
    path.write_text("{not json")
    with pytest.raises(CorruptDatasetError, match="not a JSON file"):
        imdb.get_word_index(str(path))
