"""Conv3D against torch.nn.functional.conv3d with weights copied, gradcheck, harness,
save/load and errors that name the layer."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.conv3d import volume_pads
from dlpath.layers import Conv3D, Convolution3D
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


@pytest.mark.parametrize("kernel_size,strides,padding,dilation,activation", [
    (3, 1, "valid", 1, None), (3, 2, "same", 1, "relu"), (2, 1, "same", 2, "tanh"),
    ((1, 2, 3), (2, 1, 2), "same", 1, None),
])
def test_conv3d_layer_matches_torch(kernel_size, strides, padding, dilation, activation):
    x = np.random.default_rng(1).standard_normal((2, 5, 6, 7, 3)).astype(np.float32)
    layer = Conv3D(4, kernel_size, strides, padding, dilation_rate=dilation,
                   activation=activation, bias_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    kernel = torch.tensor(layer.kernel.data, requires_grad=True)
    bias = torch.tensor(layer.bias.data, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    pads = volume_pads(x.shape[1:4], layer.kernel_size, layer.strides, layer.dilation_rate,
                       padding)
    padded = F.pad(xt.permute(0, 4, 1, 2, 3), [p for pair in reversed(pads) for p in pair])
    expected = F.conv3d(padded, kernel.permute(4, 3, 0, 1, 2), bias, layer.strides,
                        dilation=layer.dilation_rate).permute(0, 2, 3, 4, 1)
    expected = {None: expected, "relu": torch.relu(expected),
                "tanh": torch.tanh(expected)}[activation]
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.kernel.grad, kernel.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.bias.grad, bias.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_conv3d_layer_gradcheck_in_float64():
    x = np.random.default_rng(2).standard_normal((1, 3, 4, 3, 2))
    layer = Conv3D(2, 2, padding="same", activation="tanh", dtype="float64")
    layer(x)
    kernel, bias = (w.data.copy() for w in layer.weights)

    def fn(x, kernel, bias):
        layer.kernel, layer.bias = kernel, bias
        return layer.call(x)

    gradcheck(fn, x, kernel, bias)


@pytest.mark.parametrize("kwargs,input_shape,output_shape,weights", [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 6, 2), (2, 3, 4, 5, 3), 2),
    ({"filters": 2, "kernel_size": (3, 1, 2), "strides": 2, "padding": "same",
      "use_bias": False}, (2, 5, 4, 3, 1), (2, 3, 2, 2, 2), 1),
])
def test_conv3d_layer_harness(kwargs, input_shape, output_shape, weights):
    run_layer_test(Conv3D, kwargs, input_shape, output_shape, weights)


def test_conv3d_kernel_layout_defaults_and_alias_are_keras():
    layer = Conv3D(8, (3, 2, 1), name="c3")
    layer(np.zeros((1, 4, 4, 4, 5), np.float32))
    assert [(w.name, w.shape) for w in layer.weights] == [("c3/kernel", (3, 2, 1, 5, 8)),
                                                          ("c3/bias", (8,))]
    config = layer.get_config()
    assert config["strides"] == (1, 1, 1) and config["dilation_rate"] == (1, 1, 1)
    assert config["padding"] == "valid" and config["groups"] == 1
    assert Convolution3D is Conv3D


def test_conv3d_survives_save_and_load(tmp_path):
    inputs = Input((4, 5, 5, 2))
    model = Model(inputs, Conv3D(3, 2, padding="same", activation="relu")(inputs))
    x = np.random.default_rng(3).standard_normal((2, 4, 5, 5, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_conv3d_errors_name_layer_argument_and_shapes():
    layer = Conv3D(2, 2, name="vol")
    with pytest.raises(ValueError, match=r"'vol' \(Conv3D\).*rank 5.*\(1, 4, 4, 3\)"
                                         r".*\(batch, depth, height, width, channels\)"):
        layer(np.zeros((1, 4, 4, 3), np.float32))
    layer(np.zeros((1, 3, 3, 3, 2), np.float32))
    with pytest.raises(ValueError, match=r"'vol' \(Conv3D\).*axis -1.*size 2"):
        layer(np.zeros((1, 3, 3, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"Conv3D: kernel_size must be"):
        Conv3D(2, (2, 2))
    with pytest.raises(ValueError, match=r"Conv3D: strides > 1 are not supported together"):
        Conv3D(2, 2, strides=2, dilation_rate=2)
