"""Functional models over inputs of unknown length: the traced shapes keep the axis
unknown, and layers that need a long sequence (kernels, strides) can be traced."""

import numpy as np
import pytest

from dlpath import keras
from dlpath.keras import layers


def test_strided_conv1d_stack_over_an_unknown_length():
    inputs = keras.Input(shape=(None,), dtype="int64")
    embedded = layers.Embedding(50, 8)(inputs)
    x = layers.Conv1D(4, 7, strides=3, activation="relu")(embedded)
    x = layers.Conv1D(4, 7, strides=3, activation="relu")(x)
    pooled = layers.GlobalMaxPooling1D()(x)
    outputs = layers.Dense(1, activation="sigmoid")(pooled)
    model = keras.Model(inputs, outputs)
    assert embedded.shape == (None, None, 8)
    assert x.shape == (None, None, 4)
    assert pooled.shape == (None, 4)
    tokens = np.random.default_rng(0).integers(0, 50, (3, 500))
    assert model.predict(tokens, verbose=0).shape == (3, 1)
    assert model(tokens[:, :30]).shape == (3, 1)  # any length the kernels allow


def test_fixed_axes_stay_fixed_next_to_an_unknown_one():
    inputs = keras.Input(shape=(None, 6))
    outputs = layers.Dense(3)(layers.LSTM(5, return_sequences=True)(inputs))
    assert outputs.shape == (None, None, 3)
    summed = layers.GlobalAveragePooling1D()(outputs)
    assert summed.shape == (None, 3)


class _ShortPositions(layers.Layer):
    """Position embeddings for at most 10 steps: only a short trace succeeds."""

    def __init__(self):
        super().__init__()
        self.positions = layers.Embedding(10, 4)

    def call(self, x):
        return self.positions(keras.ops.arange(x.shape[1])) + keras.ops.zeros((1, 1, 4))


def test_a_layer_that_takes_only_short_sequences_is_traced_as_before():
    inputs = keras.Input(shape=(None,))
    outputs = _ShortPositions()(inputs)
    assert outputs.shape == (None, 1, 4)


def test_a_real_shape_error_is_still_reported():
    inputs = keras.Input(shape=(None, 6))
    x = layers.LSTM(5)(inputs)
    with pytest.raises(ValueError, match="conv1d|Conv1D"):
        layers.Conv1D(2, 3)(x)
