"""reuters.load_data with Keras' exact semantics on a fixture file in the official format."""

import json

import numpy as np
import pytest

from dlpath.datasets import CorruptDatasetError, DatasetNotFoundError, reuters
from dlpath.keras.datasets import reuters as keras_reuters

COUNT = 11228


def raw_data(seed=0):
    rng = np.random.default_rng(seed)
    xs = np.empty(COUNT, dtype=object)
    for i in range(COUNT):
        xs[i] = [int(v) for v in rng.integers(1, 60, rng.integers(1, 8))]
    return xs, rng.integers(0, 46, COUNT).astype(np.int64)


def keras_reference(xs, labels, num_words=None, skip_top=0, maxlen=None, test_split=0.2,
                    seed=113, start_char=1, oov_char=2, index_from=3):
    """Keras' published steps, written out independently."""
    rng = np.random.RandomState(seed)
    order = np.arange(len(xs))
    rng.shuffle(order)
    xs, labels = xs[order], labels[order]
    xs = [[start_char] + [w + index_from for w in x] for x in xs]
    if maxlen:
        pairs = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
        xs, labels = [p[0] for p in pairs], [p[1] for p in pairs]
    num_words = num_words or max(max(x) for x in xs)
    xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    cut = int(len(xs) * (1 - test_split))
    return (xs[:cut], list(labels[:cut])), (xs[cut:], list(labels[cut:]))


@pytest.fixture
def files(tmp_path, monkeypatch):
    xs, labels = raw_data()
    folder = tmp_path / "reuters"
    folder.mkdir()
    np.savez(folder / "reuters.npz", x=xs, y=labels)
    (folder / "reuters_word_index.json").write_text(json.dumps({"the": 1, "said": 2}))
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    return xs, labels


@pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")
@pytest.mark.parametrize("kwargs", [{}, {"num_words": 20, "skip_top": 5, "maxlen": 6,
                                          "test_split": 0.3, "seed": 7}])
def test_load_data_equals_keras_steps(files, kwargs):
    (x_train, y_train), (x_test, y_test) = keras_reuters.load_data(**kwargs)
    (rx_train, ry_train), (rx_test, ry_test) = keras_reference(*files, **kwargs)
    assert x_train.dtype == object and y_train.dtype == np.int64
    assert list(x_train) == rx_train and list(x_test) == rx_test
    assert y_train.tolist() == ry_train and y_test.tolist() == ry_test


@pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")
def test_oov_none_drops_and_word_index_and_label_names(files):
    (x_train, _), _ = reuters.load_data(num_words=10, oov_char=None, start_char=None)
    assert all(all(w < 10 for w in x) for x in x_train)
    assert reuters.get_word_index() == {"the": 1, "said": 2}
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[-1] == "lead"


def test_bad_files_and_arguments(tmp_path):
    with pytest.raises(ValueError, match="test_split"):
        reuters.load_data(test_split=1.0)
    np.savez(tmp_path / "short.npz", x=np.zeros(3), y=np.zeros(3))
    with pytest.raises(CorruptDatasetError, match="expected object"):
        reuters.load_data(path=str(tmp_path / "short.npz"))


def test_offline_error_names_both_files():
    with pytest.raises(DatasetNotFoundError, match=r"reuters\.npz.*reuters/"):
        reuters.load_data()
    with pytest.raises(DatasetNotFoundError, match="reuters_word_index.json"):
        reuters.get_word_index()
