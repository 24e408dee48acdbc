"""MNIST: the real IDX files, Keras' npz layout, folder search, and corrupt files."""

import gzip
import time
import warnings

import numpy as np
import pytest

from dlpath.datasets import CorruptDatasetError, DatasetNotFoundError, UnofficialFileWarning, mnist

# Synthetic files are not the official ones; tests that check the warning use pytest.warns.
pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_real_files_load_like_keras(real_data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the real IDX files are the official ones
        start = time.perf_counter()
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert x_train.min() == 0 and x_train.max() == 255
    assert x_train.flags.writeable


def test_explicit_folder_path_is_read(shared_data_dir):
    (_, y_train), _ = mnist.load_data(path=str(shared_data_dir / "mnist"))
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS


def test_files_in_data_root_are_found(tmp_path, monkeypatch, synth):
    expected = synth.write_mnist_idx_set(tmp_path / "data")
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    for actual, wanted in zip((x_train, y_train, x_test, y_test), expected):
        np.testing.assert_array_equal(actual, wanted)


def test_uncompressed_idx_files_are_read(tmp_path, monkeypatch, synth):
    expected = synth.write_mnist_idx_set(tmp_path / "data" / "mnist", gz=False)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    (x_train, _), (_, y_test) = mnist.load_data()
    np.testing.assert_array_equal(x_train, expected[0])
    np.testing.assert_array_equal(y_test, expected[3])


def test_keras_npz_is_preferred_to_idx_files(tmp_path, monkeypatch, synth):
    folder = tmp_path / "data" / "mnist"
    synth.write_mnist_idx_set(folder)
    x_train, y_train, _, _ = synth.write_mnist_npz(folder / "mnist.npz")
    # Make the IDX files unreadable: the npz must be used, not them.
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    with pytest.warns(UnofficialFileWarning, match="mnist.npz"):
        (x, y), _ = mnist.load_data()
    np.testing.assert_array_equal(x, x_train)
    np.testing.assert_array_equal(y, y_train)


def test_unofficial_copy_warns_once_per_file(tmp_path, monkeypatch, synth):
    synth.write_mnist_idx_set(tmp_path / "mnist")
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.warns(UnofficialFileWarning) as first:
        mnist.load_data()
    assert len(first) == 4  # the four synthetic files differ from the official ones
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mnist.load_data()


def test_missing_files_offline_name_folder_and_files(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    with pytest.raises(DatasetNotFoundError) as error:
        mnist.load_data()
    message = str(error.value)
    assert str(tmp_path / "data" / "mnist") in message
    assert "DLPATH_DATA" in message
    assert "mnist.npz" in message and "train-images-idx3-ubyte.gz" in message
    assert "DLPATH_OFFLINE" in message


def test_missing_explicit_path_is_an_error(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="no such file"):
        mnist.load_data(path=str(tmp_path / "nowhere" / "mnist.npz"))


def test_truncated_gzip_names_the_file(tmp_path, monkeypatch, synth):
    folder = tmp_path / "mnist"
    synth.write_mnist_idx_set(folder)
    images = folder / "train-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:-100])
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(CorruptDatasetError, match="train-images-idx3-ubyte.gz.*gzip"):
        mnist.load_data()


def test_wrong_magic_number_names_file_and_values(tmp_path, monkeypatch, synth):
    folder = tmp_path / "mnist"
    synth.write_mnist_idx_set(folder)
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    data = bytearray(gzip.decompress(labels.read_bytes()))
    data[3] = 3  # says 3 dimensions
    labels.write_bytes(gzip.compress(bytes(data)))
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(CorruptDatasetError, match=r"t10k-labels.*0x00000803.*0x00000801"):
        mnist.load_data()


def test_wrong_image_count_is_reported(tmp_path, monkeypatch, synth):
    folder = tmp_path / "mnist"
    synth.write_mnist_idx_set(folder)
    synth.write_idx(folder / "t10k-images-idx3-ubyte.gz", np.zeros((9999, 28, 28), np.uint8))
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(CorruptDatasetError, match=r"\(9999, 28, 28\).*\(10000, 28, 28\)"):
        mnist.load_data()


def test_label_out_of_range_is_reported(tmp_path, monkeypatch, synth):
    folder = tmp_path / "mnist"
    _, y_train, _, _ = synth.write_mnist_idx_set(folder)
    y_train = y_train.copy()
    y_train[5] = 10
    synth.write_idx(folder / "train-labels-idx1-ubyte.gz", y_train)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(CorruptDatasetError, match="labels go up to 10"):
        mnist.load_data()


def test_bad_npz_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "mnist").mkdir()
    (tmp_path / "mnist" / "mnist.npz").write_bytes(b"PK\x03\x04 truncated")
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(CorruptDatasetError, match="mnist.npz.*npz"):
        mnist.load_data()


def test_npz_with_missing_key_is_reported(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=np.zeros((1, 28, 28), np.uint8))
    with pytest.raises(CorruptDatasetError, match=r"missing arrays \['y_train'"):
        mnist.load_data(path=str(path))
