"""Where files are looked for: DLPATH_DATA, its root, the cache, DLPATH_OFFLINE."""

from pathlib import Path

import numpy as np
import pytest

from dlpath.datasets import DatasetNotFoundError, _paths, fashion_mnist, mnist

pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")


def test_search_order_is_subfolder_root_then_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    assert _paths.search_dirs("mnist") == [
        tmp_path / "data" / "mnist",
        tmp_path / "data",
        tmp_path / "cache" / "mnist",
    ]
    assert _paths.search_dirs("fashion_mnist", include_root=False) == [
        tmp_path / "data" / "fashion_mnist",
        tmp_path / "cache" / "fashion_mnist",
    ]


def test_default_cache_is_in_the_home_folder(monkeypatch):
    monkeypatch.delenv("DLPATH_CACHE")
    assert _paths.cache_root() == Path.home() / ".dlpath" / "datasets"


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("0", False),
                                             ("", False), ("false", False)])
def test_offline_flag_values(monkeypatch, value, expected):
    monkeypatch.setenv("DLPATH_OFFLINE", value)
    assert _paths.offline() is expected


def test_cache_is_used_when_data_folder_lacks_the_files(tmp_path, monkeypatch, synth):
    expected = synth.write_mnist_idx_set(tmp_path / "cache" / "mnist")
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "empty"))
    (_, y_train), _ = mnist.load_data()
    np.testing.assert_array_equal(y_train, expected[1])


def test_data_folder_wins_over_cache(tmp_path, monkeypatch, synth):
    synth.write_mnist_idx_set(tmp_path / "cache" / "mnist")
    folder = tmp_path / "data" / "mnist"
    synth.write_mnist_idx_set(folder)
    labels = np.full(60000, 7, np.uint8)
    synth.write_idx(folder / "train-labels-idx1-ubyte.gz", labels)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path / "data"))
    (_, y_train), _ = mnist.load_data()
    assert (y_train == 7).all()


def test_incomplete_idx_set_is_not_used(tmp_path, monkeypatch, synth):
    folder = tmp_path / "mnist"
    synth.write_mnist_idx_set(folder)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(DatasetNotFoundError):
        mnist.load_data()


def test_fashion_mnist_reads_its_own_folder_only(tmp_path, monkeypatch, synth):
    synth.write_mnist_idx_set(tmp_path)  # MNIST-named files in the root: not Fashion-MNIST
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(DatasetNotFoundError) as error:
        fashion_mnist.load_data()
    assert str(tmp_path / "fashion_mnist") in str(error.value)
    expected = synth.write_mnist_idx_set(tmp_path / "fashion_mnist")
    (x_train, y_train), (x_test, _) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    np.testing.assert_array_equal(y_train, expected[1])


def test_not_found_message_without_data_folder_explains_the_variable(tmp_path):
    with pytest.raises(DatasetNotFoundError) as error:
        mnist.load_data()
    message = str(error.value)
    assert "DLPATH_DATA=<dir>" in message and "<dir>/mnist/" in message
    assert str(tmp_path / "cache" / "mnist") in message
    assert isinstance(error.value, FileNotFoundError)
