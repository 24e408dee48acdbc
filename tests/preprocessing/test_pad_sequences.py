"""pad_sequences against hand-computed results of keras.utils.pad_sequences."""

import numpy as np
import pytest

from dlpath.preprocessing import pad_sequences

SEQUENCES = [[1], [2, 3], [4, 5, 6]]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [[0, 0, 1], [0, 2, 3], [4, 5, 6]]),
        ({"padding": "post"}, [[1, 0, 0], [2, 3, 0], [4, 5, 6]]),
        ({"value": -1}, [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]),
        ({"maxlen": 2}, [[0, 1], [2, 3], [5, 6]]),
        ({"maxlen": 2, "truncating": "post"}, [[0, 1], [2, 3], [4, 5]]),
        ({"maxlen": 2, "padding": "post", "truncating": "post"}, [[1, 0], [2, 3], [4, 5]]),
        ({"maxlen": 4}, [[0, 0, 0, 1], [0, 0, 2, 3], [0, 4, 5, 6]]),
        ({"maxlen": 4, "padding": "post", "value": 9},
         [[1, 9, 9, 9], [2, 3, 9, 9], [4, 5, 6, 9]]),
        ({"maxlen": 1, "truncating": "pre"}, [[1], [3], [6]]),
        ({"maxlen": 1, "truncating": "post"}, [[1], [2], [4]]),
    ],
)
def test_padding_and_truncating(kwargs, expected):
    result = pad_sequences(SEQUENCES, **kwargs)
    assert result.dtype == np.int32
    assert result.tolist() == expected


def test_float_values_are_cast_to_dtype():
    sequences = [[1.2], [1.2, 2.7]]
    assert pad_sequences(sequences).tolist() == [[0, 1], [1, 2]]  # int32 truncates
    result = pad_sequences(sequences, dtype="float32", value=0.5)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, [[0.5, 1.2], [1.2, 2.7]], rtol=1e-6)


def test_float_value_with_int_dtype_is_truncated():
    assert pad_sequences([[1], [2, 3]], value=1.7).tolist() == [[1, 1], [2, 3]]


def test_empty_sequences_become_all_padding():
    result = pad_sequences([[], [1, 2], []], maxlen=3, value=7)
    assert result.tolist() == [[7, 7, 7], [7, 1, 2], [7, 7, 7]]


def test_numpy_arrays_and_tuples_are_accepted():
    result = pad_sequences((np.array([1, 2]), (3,)), padding="post")
    assert result.tolist() == [[1, 2], [3, 0]]


def test_vector_elements_keep_their_shape():
    sequences = [[[1, 1]], [[2, 1], [2, 2]], [[3, 1], [3, 2], [3, 3]]]
    assert pad_sequences(sequences, maxlen=2, truncating="post").tolist() == [
        [[0, 0], [1, 1]], [[2, 1], [2, 2]], [[3, 1], [3, 2]]
    ]
    assert pad_sequences(sequences, padding="post", value=1).tolist() == [
        [[1, 1], [1, 1], [1, 1]], [[2, 1], [2, 2], [1, 1]], [[3, 1], [3, 2], [3, 3]]
    ]


def test_inconsistent_element_shapes_are_an_error():
    with pytest.raises(ValueError, match="Shape of sample .* at position 1 .* expected shape"):
        pad_sequences([[[1, 1]], [[1, 1, 1]]])


def test_strings_with_object_dtype():
    sequences = [["1"], ["1", "2"], ["1", "2", "3"]]
    result = pad_sequences(sequences, maxlen=3, value="pad", dtype=object)
    assert result.tolist() == [["pad", "pad", "1"], ["pad", "1", "2"], ["1", "2", "3"]]
    result = pad_sequences(sequences, maxlen=2, truncating="pre", value="pad", dtype=object)
    assert result.tolist() == [["pad", "1"], ["1", "2"], ["2", "3"]]


def test_strings_with_numpy_string_dtype():
    sequences = [["1"], ["1", "2"], ["1", "2", "3"]]
    result = pad_sequences(sequences, maxlen=3, padding="post", value="pad", dtype="<U3")
    assert result.dtype == np.dtype("<U3")
    assert result.tolist() == [["1", "pad", "pad"], ["1", "2", "pad"], ["1", "2", "3"]]


def test_string_value_with_numeric_dtype_is_an_error():
    with pytest.raises(ValueError, match="`dtype` int32 is not compatible with `value`'s type"):
        pad_sequences([["a"]], value="pad")


@pytest.mark.parametrize("argument", ["padding", "truncating"])
def test_unknown_side_is_an_error(argument):
    kind = argument.capitalize()
    with pytest.raises(ValueError, match=f'{kind} type "middle" not understood'):
        pad_sequences(SEQUENCES, **{argument: "middle"})


def test_non_iterable_elements_are_an_error():
    with pytest.raises(ValueError, match="must be a list of iterables. Found non-iterable: 5"):
        pad_sequences([[1], 5])


def test_sequences_without_length_are_an_error():
    with pytest.raises(ValueError, match="`sequences` must be iterable"):
        pad_sequences(iter([[1]]))


def test_no_sequences_needs_maxlen():
    with pytest.raises(ValueError, match="`sequences` is empty"):
        pad_sequences([])
    result = pad_sequences([], maxlen=4)
    assert result.shape == (0, 4) and result.dtype == np.int32


def test_zero_and_negative_maxlen():
    assert pad_sequences(SEQUENCES, maxlen=0).shape == (3, 0)
    with pytest.raises(ValueError, match="`maxlen` must be >= 0"):
        pad_sequences(SEQUENCES, maxlen=-1)
