"""scikit-learn's digits, split like a Keras loader."""

import numpy as np
import pytest

from dlpath.datasets import digits


def test_shapes_dtypes_and_ranges():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and x_test.shape == (360, 8, 8)
    assert x_train.dtype == np.float32 and y_train.dtype == np.int64
    assert x_train.min() == 0 and x_train.max() == 16
    assert set(np.unique(y_test)) == set(range(10))


def test_split_is_stratified_and_seeded():
    (_, y_train), (_, y_test) = digits.load_data(test_size=0.5, seed=3)
    share_train = np.bincount(y_train) / len(y_train)
    share_test = np.bincount(y_test) / len(y_test)
    np.testing.assert_allclose(share_train, share_test, atol=0.01)
    (_, again), _ = digits.load_data(test_size=0.5, seed=3)
    np.testing.assert_array_equal(y_train, again)
    (_, other), _ = digits.load_data(test_size=0.5, seed=4)
    assert not np.array_equal(y_train, other)


@pytest.mark.parametrize("test_size", [0.0, 1.0, -0.1, 5, "0.2"])
def test_bad_test_size_is_rejected(test_size):
    with pytest.raises(ValueError, match="digits.py: test_size"):
        digits.load_data(test_size=test_size)
