"""The tf.keras 2 ``weights=[...]`` constructor argument: set once the layer is built."""

import numpy as np
import pytest

from dlpath.layers import LSTM, Conv2D, Dense, Embedding, PReLU
from dlpath.layers.input_layer import Input
from dlpath.models import Sequential

RNG = np.random.default_rng(0)


def test_dense_and_embedding_take_their_weights():
    kernel, bias = RNG.standard_normal((3, 2)), RNG.standard_normal(2)
    dense = Dense(2, weights=[kernel, bias])
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(dense(x).data, x @ kernel + bias, rtol=1e-5, atol=1e-6)
    matrix = RNG.standard_normal((10, 4)).astype(np.float32)
    model = Sequential([Input((5,), dtype="int64"),
                        Embedding(10, 4, weights=[matrix], trainable=False)])
    ids = RNG.integers(0, 10, (2, 5))
    np.testing.assert_array_equal(model.predict(ids, verbose=0), matrix[ids])


def test_weights_reach_every_weight_of_composite_layers():
    lstm = LSTM(3)
    lstm(np.zeros((1, 2, 4), np.float32))
    values = [RNG.standard_normal(w.shape).astype(np.float32) for w in lstm.get_weights()]
    copy = LSTM(3, weights=values)
    copy(np.zeros((1, 2, 4), np.float32))
    for got, want in zip(copy.get_weights(), values):
        np.testing.assert_array_equal(got, want)
    alpha = np.full((4,), 0.25, np.float32)
    np.testing.assert_allclose(PReLU(weights=[alpha])(-np.ones((2, 4), np.float32)).data,
                               -0.25 * np.ones((2, 4)))


def test_weights_are_applied_once_and_not_saved_in_the_config():
    dense = Dense(1, weights=[np.ones((2, 1)), np.zeros(1)])
    dense(np.ones((1, 2), np.float32))
    dense.set_weights([np.zeros((2, 1)), np.zeros(1)])
    dense(np.ones((1, 2), np.float32))
    np.testing.assert_array_equal(dense.get_weights()[0], np.zeros((2, 1)))
    assert "weights" not in dense.get_config()


@pytest.mark.parametrize("make, message", [
    (lambda: Dense(2, weights=[np.ones((3, 2))], name="d"),
     r"Layer 'd' \(Dense\): the weights= argument does not fit the layer: .*expected 2 "
     r"arrays, got 1"),
    (lambda: Dense(2, weights=[np.ones((3, 3)), np.zeros(2)], name="d"),
     r"Layer 'd' \(Dense\): the weights= argument .*'d/kernel' has shape \(3, 2\), got an "
     r"array of shape \(3, 3\)"),
    (lambda: Conv2D(2, 3, weights=[np.ones((3, 3, 3, 2)), np.zeros(2)], name="c"),
     r"Layer 'c' \(Conv2D\): the weights= argument .*\(3, 3, 1, 2\).*\(3, 3, 3, 2\)"),
])
def test_wrong_count_or_shape_names_the_layer(make, message):
    layer = make()
    shape = (2, 5, 5, 1) if isinstance(layer, Conv2D) else (2, 3)
    with pytest.raises(ValueError, match=message):
        layer(np.zeros(shape, np.float32))
