"""train_val_test_split: sizes, stratification, determinism, validation."""

import numpy as np
import pytest

from dlpath.datasets import train_val_test_split


def _data(n=1000, classes=4):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.repeat(np.arange(classes), n // classes)
    return x, y


def test_sizes_and_disjoint_cover():
    x, y = _data()
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = train_val_test_split(x, y)
    assert (len(x_train), len(x_val), len(x_test)) == (700, 150, 150)
    assert len(y_train) == 700 and len(y_val) == 150 and len(y_test) == 150
    ids = np.concatenate([x_train[:, 0], x_val[:, 0], x_test[:, 0]])
    assert sorted(ids.tolist()) == x[:, 0].tolist()


def test_rows_stay_with_their_labels():
    x, y = _data()
    (x_train, y_train), _, _ = train_val_test_split(x, y)
    np.testing.assert_array_equal(y[(x_train[:, 0] // 3).astype(int)], y_train)


def test_stratified_parts_keep_class_shares():
    x, y = _data()
    parts = train_val_test_split(x, y, val_size=0.2, test_size=0.2)
    for _, labels in parts:
        counts = np.bincount(labels, minlength=4)
        assert counts.max() - counts.min() <= 1


def test_same_seed_same_split_other_seed_other_split():
    x, y = _data()
    first = train_val_test_split(x, y, seed=1)[2][0]
    np.testing.assert_array_equal(first, train_val_test_split(x, y, seed=1)[2][0])
    assert not np.array_equal(first, train_val_test_split(x, y, seed=2)[2][0])


def test_zero_validation_gives_an_empty_part():
    x, y = _data()
    (x_train, _), (x_val, y_val), (x_test, _) = train_val_test_split(x, y, val_size=0.0)
    assert x_val.shape == (0, 3) and y_val.shape == (0,)
    assert len(x_train) + len(x_test) == 1000


def test_unstratified_split_accepts_continuous_targets():
    x, _ = _data()
    y = np.linspace(0, 1, 1000)
    (_, y_train), _, _ = train_val_test_split(x, y, stratify=False)
    assert len(y_train) == 700


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"val_size": 0.5, "test_size": 0.5}, "must be < 1"),
        ({"val_size": -0.1}, "val_size must be a fraction"),
        ({"test_size": 1.0}, "test_size must be a fraction"),
        ({"test_size": "0.1"}, "test_size must be a fraction"),
        ({"val_size": True}, "val_size must be a fraction"),
    ],
)
def test_bad_sizes_are_rejected(kwargs, message):
    x, y = _data()
    with pytest.raises(ValueError, match=message):
        train_val_test_split(x, y, **kwargs)


def test_length_mismatch_is_rejected():
    x, y = _data()
    with pytest.raises(ValueError, match="x has 1000 samples but y has 999"):
        train_val_test_split(x, y[:-1])
