"""boston_housing.load_data with Keras' shuffle and split on a fixture file."""

import numpy as np
import pytest

from dlpath.datasets import CorruptDatasetError, DatasetNotFoundError, boston_housing
from dlpath.keras.datasets import boston_housing as keras_boston


@pytest.fixture
def arrays(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    x, y = rng.random((506, 13)) * 100, rng.random(506) * 50
    (tmp_path / "boston_housing").mkdir()
    np.savez(tmp_path / "boston_housing" / "boston_housing.npz", x=x, y=y)
    monkeypatch.setenv("DLPATH_DATA", str(tmp_path))
    return x, y


@pytest.mark.filterwarnings("ignore::dlpath.datasets.UnofficialFileWarning")
@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.5, 3)])
def test_split_equals_keras_shuffle(arrays, test_split, seed):
    x, y = arrays
    (x_train, y_train), (x_test, y_test) = keras_boston.load_data(test_split=test_split,
                                                                  seed=seed)
    order = np.arange(506)
    np.random.RandomState(seed).shuffle(order)
    cut = int(506 * (1 - test_split))
    np.testing.assert_array_equal(x_train, x[order][:cut])
    np.testing.assert_array_equal(y_test, y[order][cut:])
    assert x_train.shape == (cut, 13) and y_train.dtype == np.float64
    assert len(x_test) == 506 - cut


def test_bad_split_bad_file_and_offline(tmp_path):
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=-0.1)
    np.savez(tmp_path / "b.npz", x=np.zeros((5, 13)), y=np.zeros(5))
    with pytest.raises(CorruptDatasetError, match="506, 13"):
        boston_housing.load_data(path=str(tmp_path / "b.npz"))
    with pytest.raises(DatasetNotFoundError, match=r"boston_housing\.npz.*boston_housing/"):
        boston_housing.load_data()
