"""to_categorical against hand-computed results of tf.keras.utils.to_categorical."""

import numpy as np
import pytest

from dlpath.preprocessing import to_categorical


def test_vector_of_labels():
    result = to_categorical([0, 2, 1])
    assert result.dtype == np.float32
    assert result.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]


def test_num_classes_widens_the_matrix():
    assert to_categorical([1], num_classes=4).tolist() == [[0, 1, 0, 0]]


def test_column_of_labels_drops_the_trailing_axis():
    result = to_categorical(np.array([[3], [0]], dtype=np.uint8), num_classes=4)
    assert result.shape == (2, 4)
    assert result.tolist() == [[0, 0, 0, 1], [1, 0, 0, 0]]


def test_other_shapes_get_a_class_axis_appended():
    labels = np.array([[0, 1, 2], [2, 1, 0]])
    result = to_categorical(labels)
    assert result.shape == (2, 3, 3)
    assert result[1, 0].tolist() == [0, 0, 1]
    assert to_categorical(np.zeros((2, 3, 1), int), 2).shape == (2, 3, 2)


def test_scalar_label():
    assert to_categorical(2, num_classes=3).tolist() == [0, 0, 1]


def test_single_label_in_1_by_1():
    assert to_categorical([[1]], num_classes=2).shape == (1, 2)


def test_dtype_argument():
    assert to_categorical([0, 1], dtype="int64").dtype == np.int64
    assert to_categorical([0, 1], dtype="float64").dtype == np.float64


def test_float_labels_are_truncated_to_int():
    assert to_categorical([1.0, 0.9]).tolist() == [[0, 1], [1, 0]]


def test_num_classes_zero_or_none_means_infer():
    assert to_categorical([0, 2], num_classes=0).shape == (2, 3)


def test_labels_outside_the_classes_are_rejected():
    with pytest.raises(ValueError, match=r"labels must be in 0..2, got values from 0 to 3"):
        to_categorical([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="from -1 to 1"):
        to_categorical([-1, 1], num_classes=3)


def test_empty_labels():
    assert to_categorical([], num_classes=3).shape == (0, 3)
    with pytest.raises(ValueError, match="`y` is empty"):
        to_categorical([])
