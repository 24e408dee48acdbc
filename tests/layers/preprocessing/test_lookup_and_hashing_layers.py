"""StringLookup, IntegerLookup, CategoryEncoding and Hashing: Keras' documented examples,
OOV and mask behaviour, inversion, output modes and errors."""

import numpy as np
import pytest

from dlpath.layers import CategoryEncoding, Hashing, IntegerLookup, StringLookup
from dlpath.layers.arguments import InvalidArgumentError
from dlpath.layers.preprocessing import hashes

DATA = np.array([["a", "c", "d"], ["d", "z", "b"]])


def test_string_lookup_maps_vocabulary_and_oov_as_keras_documents():
    layer = StringLookup(vocabulary=["a", "b", "c", "d"])
    np.testing.assert_array_equal(layer(DATA).data, [[1, 3, 4], [4, 0, 2]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
    masked = StringLookup(vocabulary=["a", "b", "c", "d"], mask_token="")
    np.testing.assert_array_equal(masked(np.array([["a", ""], ["z", "d"]])).data,
                                  [[2, 0], [1, 5]])
    inverse = StringLookup(vocabulary=["a", "b", "c", "d"], invert=True)
    np.testing.assert_array_equal(inverse(np.array([[1, 3, 4], [4, 0, 2]])),
                                  [["a", "c", "d"], ["d", "[UNK]", "b"]])


def test_several_oov_indices_hash_with_farmhash_as_keras():
    layer = StringLookup(vocabulary=["a", "b"], num_oov_indices=3)
    out = layer(np.array(["a", "x", "y", "b"])).data
    buckets = [hashes.fingerprint64(t.encode()) % 3 for t in ("x", "y")]
    np.testing.assert_array_equal(out, [3, buckets[0], buckets[1], 4])
    integers = IntegerLookup(vocabulary=[10, 20], num_oov_indices=2)
    np.testing.assert_array_equal(integers(np.array([10, 7, 8, 20])).data, [2, 1, 0, 3])


def test_no_oov_index_makes_unknown_tokens_an_error():
    layer = StringLookup(vocabulary=["a"], num_oov_indices=0)
    np.testing.assert_array_equal(layer(["a"]).data, [0])
    with pytest.raises(InvalidArgumentError, match="outside the vocabulary.*'q'"):
        layer(["a", "q"])


def test_integer_lookup_as_keras_documents_and_adapt_order():
    layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    np.testing.assert_array_equal(layer(np.array([[12, 1138, 42], [42, 1000, 36]])).data,
                                  [[1, 3, 4], [4, 0, 2]])
    adapted = IntegerLookup()
    adapted.adapt(np.array([[12, 1138, 42], [42, 1000, 36], [36, 5, 5]]))
    assert adapted.get_vocabulary() == [-1, 42, 36, 5, 1138, 1000, 12]
    inverse = IntegerLookup(vocabulary=[12, 36], invert=True)
    np.testing.assert_array_equal(inverse(np.array([1, 2, 0, 9])).data, [12, 36, -1, -1])


def test_adapt_orders_by_count_then_larger_token_and_caps_at_max_tokens():
    layer = StringLookup(max_tokens=4)
    layer.adapt(np.array(["b", "a", "c", "c", "d", "a", "e"]))
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "e"]


@pytest.mark.parametrize("mode, expected", [
    ("one_hot", [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]),
    ("multi_hot", [[1, 1, 0, 1]]),
    ("count", [[1, 1, 0, 1]]),
])
def test_string_lookup_vector_outputs(mode, expected):
    layer = StringLookup(vocabulary=["a", "b", "c"], output_mode=mode)
    data = np.array(["a", "c", "q"]) if mode == "one_hot" else np.array([["a", "c", "q"]])
    np.testing.assert_array_equal(layer(data).data, expected)


def test_mask_tokens_are_dropped_from_vectors_and_tf_idf_uses_given_weights():
    layer = StringLookup(vocabulary=["a", "b"], mask_token="", output_mode="count")
    np.testing.assert_array_equal(layer(np.array([["a", "", "a"]])).data, [[0, 2, 0]])
    tf_idf = StringLookup(vocabulary=["a", "b", "c", "d"], idf_weights=[0.25, 0.75, 0.6, 0.4],
                          output_mode="tf_idf")
    np.testing.assert_allclose(tf_idf(DATA).data, [[0, 0.25, 0, 0.6, 0.4],
                                                   [0.5, 0, 0.75, 0, 0.4]], rtol=1e-6)


def test_category_encoding_modes_as_keras_documents():
    one_hot = CategoryEncoding(num_tokens=4, output_mode="one_hot")
    np.testing.assert_array_equal(one_hot([3, 2, 0, 1]).data, np.eye(4)[[3, 2, 0, 1]])
    multi = CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    np.testing.assert_array_equal(multi([[0, 1], [0, 0], [1, 2], [3, 1]]).data,
                                  [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    count = CategoryEncoding(num_tokens=4, output_mode="count")
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    np.testing.assert_allclose(count([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=weights)
                               .data, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0],
                                       [0, 0.2, 0, 0.4]], rtol=1e-6)
    with pytest.raises(InvalidArgumentError, match=r"\[0, 4\)"):
        multi([[0, 4]])


def test_hashing_bins_equal_keras_documented_examples():
    letters = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
    np.testing.assert_array_equal(Hashing(num_bins=3)(letters).data.ravel(), [1, 0, 1, 1, 2])
    masked = Hashing(num_bins=3, mask_value="")(np.array([["A"], ["B"], [""], ["C"], ["D"]]))
    np.testing.assert_array_equal(masked.data.ravel(), [1, 1, 0, 2, 2])
    salted = Hashing(num_bins=3, salt=[133, 137])(letters)
    np.testing.assert_array_equal(salted.data.ravel(), [1, 2, 1, 0, 2])
    np.testing.assert_array_equal(Hashing(num_bins=3, salt=133)(letters).data.ravel(),
                                  [0, 0, 2, 1, 0])
    integers = Hashing(num_bins=5)(np.array([[12], [12], [7]])).data
    assert integers[0, 0] == integers[1, 0] == hashes.fingerprint64(b"12") % 5
    assert Hashing(num_bins=4, output_mode="multi_hot")(letters).shape == (5, 4)


def test_siphash_matches_the_reference_test_vector():
    key = bytes(range(16))
    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    assert hashes.siphash24(k0, k1, bytes(range(15))) == 0xA129CA6149BE45E5
    assert hashes.siphash24(k0, k1, b"") == 0x726FDB47DD0E0E31


def test_config_round_trips_keep_the_vocabulary():
    layer = StringLookup(mask_token="", num_oov_indices=2)
    layer.adapt(np.array(["x", "y", "y"]))
    clone = StringLookup.from_config(layer.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "y", "x"]
    data = np.array(["x", "q", "", "y"])
    np.testing.assert_array_equal(clone(data).data, layer(data).data)
    for cls, config in ((Hashing, {"num_bins": 4, "salt": 5}),
                        (CategoryEncoding, {"num_tokens": 3}),
                        (IntegerLookup, {"vocabulary": [3, 4], "output_mode": "count"})):
        original = cls(**config)
        assert cls.from_config(original.get_config()).get_config() == original.get_config()


def test_bad_arguments_name_layer_and_argument():
    with pytest.raises(InvalidArgumentError, match="invert"):
        StringLookup(invert=True, output_mode="count")
    with pytest.raises(InvalidArgumentError, match="reserved"):
        StringLookup(vocabulary=["a", "[UNK]"])
    with pytest.raises(InvalidArgumentError, match="idf_weights"):
        StringLookup(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(TypeError, match="StringLookup: mask_token"):
        StringLookup(mask_token=0)
    with pytest.raises(TypeError, match="Hashing: salt"):
        Hashing(3, salt="x")
    with pytest.raises(TypeError, match="floats"):
        Hashing(3)(np.array([1.5]))
    with pytest.raises(InvalidArgumentError, match="max_tokens"):
        StringLookup(max_tokens=1, mask_token="")
    with pytest.raises(InvalidArgumentError, match="num_tokens"):
        CategoryEncoding()
