"""cifar100.load_data on a small archive in the official format, and offline errors."""

import io
import pickle
import tarfile

import numpy as np
import pytest

from dlpath.datasets import (
    CorruptDatasetError, DatasetNotFoundError, UnofficialFileWarning, UnsafePickleError,
    cifar100,
)
from dlpath.keras.datasets import cifar100 as keras_cifar100


def split_dict(count, seed):
    rng = np.random.default_rng(seed)
    return {b"data": rng.integers(0, 256, (count, 3072), dtype=np.uint8),
            b"fine_labels": [int(v) for v in rng.integers(0, 100, count)],
            b"coarse_labels": [int(v) for v in rng.integers(0, 20, count)],
            b"filenames": [b"f%d.png" % i for i in range(count)], b"batch_label": b"x"}


def write_archive(path, splits, protocol=3):
    with tarfile.open(path, "w:gz") as archive:
        for name, content in splits.items():
            data = content if isinstance(content, bytes) else pickle.dumps(content, protocol)
            info = tarfile.TarInfo(f"cifar-100-python/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def archive(tmp_path, monkeypatch):
    splits = {"train": split_dict(6, 0), "test": split_dict(4, 1), "meta": {b"x": 1}}
    folder = tmp_path / "data" / "cifar100"
    folder.mkdir(parents=True)
    write_archive(folder / "cifar-100-python.tar.gz", splits)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    return splits


def test_fine_and_coarse_labels_and_channels_last_images(archive):
    with pytest.warns(UnofficialFileWarning):
        (x_train, y_train), (x_test, y_test) = keras_cifar100.load_data()
    assert x_train.shape == (6, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (6, 1) and y_train.dtype == np.int64 and x_test.shape[0] == 4
    raw = archive["train"][b"data"].reshape(6, 3, 32, 32)
    np.testing.assert_array_equal(x_train[2, 5, 7], raw[2, :, 5, 7])
    assert y_train.ravel().tolist() == archive["train"][b"fine_labels"]
    (_, coarse), (_, coarse_test) = cifar100.load_data(label_mode="coarse")
    assert coarse.ravel().tolist() == archive["train"][b"coarse_labels"]
    assert coarse_test.ravel().tolist() == archive["test"][b"coarse_labels"]


def test_extracted_folder_is_read_too(tmp_path):
    folder = tmp_path / "cifar-100-python"
    folder.mkdir()
    for name, count in (("train", 3), ("test", 2)):
        (folder / name).write_bytes(pickle.dumps(split_dict(count, count)))
    (x_train, _), (x_test, _) = cifar100.load_data(path=str(folder))
    assert x_train.shape == (3, 32, 32, 3) and x_test.shape == (2, 32, 32, 3)


@pytest.mark.filterwarnings("error::dlpath.datasets.UnofficialFileWarning")
def test_bad_label_mode_damaged_split_and_hostile_pickle(tmp_path):
    with pytest.raises(ValueError, match="label_mode must be 'fine' or 'coarse'"):
        cifar100.load_data(label_mode="medium")
    bad = split_dict(2, 0)
    bad[b"fine_labels"] = [0, 100]
    write_archive(tmp_path / "a.tar.gz", {"train": bad, "test": split_dict(1, 0)})
    with pytest.raises(CorruptDatasetError, match="0..99"):
        cifar100.load_data(path=str(tmp_path / "a.tar.gz"))
    write_archive(tmp_path / "b.tar.gz", {"train": split_dict(1, 0)})
    with pytest.raises(CorruptDatasetError, match="lacks the members"):
        cifar100.load_data(path=str(tmp_path / "b.tar.gz"))
    hostile = b"cos\nsystem\n(S'true'\ntR."
    write_archive(tmp_path / "c.tar.gz", {"train": hostile, "test": split_dict(1, 0)})
    with pytest.raises(UnsafePickleError):
        cifar100.load_data(path=str(tmp_path / "c.tar.gz"))


def test_offline_error_says_which_file_to_put_where():
    with pytest.raises(DatasetNotFoundError, match=r"cifar-100-python\.tar\.gz.*cifar100/"):
        cifar100.load_data()
