"""keras.backend's neural-network functions (dlpath.ops.backend_nn): Keras 2 signatures,
values against torch or the formula, the rnn time loop against an explicit loop."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, Variable, gradcheck
from dlpath.keras import backend as K

RNG = np.random.default_rng(3)
X = RNG.standard_normal((2, 6, 6, 3))


def test_convolutions_and_pooling_in_both_data_formats():
    k = RNG.standard_normal((3, 3, 3, 4))
    weight = torch.tensor(np.transpose(k, (3, 2, 0, 1)))
    expected = F.conv2d(torch.tensor(np.moveaxis(X, -1, 1)), weight, padding=1).numpy()
    out = K.conv2d(np.moveaxis(X, -1, 1), k, padding="same", data_format="channels_first")
    np.testing.assert_allclose(out.data, expected, atol=1e-10)
    np.testing.assert_allclose(K.conv2d(X, k, padding="same").data,
                               np.moveaxis(expected, 1, -1), atol=1e-10)
    pooled = K.pool2d(X, (2, 2), (2, 2), pool_mode="avg")
    np.testing.assert_allclose(pooled.data, X.reshape(2, 3, 2, 3, 2, 3).mean((2, 4)))
    assert K.pool3d(RNG.standard_normal((1, 4, 4, 4, 1)), (2, 2, 2)).shape == (1, 3, 3, 3, 1)
    with pytest.raises(ValueError, match="pool2d: pool_mode"):
        K.pool2d(X, (2, 2), pool_mode="min")


def test_causal_conv1d_sees_only_the_past():
    x = RNG.standard_normal((1, 8, 2))
    k = RNG.standard_normal((3, 2, 1))
    y = K.conv1d(x, k, padding="causal").data
    changed = x.copy()
    changed[:, 5:] += 1.0
    np.testing.assert_allclose(K.conv1d(changed, k, padding="causal").data[:, :5], y[:, :5])
    assert y.shape == (1, 8, 1)


def test_transposed_depthwise_and_separable():
    kt = RNG.standard_normal((3, 3, 2, 3))
    y = K.conv2d_transpose(X, kt, (2, 12, 12, 2), (2, 2), "same")
    assert y.shape == (2, 12, 12, 2)
    unknown_batch = K.conv2d_transpose(X, kt, (None, 12, 12, 2), (2, 2), "same")
    np.testing.assert_allclose(unknown_batch.data, y.data)
    dk = RNG.standard_normal((3, 3, 3, 1))
    pk = RNG.standard_normal((1, 1, 3, 5))
    depth = K.depthwise_conv2d(X, dk)
    np.testing.assert_allclose(K.separable_conv2d(X, dk, pk).data,
                               np.einsum("nhwc,co->nhwo", depth.data, pk[0, 0]), atol=1e-10)


def test_bias_add_elementwise_and_activations():
    b = RNG.standard_normal(3)
    np.testing.assert_allclose(K.bias_add(X, b).data, X + b)
    np.testing.assert_allclose(K.bias_add(np.moveaxis(X, -1, 1), b, "channels_first").data,
                               np.moveaxis(X + b, -1, 1))
    with pytest.raises(ValueError, match=r"bias_add: the bias has shape \(2,\)"):
        K.bias_add(X, np.zeros(2))
    x = RNG.standard_normal((3, 4)) * 4
    np.testing.assert_allclose(K.hard_sigmoid(x).data, np.clip(0.2 * x + 0.5, 0, 1))
    np.testing.assert_allclose(K.softsign(x).data, x / (1 + np.abs(x)))
    np.testing.assert_allclose(K.elu(x, 0.5).data, np.where(x > 0, x, 0.5 * np.expm1(x)),
                               rtol=1e-6)
    p, y = RNG.random((3, 4)) * 0.9 + 0.05, RNG.random((3, 4))
    np.testing.assert_allclose(K.binary_crossentropy(y, p).data,
                               -(y * np.log(p) + (1 - y) * np.log(1 - p)))
    np.testing.assert_array_equal(K.in_top_k(np.array([[0.1, 0.9], [0.8, 0.2]]), [1, 1], 1)
                                  .data, [True, False])


def test_random_draws_and_dropout():
    draws = K.random_bernoulli((4000,), p=0.3, seed=1).data
    assert set(np.unique(draws)) <= {0.0, 1.0} and abs(draws.mean() - 0.3) < 0.03
    normal = K.truncated_normal((4000,), 1.0, 2.0, seed=2).data
    assert normal.min() >= -3.0 and normal.max() <= 5.0
    dropped = K.dropout(np.ones((100, 100)), 0.5, seed=3).data
    assert set(np.unique(dropped)) == {0.0, 2.0}


def test_resize_images_nearest_repeats_pixels():
    x = RNG.standard_normal((1, 2, 3, 1))
    y = K.resize_images(x, 2, 3, "channels_last")
    np.testing.assert_array_equal(y.data, x.repeat(2, 1).repeat(3, 2))
    assert K.resize_images(x, 2, 2, "channels_last", "bilinear").shape == (1, 4, 6, 1)
    gradcheck(lambda a: K.resize_images(a, 2, 2, "channels_last"), x)


def test_rnn_runs_a_step_function_over_time_with_a_mask():
    x = RNG.standard_normal((2, 4, 3))
    w = RNG.standard_normal((3, 5))

    def step(inputs, states):
        h = (inputs @ Tensor(w, dtype="float64") + states[0]).tanh()
        return h, [h]

    mask = np.array([[1, 1, 1, 1], [1, 1, 0, 0]], dtype=bool)
    last, outputs, states = K.rnn(step, x, [Tensor(np.zeros((2, 5)))], mask=mask)
    h = np.zeros((2, 5))
    expected = []
    for t in range(4):
        new = np.tanh(x[:, t] @ w + h)
        h = np.where(mask[:, t:t + 1], new, h)
        expected.append(h)
    np.testing.assert_allclose(outputs.data, np.stack(expected, 1), rtol=1e-6)
    np.testing.assert_allclose(last.data, expected[-1], rtol=1e-6)
    np.testing.assert_allclose(states[0].data, expected[-1], rtol=1e-6)
    _, backwards, _ = K.rnn(step, x, [Tensor(np.zeros((2, 5)))], go_backwards=True)
    assert backwards.shape == (2, 4, 5)
    with pytest.raises(ValueError, match="rnn: inputs must be at least 3-D"):
        K.rnn(step, x[0], [np.zeros((2, 5))])


def test_batch_normalization_focal_losses_volumes_and_random_variables():
    x = RNG.standard_normal((4, 3, 2))
    mean, var, beta, gamma = RNG.standard_normal(3), RNG.random(3) + 0.5, 0.1, 2.0
    out = K.batch_normalization(x, mean, var, beta, gamma, axis=1).data
    np.testing.assert_allclose(out, (x - mean[:, None]) / np.sqrt(var[:, None] + 1e-3) * 2
                               + 0.1)
    y, logits = (RNG.random((3, 4)) > 0.5).astype(float), RNG.standard_normal((3, 4))
    p = 1 / (1 + np.exp(-logits))
    p_t = y * p + (1 - y) * (1 - p)
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    weight = y * 0.25 + (1 - y) * 0.75
    np.testing.assert_allclose(
        K.binary_focal_crossentropy(y, logits, True, from_logits=True).data,
        weight * (1 - p_t) ** 2 * bce, rtol=1e-10)
    gradcheck(lambda a: K.binary_focal_crossentropy(y, a, from_logits=True), logits)
    onehot = np.eye(4)[[0, 3, 1]]
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(
        K.categorical_focal_crossentropy(onehot, logits, from_logits=True).data,
        (0.25 * (1 - probs) ** 2 * -onehot * np.log(probs)).sum(-1), rtol=1e-10)
    v = RNG.standard_normal((1, 2, 2, 2, 1))
    np.testing.assert_array_equal(K.resize_volumes(v, 2, 1, 3, "channels_last").data,
                                  v.repeat(2, 1).repeat(3, 3))
    variable = K.random_uniform_variable((50,), -1.0, 1.0, seed=0)
    assert isinstance(variable, Variable)
    assert variable.shape == (50,) and variable.data.min() >= -1 and variable.data.max() < 1
    assert K.random_normal_variable((3, 2), 0.0, 1.0, seed=0).shape == (3, 2)
