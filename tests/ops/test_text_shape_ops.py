"""Batches of strings move through ``tf.expand_dims`` and ``tf.reshape`` as NumPy arrays,
as string tensors do in TensorFlow; numbers still become Tensors."""

import numpy as np
import pytest

import dlpath as tf


def test_expand_dims_and_reshape_keep_text_as_a_string_array():
    texts = np.array(["a good film", "a bad one", "so so"])
    column = tf.expand_dims(texts, -1)
    assert isinstance(column, np.ndarray) and column.shape == (3, 1)
    assert column[1, 0] == "a bad one"
    assert tf.expand_dims(texts, 0).shape == (1, 3)
    assert tf.reshape(column, [-1]).tolist() == texts.tolist()
    assert tf.expand_dims(["x", "y"], 1).tolist() == [["x"], ["y"]]


def test_numbers_still_become_tensors():
    assert isinstance(tf.expand_dims(np.array([1.0, 2.0]), -1), tf.Tensor)
    assert isinstance(tf.reshape([1, 2, 3, 4], (2, 2)), tf.Tensor)


def test_object_arrays_are_still_refused():
    with pytest.raises(TypeError, match="numbers and booleans"):
        tf.expand_dims(np.array([{"a": 1}], dtype=object), -1)
