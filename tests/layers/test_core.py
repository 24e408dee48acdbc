"""Dense, Activation, Dropout, Flatten, Reshape, Permute against PyTorch and Keras rules."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Activation, Dense, Dropout, Flatten, Permute, Reshape
from harness import run_layer_test


@pytest.mark.parametrize("activation, torch_fn", [
    (None, lambda z: z), ("relu", torch.relu), ("softmax", lambda z: torch.softmax(z, -1)),
    ("tanh", torch.tanh), ("sigmoid", torch.sigmoid)])
@pytest.mark.parametrize("input_shape", [(5, 3), (2, 4, 3)])
def test_dense_matches_torch_linear(activation, torch_fn, input_shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(input_shape).astype(np.float32)
    layer = Dense(4, activation=activation, bias_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    linear = torch.nn.Linear(3, 4)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(layer.kernel.data.T))  # Keras (in, out) vs (out, in)
        linear.bias.copy_(torch.tensor(layer.bias.data))
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_fn(linear(xt))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.kernel.grad, linear.weight.grad.numpy().T, rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(layer.bias.grad, linear.bias.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_dense_gradcheck_in_float64():
    layer = Dense(3, activation="tanh", dtype="float64", bias_initializer="random_normal")
    layer.build((2, 4))
    kernel, bias = layer.kernel, layer.bias

    def fn(x, k, b):
        kernel.data, bias.data = k.data, b.data
        return (x @ k + b).tanh()

    gradcheck(fn, np.random.rand(2, 4), kernel.data.copy(), bias.data.copy())
    x = Tensor(np.random.rand(2, 4), dtype="float64")
    assert layer(x).dtype == np.float64


def test_dense_harness_shapes_config_and_weights():
    run_layer_test(Dense, {"units": 3, "activation": "relu"}, (2, 5), (2, 3), 2)
    run_layer_test(Dense, {"units": 3, "use_bias": False}, (2, 4, 5), (2, 4, 3), 1)


def test_dense_regularizers_add_to_losses():
    layer = Dense(2, kernel_regularizer="l2", bias_regularizer={"class_name": "L1",
                                                                 "config": {"l1": 0.5}},
                  bias_initializer="ones")
    layer(np.ones((1, 3)))
    penalties = [p.item() for p in layer.losses]
    assert penalties[0] == pytest.approx(0.01 * np.sum(layer.kernel.data ** 2), rel=1e-5)
    assert penalties[1] == pytest.approx(0.5 * 2)


def test_dense_wrong_feature_count_names_layer_and_shapes():
    layer = Dense(2, name="classifier")
    layer(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"'classifier' \(Dense\).*axis -1.*size 3.*\(1, 4\)"):
        layer(np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"Dense: units must be a positive int, got 0 \(int\)"):
        Dense(0)


def test_dense_casts_integer_inputs_to_float32():
    out = Dense(2)(np.ones((2, 3), dtype=np.uint8))
    assert out.dtype == np.float32


def test_freezing_a_layer_stops_its_gradients():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    x = Tensor(np.ones((1, 3)), requires_grad=True)
    layer(x).sum().backward()
    assert layer.kernel.grad is None and x.grad is not None
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_set_weights_checks_shapes():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"has shape \(3, 2\), got an array of shape \(2, 2\)"):
        layer.set_weights([np.ones((2, 2)), np.ones(2)])
    with pytest.raises(ValueError, match="expected 2 arrays, got 1"):
        layer.set_weights([np.ones((3, 2))])


def test_unknown_keyword_is_an_error():
    with pytest.raises(TypeError, match="unknown keyword"):
        Dense(2, unitz=3)


def test_layer_names_are_unique_like_keras():
    a, b = Dense(1), Dense(1)
    assert a.name != b.name and a.name.startswith("dense")


def test_activation_layer():
    run_layer_test(Activation, {"activation": "relu"}, (2, 3), (2, 3), 0)
    with pytest.raises(ValueError, match="unknown activation 'rel'"):
        Activation("rel")


def test_dropout_is_identity_at_inference_and_inverted_in_training():
    x = np.ones((200, 50), dtype=np.float32)
    layer = Dropout(0.3, seed=1)
    np.testing.assert_array_equal(layer(x).data, x)
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs, training=True)
    kept = out.data != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(out.data[kept], 1 / 0.7, rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(inputs.grad, kept / 0.7, rtol=1e-6)
    assert abs(out.data.mean() - 1.0) < 0.05
    with pytest.raises(ValueError, match=r"Dropout: rate must be a float in \[0, 1\), got 1.0"):
        Dropout(1.0)


def test_dropout_noise_shape_shares_the_mask():
    out = Dropout(0.5, noise_shape=(None, 1, 4), seed=0)(np.ones((3, 5, 4)), training=True)
    assert np.all(out.data == out.data[:, :1, :])


def test_flatten_reshape_permute():
    run_layer_test(Flatten, {}, (2, 3, 4), (2, 12), 0)
    run_layer_test(Reshape, {"target_shape": (6, -1)}, (2, 3, 4), (2, 6, 2), 0)
    _, out = run_layer_test(Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3), 0)
    with pytest.raises(ValueError, match=r"'r' \(Reshape\).*\(2, 3, 4\).*\(5,\)"):
        Reshape((5,), name="r")(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="rank 3"):
        Permute((2, 1))(np.ones((2, 3)))
