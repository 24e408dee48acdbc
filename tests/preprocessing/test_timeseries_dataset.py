"""timeseries_dataset_from_array equals Keras' documented examples."""

import numpy as np
import pytest

from dlpath.keras.utils import timeseries_dataset_from_array


def test_example_1_sampling_rate_and_stride():
    ds = timeseries_dataset_from_array(np.arange(99), None, sequence_length=10,
                                       sampling_rate=2, sequence_stride=3, batch_size=128)
    (batch,) = list(ds)
    assert batch[0].tolist() == list(range(0, 20, 2))
    assert batch[1].tolist() == list(range(3, 23, 2))
    assert batch[2].tolist() == list(range(6, 26, 2))
    assert batch[-1].tolist() == list(range(78, 98, 2))


def test_example_2_temporal_regression():
    data = np.arange(100)
    ds = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10)
    inputs, targets = next(iter(ds))
    np.testing.assert_array_equal(inputs[0], data[:10])
    assert targets[0] == data[10]


def test_example_3_many_to_many():
    x, y = np.arange(100), np.arange(100) * 2
    inputs = timeseries_dataset_from_array(x, None, sequence_length=20, sequence_stride=20)
    targets = timeseries_dataset_from_array(y, None, sequence_length=20, sequence_stride=20)
    for batch_x, batch_y in zip(inputs, targets):
        np.testing.assert_array_equal(batch_x[0], x[:20])
        np.testing.assert_array_equal(batch_y[1], y[20:40])


def test_batches_and_start_end_index_and_shuffle():
    data = np.arange(100)
    ds = timeseries_dataset_from_array(data, data * 2, sequence_length=9, batch_size=5)
    shapes = [x.shape for x, _ in ds]
    assert shapes == [(5, 9)] * 18 + [(2, 9)] and int(ds.cardinality()) == 19
    part = timeseries_dataset_from_array(data, data * 2, sequence_length=3, start_index=10,
                                         end_index=20, batch_size=None)
    windows = [(x.tolist(), int(t)) for x, t in part]
    assert windows[0] == ([10, 11, 12], 20) and windows[-1] == ([17, 18, 19], 34)
    assert len(windows) == 8
    shuffled = timeseries_dataset_from_array(data, None, sequence_length=4, shuffle=True,
                                             seed=0, batch_size=200)
    firsts = next(iter(shuffled))[:, 0]
    assert sorted(firsts.tolist()) == list(range(97)) and firsts.tolist() != list(range(97))
    with pytest.raises(ValueError, match="sequence_length"):
        timeseries_dataset_from_array(data, None, sequence_length=0)
    with pytest.raises(ValueError, match="end_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=5, end_index=5)
