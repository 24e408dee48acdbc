"""CIFAR-10: the real (re-packed) archive, extracted folders, and bad archives."""

import hashlib
import warnings

import numpy as np
import pytest

from dlpath.datasets import (
    CorruptDatasetError,
    DatasetNotFoundError,
    UnofficialFileWarning,
    UnsafePickleError,
    cifar10,
)

# Synthetic files are not the official ones; tests that check the warning record it.
pytestmark = pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")

# Regression checksums of the loaded arrays (sha256 of .tobytes()), NHWC uint8.
ARRAY_SHA256 = {
    "x_train": "47af8b02cfcfb6cdf3dbbd1969ad7f1b70f4413f6f80f437b020ee4e5bc8304a",
    "y_train": "2b7cd2f24487317614016b72ffd53071c3062f592f0eb300c18a770d41ae1253",
    "x_test": "f9b1e2130bab680db56eb06d886f7f1ad0f1183907ceff4659d1735c890f5b04",
    "y_test": "cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5",
}
BATCH_1_COUNTS = [1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981]


@pytest.fixture(scope="module")
def real_cifar(real_data_env):
    """The real archive, loaded once for the module; also the warnings it gave."""
    with real_data_env(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = cifar10.load_data()
    return data, caught


def test_real_archive_shapes_and_dtypes(real_cifar):
    (x_train, y_train), (x_test, y_test) = real_cifar[0]
    assert x_train.shape == (50000, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (50000, 1) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 32, 32, 3) and x_test.dtype == np.uint8
    assert y_test.shape == (10000, 1) and y_test.dtype == np.uint8
    assert x_train.flags.c_contiguous


def test_real_archive_labels_match_the_published_counts(real_cifar):
    (_, y_train), (_, y_test) = real_cifar[0]
    assert y_train.min() == 0 and y_train.max() == 9
    assert np.bincount(y_train[:, 0]).tolist() == [5000] * 10
    assert np.bincount(y_test[:, 0]).tolist() == [1000] * 10
    assert np.bincount(y_train[:10000, 0]).tolist() == BATCH_1_COUNTS
    assert y_train[:10, 0].tolist() == [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]
    assert y_test[:10, 0].tolist() == [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]


def test_real_archive_pixels_are_channels_last(real_cifar):
    (x_train, _), _ = real_cifar[0]
    means = x_train.reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(means, [125.307, 122.950, 113.865], atol=1e-3)


def test_real_archive_array_checksums(real_cifar):
    (x_train, y_train), (x_test, y_test) = real_cifar[0]
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for name, array in arrays.items():
        assert hashlib.sha256(array.tobytes()).hexdigest() == ARRAY_SHA256[name], name


def test_repacked_archive_gives_one_warning(real_cifar):
    caught = [w for w in real_cifar[1] if issubclass(w.category, UnofficialFileWarning)]
    assert len(caught) == 1
    assert "cifar-10-python.tar.gz" in str(caught[0].message)


# --- synthetic files (batches of 10 images) ----------------------------------------------


@pytest.fixture
def small_batches(monkeypatch):
    """Make the loader expect 10 images per batch."""
    monkeypatch.setattr(cifar10, "BATCH_SIZE", 10)


def _members(synth, folder="cifar-10-batches-py"):
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    return {f"{folder}/{name}": synth.cifar_batch_bytes(10, label_start=i)
            for i, name in enumerate(names)}


def test_synthetic_archive_order_and_layout(tmp_path, monkeypatch, synth, small_batches):
    synth.write_tar_gz(tmp_path / "cifar10" / "cifar-10-python.tar.gz", _members(synth))
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.warns(UnofficialFileWarning):
        (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (50, 32, 32, 3) and y_train.shape == (50, 1)
    assert x_test.shape == (10, 32, 32, 3)
    # Batch i starts with label i - 1; the test batch with 5.
    assert y_train[::10, 0].tolist() == [0, 1, 2, 3, 4] and y_test[0, 0] == 5
    # Row layout is R plane, G plane, B plane: pixel (0, 0) of image 0 is (0, 1024, 2048) % 256.
    assert x_train[0, 0, 0].tolist() == [0, 1024 % 256, 2048 % 256]
    assert x_train[0, 0, 1].tolist() == [1, 1025 % 256, 2049 % 256]


def test_extracted_folder_is_read(tmp_path, monkeypatch, synth, small_batches):
    for name, data in _members(synth).items():
        path = tmp_path / "cifar10" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.warns(UnofficialFileWarning, match="data_batch_1"):
        (x_train, _), (_, y_test) = cifar10.load_data()
    assert x_train.shape == (50, 32, 32, 3) and y_test[0, 0] == 5


def test_truncated_archive_names_the_file(tmp_path, synth, small_batches):
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", _members(synth))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CorruptDatasetError, match="cifar-10-python.tar.gz.*truncated"):
        cifar10.load_data(path=str(path))


def test_archive_without_test_batch_is_reported(tmp_path, synth, small_batches):
    members = _members(synth)
    del members["cifar-10-batches-py/test_batch"]
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", members)
    with pytest.raises(CorruptDatasetError, match="lacks the members.*test_batch"):
        cifar10.load_data(path=str(path))


def test_batch_with_wrong_shape_is_reported(tmp_path, synth):
    members = _members(synth)  # 10 images per batch, but the loader expects 10000
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", members)
    with pytest.raises(CorruptDatasetError, match=r"data_batch_\d.*\(10, 3072\).*\(10000, 3072\)"):
        cifar10.load_data(path=str(path))


def test_tampered_batch_is_refused_and_nothing_runs(tmp_path, synth, small_batches):
    marker = tmp_path / "marker"
    members = _members(synth)
    members["cifar-10-batches-py/data_batch_2"] = synth.tampered_pickle(marker)
    path = synth.write_tar_gz(tmp_path / "cifar-10-python.tar.gz", members)
    with pytest.raises(UnsafePickleError, match=r"data_batch_2.*(posix|os)\.system"):
        cifar10.load_data(path=str(path))
    assert not marker.exists()


def test_missing_archive_offline_names_folder_and_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    with pytest.raises(DatasetNotFoundError) as error:
        cifar10.load_data()
    message = str(error.value)
    assert str(tmp_path / "cifar10") in message and "cifar-10-python.tar.gz" in message
    assert "DLPATH_DATA" in message
