"""``keras.backend`` (K): settings, variables, K.function on a functional graph, gradients,
and K functions inside a Lambda layer and a custom loss, with gradients."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath import keras
from dlpath.engine import GradientTape, Tensor, gradcheck
from dlpath.keras import backend as K


def test_settings():
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    assert K.image_data_format() == "channels_last"
    K.set_epsilon(1e-5)
    assert K.epsilon() == 1e-5
    K.set_epsilon(1e-7)
    with pytest.raises(ValueError, match="channels_first"):
        K.set_image_data_format("channels_first")
    with pytest.raises(ValueError, match="float32"):
        K.set_floatx("float64")
    K.set_learning_phase(1)
    assert K.learning_phase() == 1
    K.set_learning_phase(0)


def test_variables_values_and_shapes():
    v = K.variable(np.ones((2, 3)), name="v")
    assert v.dtype == np.float32 and K.int_shape(v) == (2, 3) and K.ndim(v) == 2
    assert K.dtype(v) == "float32" and K.count_params(v) == 6
    K.set_value(v, np.zeros((2, 3)))
    np.testing.assert_array_equal(K.get_value(v), 0)
    assert [a.shape for a in K.batch_get_value([v, v])] == [(2, 3), (2, 3)]
    assert K.constant(1).dtype == np.float32
    np.testing.assert_array_equal(K.shape(v).data, [2, 3])
    inputs = keras.Input((4,))
    assert K.is_keras_tensor(inputs) and not K.is_keras_tensor(v)
    assert K.int_shape(inputs) == (None, 4)
    with pytest.raises(TypeError, match="Variable"):
        K.set_value(np.ones(2), 1)


def test_keras_defaults_of_concatenate_expand_dims_and_argmax():
    a = np.ones((2, 3))
    assert K.concatenate([a, a]).shape == (2, 6)
    assert K.expand_dims(a).shape == (2, 3, 1)
    np.testing.assert_array_equal(K.argmax(np.array([[1, 3, 2]])).data, [1])
    assert K.batch_flatten(np.ones((2, 3, 4))).shape == (2, 12)
    np.testing.assert_allclose(K.relu(np.array([-2.0, 1.0, 8.0]), alpha=0.1, max_value=6).data,
                               [-0.2, 1.0, 6.0], rtol=1e-6)


def test_batch_dot_matches_keras_shapes_and_gradcheck():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((3, 4, 5)), rng.standard_normal((3, 5, 2))
    np.testing.assert_allclose(K.batch_dot(x, y).data, np.einsum("bij,bjk->bik", x, y),
                               rtol=1e-5)
    x2, y2 = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    out = K.batch_dot(x2, y2)
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out.data[:, 0], (x2 * y2).sum(1), rtol=1e-5)
    np.testing.assert_allclose(K.batch_dot(x, x, axes=(1, 1)).data,
                               np.einsum("bij,bik->bjk", x, x), rtol=1e-5)
    gradcheck(K.batch_dot, x, y)
    np.testing.assert_allclose(K.dot(x2, y2.T).data, x2 @ y2.T, rtol=1e-5)


def test_gradients_leave_no_grad_behind():
    w = K.variable([1.0, 2.0])
    loss = K.sum(K.square(w)) * 3
    (grad,) = K.gradients(loss, [w])
    np.testing.assert_allclose(grad.data, [6.0, 12.0])
    assert w.grad is None


def test_function_runs_part_of_a_functional_graph():
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="relu", name="hidden")(inputs)
    outputs = keras.layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    get_hidden = K.function([inputs], [hidden])
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    (got,) = get_hidden([x])
    layer = model.get_layer("hidden")
    np.testing.assert_allclose(got, np.maximum(x @ layer.kernel.data + layer.bias.data, 0),
                               rtol=1e-5)
    assert isinstance(got, np.ndarray)
    with pytest.raises(ValueError, match="1 input"):
        get_hidden([x, x])


def test_k_functions_in_a_lambda_layer_and_a_custom_loss_train():
    def rmse(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1) + K.epsilon())

    model = keras.Sequential([
        keras.Input((2,)),
        keras.layers.Dense(8, activation="tanh"),
        keras.layers.Lambda(lambda t: K.concatenate([t, K.square(t)])),
        keras.layers.Dense(1),
    ])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2)).astype("float32")
    y = (x[:, :1] ** 2 + x[:, 1:]).astype("float32")
    optimizer = keras.optimizers.Adam(0.05)
    first = None
    for _ in range(40):
        with GradientTape() as tape:
            loss = K.mean(rmse(Tensor(y), model(x, training=True)))
        grads = tape.gradient(loss, model.trainable_variables)
        assert all(g is not None for g in grads)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        first = first if first is not None else loss.item()
    assert loss.item() < 0.6 * first
