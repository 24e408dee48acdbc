"""tf.data pipelines equal their NumPy equivalents: sources, order, counts, batches."""

import numpy as np
import pytest

import dlpath.data as tfdata
from dlpath.data import Dataset
from dlpath.engine import Tensor


def values(dataset):
    return [np.asarray(e).tolist() for e in dataset.as_numpy_iterator()]


def test_from_tensor_slices_of_a_tuple_yields_rows_in_order():
    x, y = np.arange(12).reshape(6, 2), np.arange(6) * 10
    rows = list(Dataset.from_tensor_slices((x, y)))
    assert len(rows) == 6
    for i, (xi, yi) in enumerate(rows):
        np.testing.assert_array_equal(xi, x[i])
        assert int(yi) == y[i] and yi.numpy() == y[i]


def test_from_tensor_slices_of_dicts_and_nested_structures():
    data = {"a": np.arange(3), "b": (np.ones((3, 2)), np.array(["p", "q", "r"]))}
    rows = list(Dataset.from_tensor_slices(data).as_numpy_iterator())
    assert [r["a"].item() for r in rows] == [0, 1, 2]
    assert [r["b"][1].item() for r in rows] == ["p", "q", "r"]
    assert rows[0]["b"][0].shape == (2,)


def test_a_python_list_is_one_array_and_tensors_are_accepted():
    assert values(Dataset.from_tensor_slices([1, 2, 3])) == [1, 2, 3]
    assert values(Dataset.from_tensor_slices(Tensor(np.arange(3.0)))) == [0.0, 1.0, 2.0]


def test_from_tensor_slices_refuses_unequal_rows_and_scalars():
    with pytest.raises(ValueError, match="same number of rows"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="scalar"):
        Dataset.from_tensor_slices(np.float32(1))


def test_from_tensors_is_one_element():
    ds = Dataset.from_tensors((np.zeros((4, 2)), np.ones(4)))
    assert int(ds.cardinality()) == 1
    (x, y), = list(ds)
    assert x.shape == (4, 2) and y.shape == (4,)


def test_range_map_filter_take_skip_repeat_match_python():
    ds = Dataset.range(10).map(lambda v: v * 3).filter(lambda v: v % 2 == 0)
    assert values(ds) == [v * 3 for v in range(10) if (v * 3) % 2 == 0]
    assert values(Dataset.range(2, 11, 3)) == list(range(2, 11, 3))
    assert values(Dataset.range(5).repeat(3).skip(4).take(7)) == (
        list(range(5)) * 3)[4:11]
    assert values(Dataset.range(3).repeat().take(8)) == [0, 1, 2, 0, 1, 2, 0, 1]


def test_map_passes_tuple_components_as_arguments_and_accepts_tensors():
    ds = Dataset.from_tensor_slices((np.arange(4.0), np.arange(4))).map(
        lambda x, y: (Tensor(x) * 2.0, y + 1))
    rows = list(ds.as_numpy_iterator())
    assert [r[0].item() for r in rows] == [0.0, 2.0, 4.0, 6.0]
    assert [r[1].item() for r in rows] == [1, 2, 3, 4]
    assert type(rows[0][0]) is np.ndarray  # as_numpy_iterator: plain arrays


def test_map_a_returned_list_becomes_a_tuple_and_dict_elements_pass_whole():
    ds = Dataset.from_tensor_slices({"a": np.arange(3)}).map(lambda d: [d["a"], d["a"] * 2])
    assert [tuple(int(v) for v in e) for e in ds] == [(0, 0), (1, 2), (2, 4)]


def test_zip_enumerate_concatenate_orders():
    a, b = Dataset.range(4), Dataset.range(10, 13)
    assert [tuple(int(v) for v in e) for e in Dataset.zip(a, b)] == [(0, 10), (1, 11), (2, 12)]
    assert [tuple(int(v) for v in e) for e in Dataset.zip((a, b))] == [(0, 10), (1, 11),
                                                                       (2, 12)]
    zipped = list(Dataset.zip({"x": a, "y": b}).as_numpy_iterator())
    assert zipped[1] == {"x": 1, "y": 11}
    assert [(int(i), int(v)) for i, v in b.enumerate(start=5)] == [(5, 10), (6, 11), (7, 12)]
    assert values(a.concatenate(b)) == [0, 1, 2, 3, 10, 11, 12]


def test_from_generator_is_called_again_for_each_iteration_and_casts():
    calls = []

    def gen(n):
        calls.append(n)
        for i in range(int(n)):
            yield i, np.full((2,), i)

    ds = Dataset.from_generator(gen, args=(3,), output_signature=(
        tfdata.TensorSpec((), "float32"), tfdata.TensorSpec((None,), "int32")))
    first = list(ds.as_numpy_iterator())
    assert len(list(ds)) == 3 and len(calls) == 2
    assert first[2][0].dtype == np.float32 and first[2][1].dtype == np.int32
    assert int(ds.cardinality()) == tfdata.UNKNOWN_CARDINALITY


def test_from_generator_types_and_bad_shapes():
    ds = Dataset.from_generator(lambda: iter([1, 2]), output_types="float64")
    assert [e.dtype for e in ds.as_numpy_iterator()] == [np.float64] * 2
    bad = Dataset.from_generator(lambda: iter([np.zeros(3)]),
                                 output_signature=tfdata.TensorSpec((2,), "float32"))
    with pytest.raises(ValueError, match=r"shape \(3,\), expected \(2,\)"):
        list(bad)


def test_iteration_yields_arrays_with_numpy_method():
    x, = list(Dataset.from_tensors(np.arange(3)))
    assert isinstance(x, np.ndarray) and type(x.numpy()) is np.ndarray
    np.testing.assert_array_equal(x.numpy(), [0, 1, 2])


def test_cardinality_values():
    inf, unknown = tfdata.INFINITE_CARDINALITY, tfdata.UNKNOWN_CARDINALITY
    ds = Dataset.range(10)
    assert (inf, unknown) == (-1, -2)
    cases = {
        ds: 10, ds.batch(3): 4, ds.batch(3, drop_remainder=True): 3, ds.repeat(2): 20,
        ds.repeat(): inf, ds.repeat().take(5): 5, ds.skip(4): 6, ds.take(20): 10,
        ds.filter(lambda v: v > 2): unknown, ds.shuffle(3): 10, ds.map(lambda v: v): 10,
        Dataset.zip(ds, ds.take(4)): 4, ds.concatenate(ds.repeat()): inf,
        ds.batch(2).unbatch(): unknown, ds.shard(3, 1): 3,
    }
    for dataset, expected in cases.items():
        assert int(dataset.cardinality()) == expected
        assert int(tfdata.experimental.cardinality(dataset)) == expected
    assert ds.cardinality().numpy() == 10
    assert len(ds.batch(4)) == 3
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())


def test_element_spec_from_the_first_element():
    ds = Dataset.from_tensor_slices((np.zeros((5, 3), np.float32), np.arange(5))).batch(2)
    spec_x, spec_y = ds.element_spec
    assert spec_x == tfdata.TensorSpec((None, 3), "float32")
    assert spec_y.shape == (None,) and spec_y.dtype == np.int64


def test_cache_replays_after_a_full_pass_only():
    calls = []

    def gen():
        for i in range(3):
            calls.append(i)
            yield i

    ds = Dataset.from_generator(gen).cache()
    assert values(ds.take(1)) == [0]
    assert values(ds) == [0, 1, 2] and values(ds) == [0, 1, 2]
    assert calls == [0, 0, 1, 2]


def test_reduce_apply_prefetch_take_while():
    assert int(Dataset.range(5).reduce(np.int64(0), lambda s, e: s + e)) == 10
    assert values(Dataset.range(4).apply(lambda d: d.skip(2)).prefetch(tfdata.AUTOTUNE)) == [
        2, 3]
    assert values(Dataset.range(9).take_while(lambda v: v < 3)) == [0, 1, 2]
    assert values(Dataset.range(2).flat_map(lambda v: Dataset.range(v + 1))) == [0, 0, 1]


def test_infinite_pipeline_is_never_materialised():
    ds = Dataset.range(10**12).repeat().map(lambda v: v + 1).shuffle(8, seed=0).batch(4)
    batch = next(iter(ds))
    assert batch.shape == (4,) and int(batch.max()) < 20


def test_map_through_a_layer_yields_arrays_without_a_graph():
    from dlpath.keras.layers import Dense

    layer = Dense(2)
    ds = Dataset.from_tensor_slices(np.ones((4, 3), np.float32)).batch(2).map(layer)
    batches = list(ds.as_numpy_iterator())
    assert [b.shape for b in batches] == [(2, 2), (2, 2)] and type(batches[0]) is np.ndarray
    assert all(w.grad is None for w in layer.trainable_weights)
