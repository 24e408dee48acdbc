"""batch, padded_batch, unbatch and shuffle: sizes, remainders, padding, permutations."""

import numpy as np
import pytest

from dlpath.data import Dataset
from dlpath.random import set_seed


def test_batch_sizes_and_remainder_match_numpy_slicing():
    x = np.arange(23 * 2).reshape(23, 2)
    for source in (Dataset.from_tensor_slices(x), Dataset.from_generator(lambda: iter(x))):
        batches = list(source.batch(5).as_numpy_iterator())
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        np.testing.assert_array_equal(np.concatenate(batches), x)
        dropped = list(source.batch(5, drop_remainder=True).as_numpy_iterator())
        assert [len(b) for b in dropped] == [5, 5, 5, 5]


def test_batch_of_tuples_stacks_each_component():
    ds = Dataset.from_tensor_slices((np.zeros((7, 3)), np.arange(7))).map(
        lambda x, y: (x + y, y)).batch(4)
    (x0, y0), (x1, y1) = list(ds)
    assert x0.shape == (4, 3) and y1.tolist() == [4, 5, 6]
    np.testing.assert_array_equal(x1[:, 0], [4, 5, 6])


def test_batch_of_different_shapes_names_padded_batch():
    ds = Dataset.from_generator(lambda: iter([np.zeros(2), np.zeros(3)])).batch(2)
    with pytest.raises(ValueError, match="padded_batch"):
        list(ds)
    with pytest.raises(ValueError, match="batch_size"):
        Dataset.range(3).batch(0)


def test_padded_batch_pads_to_longest_or_given_shape():
    seqs = [[1], [2, 3, 4], [5, 6]]
    ds = Dataset.from_generator(lambda: iter(seqs))
    (first, second) = list(ds.padded_batch(2).as_numpy_iterator())
    np.testing.assert_array_equal(first, [[1, 0, 0], [2, 3, 4]])
    np.testing.assert_array_equal(second, [[5, 6]])
    fixed = next(ds.padded_batch(3, padded_shapes=(5,), padding_values=-1).as_numpy_iterator())
    np.testing.assert_array_equal(fixed[0], [1, -1, -1, -1, -1])
    with pytest.raises(ValueError, match="padded size 2"):
        list(ds.padded_batch(3, padded_shapes=(2,)))


def test_unbatch_inverts_batch():
    x = np.arange(10)
    ds = Dataset.from_tensor_slices((x, x * 2)).batch(3).unbatch()
    rows = list(ds.as_numpy_iterator())
    assert [int(a) for a, _ in rows] == list(range(10))
    assert [int(b) for _, b in rows] == list(range(0, 20, 2))


def test_seeded_shuffle_is_a_permutation_and_reproducible():
    ds = Dataset.range(50).shuffle(50, seed=3)
    order = [int(v) for v in ds]
    assert sorted(order) == list(range(50)) and order != list(range(50))
    assert [int(v) for v in Dataset.range(50).shuffle(50, seed=3)] == order
    second_epoch = [int(v) for v in ds]
    assert sorted(second_epoch) == list(range(50)) and second_epoch != order


def test_reshuffle_each_iteration_false_repeats_the_order():
    ds = Dataset.range(20).shuffle(20, reshuffle_each_iteration=False)
    orders = [[int(v) for v in ds] for _ in range(3)]
    assert orders[0] == orders[1] == orders[2]
    repeated = [int(v) for v in ds.repeat(2)]
    assert repeated[:20] == repeated[20:]


def test_shuffle_buffer_limits_how_far_an_element_moves_earlier():
    order = [int(v) for v in Dataset.range(200).shuffle(5, seed=0)]
    assert sorted(order) == list(range(200))
    # with a buffer of 5, the element at output position i was among inputs 0..i+4
    assert all(value <= position + 4 for position, value in enumerate(order))
    assert [int(v) for v in Dataset.range(10).shuffle(1)] == list(range(10))


def test_unseeded_shuffle_follows_set_seed():
    set_seed(7)
    first = [int(v) for v in Dataset.range(30).shuffle(30)]
    set_seed(7)
    assert [int(v) for v in Dataset.range(30).shuffle(30)] == first


def test_shuffle_then_repeat_reshuffles_each_epoch():
    ds = Dataset.range(10).shuffle(10, seed=1).repeat(2).batch(10)
    a, b = [sorted(batch.tolist()) for batch in ds], [batch.tolist() for batch in ds]
    assert a == [list(range(10))] * 2 and b[0] != b[1]
