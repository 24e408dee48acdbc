"""SeparableConv1D/2D against torch (a grouped conv then a 1 x 1 conv, weights copied),
against DepthwiseConv2D + a pointwise product, gradcheck, harness, save/load, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck, ops
from dlpath.engine.conv import conv_pads
from dlpath.layers import (
    DepthwiseConv2D, SeparableConv1D, SeparableConv2D, SeparableConvolution1D,
    SeparableConvolution2D,
)
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


def torch_separable2d(x, depthwise, pointwise, bias, strides, padding, dilation):
    """NHWC x; depthwise (kh, kw, C, m) -> a conv with groups=C whose output channel c m + k
    is D[..., c, k]; pointwise (1, 1, C m, O) -> a 1 x 1 conv."""
    kh, kw, c, m = depthwise.shape
    (top, bottom), (left, right) = conv_pads(x.shape[1:3], (kh, kw), strides, dilation,
                                             padding)
    xt = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
    dw = depthwise.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
    z = F.conv2d(xt, dw, stride=strides, dilation=dilation, groups=c)
    y = F.conv2d(z, pointwise.permute(3, 2, 0, 1), bias)
    return y.permute(0, 2, 3, 1)


def compare(layer, x, torch_forward):
    """Outputs and the gradients of input and every weight against ``torch_forward``."""
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    weights = [torch.tensor(w.data, requires_grad=True) for w in layer.weights]
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_forward(xt, *weights)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    for ours, theirs in zip(layer.weights, weights):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=ours.name)


@pytest.mark.parametrize("kernel_size,strides,padding,dilation,multiplier", [
    (3, 1, "valid", 1, 1), (3, 2, "same", 1, 2), (2, 2, "same", 1, 1),
    ((3, 2), 1, "same", 2, 3), ((1, 3), (2, 1), "valid", 1, 2),
])
def test_separable_conv2d_matches_torch(kernel_size, strides, padding, dilation, multiplier):
    x = np.random.default_rng(1).standard_normal((2, 9, 8, 3)).astype(np.float32)
    layer = SeparableConv2D(5, kernel_size, strides, padding, dilation_rate=dilation,
                            depth_multiplier=multiplier, bias_initializer="random_normal")
    s, d = layer.strides, layer.dilation_rate
    compare(layer, x, lambda x, dw, pw, b: torch_separable2d(x, dw, pw, b, s, padding, d))


@pytest.mark.parametrize("padding,strides,dilation", [("valid", 1, 1), ("same", 2, 1),
                                                      ("causal", 1, 2)])
def test_separable_conv1d_matches_torch(padding, strides, dilation):
    x = np.random.default_rng(2).standard_normal((2, 11, 3)).astype(np.float32)
    layer = SeparableConv1D(4, 3, strides, padding, dilation_rate=dilation,
                            depth_multiplier=2, activation="tanh",
                            bias_initializer="random_normal")

    def forward(x, dw, pw, b):
        x2, dw2, pw2 = x[:, None], dw[None], pw[None]  # height 1
        if padding == "causal":
            x2 = F.pad(x2, (0, 0, 2 * dilation, 0))
        y = torch_separable2d(x2, dw2, pw2, b, (1, strides),
                              "valid" if padding == "causal" else padding, (1, dilation))
        return torch.tanh(y[:, 0])

    compare(layer, x, forward)


def test_separable_conv2d_equals_depthwise_then_pointwise():
    x = np.random.default_rng(3).standard_normal((2, 7, 7, 3)).astype(np.float32)
    layer = SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2,
                            use_bias=False)
    depthwise = DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2,
                                use_bias=False)
    y = layer(x)
    depthwise(x)
    depthwise.set_weights([layer.depthwise_kernel.data])
    z = depthwise(x)
    expected = ops.matmul(z, ops.reshape(layer.pointwise_kernel, (6, 4)))
    np.testing.assert_allclose(y.data, expected.data, rtol=1e-6, atol=1e-6)


def test_separable_conv_gradcheck_in_float64():
    x = np.random.default_rng(4).standard_normal((1, 5, 4, 2))
    layer = SeparableConv2D(2, 2, padding="same", depth_multiplier=2, dtype="float64",
                            bias_initializer="random_normal")
    layer(x)
    dw, pw, b = (w.data.copy() for w in layer.weights)

    def fn(x, dw, pw, b):
        layer.depthwise_kernel, layer.pointwise_kernel, layer.bias = dw, pw, b
        return layer.convolve(x)

    gradcheck(fn, x, dw, pw, b)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape,weights", [
    (SeparableConv2D, {"filters": 4, "kernel_size": 3}, (2, 6, 6, 3), (2, 4, 4, 4), 3),
    (SeparableConv2D, {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "same",
                       "depth_multiplier": 3, "use_bias": False}, (2, 5, 5, 2),
     (2, 3, 3, 2), 2),
    (SeparableConv1D, {"filters": 3, "kernel_size": 2, "padding": "causal",
                       "activation": "relu"}, (2, 7, 2), (2, 7, 3), 3),
])
def test_separable_layers_harness(layer_cls, kwargs, input_shape, output_shape, weights):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, weights)


def test_separable_weight_layouts_names_and_config_are_keras():
    layer = SeparableConv2D(8, (3, 2), depth_multiplier=2, name="sep")
    layer(np.zeros((1, 5, 5, 3), np.float32))
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("sep/depthwise_kernel", (3, 2, 3, 2)), ("sep/pointwise_kernel", (1, 1, 6, 8)),
        ("sep/bias", (8,))]
    conv1d = SeparableConv1D(4, 3, depth_multiplier=2)
    conv1d(np.zeros((1, 6, 3), np.float32))
    assert [w.shape for w in conv1d.weights] == [(3, 3, 2), (1, 6, 4), (4,)]
    config = layer.get_config()
    for key in ("depthwise_initializer", "pointwise_initializer", "depthwise_regularizer",
                "pointwise_regularizer", "depth_multiplier", "dilation_rate"):
        assert key in config
    assert "groups" not in config and "kernel_initializer" not in config
    assert SeparableConvolution2D is SeparableConv2D
    assert SeparableConvolution1D is SeparableConv1D


def test_separable_pointwise_regularizer_adds_to_losses():
    layer = SeparableConv2D(2, 2, pointwise_regularizer="l2", depthwise_regularizer="l1")
    layer(np.ones((1, 3, 3, 2), np.float32))
    assert len(layer.losses) == 2


def test_separable_conv2d_survives_save_and_load(tmp_path):
    inputs = Input((6, 6, 2))
    model = Model(inputs, SeparableConv2D(3, 3, padding="same", depth_multiplier=2)(inputs))
    x = np.random.default_rng(5).standard_normal((2, 6, 6, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_separable_errors_name_layer_argument_and_shapes():
    layer = SeparableConv2D(2, 3, name="sep")
    with pytest.raises(ValueError, match=r"'sep' \(SeparableConv2D\).*rank 4.*\(2, 8, 3\)"):
        layer(np.zeros((2, 8, 3), np.float32))
    layer(np.zeros((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match=r"'sep' \(SeparableConv2D\).*axis -1.*size 3"):
        layer(np.zeros((1, 5, 5, 4), np.float32))
    with pytest.raises(ValueError, match=r"SeparableConv2D: depth_multiplier must be"):
        SeparableConv2D(2, 3, depth_multiplier=0)
    with pytest.raises(ValueError, match=r"SeparableConv1D: padding must be"):
        SeparableConv1D(2, 3, padding="full")
    with pytest.raises(ValueError, match=r"SeparableConv2D: padding must be"):
        SeparableConv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"constraints.get: unknown constraint 'positive'"):
        SeparableConv2D(2, 3, pointwise_constraint="positive")
