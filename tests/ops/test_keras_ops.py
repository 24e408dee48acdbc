"""``keras.ops`` and ``keras.random`` as Keras 3 programs use them, inside a model too."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath import keras
from dlpath.engine import GradientTape, Tensor, gradcheck
from dlpath.keras import ops


def test_keras_signatures():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.identity(2)), np.eye(2))
    rows, cols = ops.where(x > 3)
    np.testing.assert_array_equal(rows.data, [1, 1])
    np.testing.assert_array_equal(ops.where(x > 3, x, 0.0).data, np.where(x > 3, x, 0))
    assert ops.one_hot(np.array([2]), 3).shape == (1, 3)
    assert ops.shape(x) == (2, 3)
    np.testing.assert_array_equal(ops.slice(x, [0, 1], [2, 2]).data, x[:, 1:3])
    np.testing.assert_allclose(ops.power(x, 2).data, x ** 2)
    np.testing.assert_allclose(ops.vectorized_map(lambda r: r * 2, x).data, x * 2)
    np.testing.assert_allclose(ops.normalize(x).data,
                               x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-6)
    assert ops.argmax(x) == 5 and ops.amax(x) == 5
    gradcheck(lambda t: ops.slice(t, [1, 0], [1, 2]), x)
    with pytest.raises(ValueError, match="start_indices"):
        ops.slice(x, [0], [1])


def test_ops_in_a_layer_train_through_the_tape():
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return ops.sum(ops.square(ops.multiply(inputs, self.w)), axis=-1, keepdims=True)

    layer = Scale()
    x = np.ones((4, 3), np.float32)
    layer(x)
    with GradientTape() as tape:
        loss = ops.mean(layer(x))
    (grad,) = tape.gradient(loss, layer.trainable_variables)
    np.testing.assert_allclose(grad.numpy(), [2.0, 2.0, 2.0])


def test_keras_random_dropout_and_seed_generator_in_keras_namespace():
    seed = keras.random.SeedGenerator(1)
    out = keras.random.dropout(Tensor(np.ones((100, 10))), 0.5, seed=seed)
    assert set(np.unique(out.data)) <= {0.0, 2.0}
    assert keras.random.normal((2, 2), seed=seed).shape == (2, 2)
