"""Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D against torch.nn with weights copied
across, the layer harness, config and Keras' errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.conv import conv_pads, transpose_output_size
from dlpath.layers import (
    Conv1D, Conv2D, Conv2DTranspose, Convolution2D, DepthwiseConv2D,
)
from harness import run_layer_test

ACTIVATIONS = {None: lambda z: z, "relu": torch.relu, "tanh": torch.tanh}


def compare_with_torch(layer, x, torch_forward, kernel_to_torch, kernel_from_torch):
    """Run ``layer`` and ``torch_forward(x, weight, bias)`` on ``x``; compare the outputs and
    the gradients of the input, kernel and bias."""
    rng = np.random.default_rng(0)
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    weight = torch.tensor(kernel_to_torch(layer.kernel.data), requires_grad=True)
    bias = (torch.tensor(layer.bias.data, requires_grad=True)
            if layer.bias is not None else None)
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_forward(xt, weight, bias)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.kernel.grad, kernel_from_torch(weight.grad.numpy()),
                               rtol=1e-4, atol=1e-4)
    if bias is not None:
        np.testing.assert_allclose(layer.bias.grad, bias.grad.numpy(), rtol=1e-4, atol=1e-4)


def nhwc(fn):
    """Wrap an NCHW PyTorch function of an NHWC tensor."""
    return lambda x, *args: fn(x.permute(0, 3, 1, 2), *args).permute(0, 2, 3, 1)


@pytest.mark.parametrize("kernel_size,strides,padding,dilation", [
    (3, 1, "valid", 1), (3, 2, "same", 1), (2, 2, "same", 1), (5, 1, "same", 2),
    ((2, 3), (2, 1), "valid", 1), (1, 1, "valid", 1), ((3, 1), 1, "same", (2, 1)),
])
@pytest.mark.parametrize("activation", [None, "relu", "tanh"])
def test_conv2d_matches_torch(kernel_size, strides, padding, dilation, activation):
    x = np.random.default_rng(1).standard_normal((2, 9, 10, 3)).astype(np.float32)
    layer = Conv2D(4, kernel_size, strides, padding, dilation_rate=dilation,
                   activation=activation, bias_initializer="random_normal")
    layer.build(x.shape)
    kh, kw = layer.kernel_size
    s, d = layer.strides, layer.dilation_rate
    (top, bottom), (left, right) = conv_pads(x.shape[1:3], (kh, kw), s, d, padding)

    @nhwc
    def theirs(x, w, b):
        y = F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=s, dilation=d)
        return ACTIVATIONS[activation](y)

    compare_with_torch(layer, x, theirs, lambda k: k.transpose(3, 2, 0, 1),
                       lambda w: w.transpose(2, 3, 1, 0))


@pytest.mark.parametrize("kernel_size,strides,padding,dilation", [
    (3, 1, "valid", 1), (3, 2, "same", 1), (4, 1, "causal", 2), (2, 1, "same", 1),
])
def test_conv1d_matches_torch(kernel_size, strides, padding, dilation):
    x = np.random.default_rng(2).standard_normal((2, 12, 3)).astype(np.float32)
    layer = Conv1D(5, kernel_size, strides, padding, dilation_rate=dilation,
                   bias_initializer="random_normal")
    layer.build(x.shape)
    if padding == "causal":
        pads = ((kernel_size - 1) * dilation, 0)
    else:
        pads = conv_pads((12,), (kernel_size,), (strides,), (dilation,), padding)[0]

    def theirs(x, w, b):
        y = F.conv1d(F.pad(x.permute(0, 2, 1), pads), w, b, stride=strides, dilation=dilation)
        return y.permute(0, 2, 1)

    compare_with_torch(layer, x, theirs, lambda k: k.transpose(2, 1, 0),
                       lambda w: w.transpose(2, 1, 0))


@pytest.mark.parametrize("kernel_size,strides,padding,output_padding", [
    (3, 2, "same", None), (3, 2, "valid", None), (2, 2, "valid", None), (4, 2, "same", None),
    (3, 1, "same", None), (3, 2, "same", 1), (3, 2, "valid", 1), (5, 1, "valid", 0),
])
def test_conv2d_transpose_matches_torch(kernel_size, strides, padding, output_padding):
    x = np.random.default_rng(3).standard_normal((2, 5, 4, 3)).astype(np.float32)
    layer = Conv2DTranspose(2, kernel_size, strides, padding, output_padding=output_padding,
                            bias_initializer="random_normal")
    layer.build(x.shape)
    (h, top), (w, left) = [transpose_output_size(x.shape[1 + a], kernel_size, strides, 1,
                                                 padding, output_padding) for a in range(2)]

    @nhwc
    def theirs(x, weight, b):
        full = F.conv_transpose2d(x, weight, None, stride=strides)
        full = F.pad(full, (0, max(left + w - full.shape[3], 0),
                            0, max(top + h - full.shape[2], 0)))
        return full[:, :, top:top + h, left:left + w] + b[None, :, None, None]

    compare_with_torch(layer, x, theirs, lambda k: k.transpose(3, 2, 0, 1),
                       lambda w: w.transpose(2, 3, 1, 0))
    assert layer.compute_output_shape((None, 5, 4, 3)) == (None, h, w, 2)


@pytest.mark.parametrize("strides,padding,multiplier", [(1, "same", 1), (2, "valid", 2)])
def test_depthwise_conv2d_matches_torch(strides, padding, multiplier):
    x = np.random.default_rng(4).standard_normal((2, 7, 8, 3)).astype(np.float32)
    layer = DepthwiseConv2D(3, strides, padding, depth_multiplier=multiplier,
                            bias_initializer="random_normal")
    layer.build(x.shape)
    (top, bottom), (left, right) = conv_pads(x.shape[1:3], (3, 3), (strides,) * 2, (1, 1),
                                             padding)

    @nhwc
    def theirs(x, w, b):
        return F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=strides, groups=3)

    compare_with_torch(
        layer, x, theirs,
        lambda k: k.transpose(2, 3, 0, 1).reshape(3 * multiplier, 1, 3, 3),
        lambda w: w.reshape(3, multiplier, 3, 3).transpose(2, 3, 0, 1))


def test_conv2d_gradcheck_in_float64():
    layer = Conv2D(2, 3, strides=2, padding="same", activation="tanh", dtype="float64",
                   bias_initializer="random_normal")
    x = np.random.default_rng(5).standard_normal((1, 5, 4, 2))
    layer(Tensor(x, dtype="float64"))
    kernel, bias = layer.kernel.data.copy(), layer.bias.data.copy()

    def fn(x, k, b):
        layer.kernel, layer.bias = k, b  # the layer computes with the checked tensors
        return layer(x)

    gradcheck(fn, x, kernel, bias)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape,weights", [
    (Conv2D, {"filters": 4, "kernel_size": 3}, (2, 8, 7, 3), (2, 6, 5, 4), 2),
    (Conv2D, {"filters": 4, "kernel_size": (2, 3), "strides": 2, "padding": "same",
              "use_bias": False}, (2, 8, 7, 3), (2, 4, 4, 4), 1),
    (Conv2D, {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "activation": "relu"},
     (2, 9, 9, 1), (2, 5, 5, 2), 2),
    (Conv1D, {"filters": 3, "kernel_size": 3, "padding": "causal"}, (2, 6, 2), (2, 6, 3), 2),
    (Conv1D, {"filters": 3, "kernel_size": 2, "strides": 2}, (2, 7, 2), (2, 3, 3), 2),
    (Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 4, 5, 2), (2, 8, 10, 3), 2),
    (Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1},
     (2, 4, 5, 2), (2, 10, 12, 3), 2),
    (DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
     (2, 5, 6, 3), (2, 5, 6, 6), 2),
])
def test_conv_layers_harness(layer_cls, kwargs, input_shape, output_shape, weights):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, weights)


def test_conv_weight_layouts_are_keras():
    conv = Conv2D(8, (3, 2))
    conv.build((None, 10, 10, 3))
    assert conv.kernel.shape == (3, 2, 3, 8) and conv.bias.shape == (8,)
    transpose = Conv2DTranspose(8, 3)
    transpose.build((None, 10, 10, 3))
    assert transpose.kernel.shape == (3, 3, 8, 3)
    depthwise = DepthwiseConv2D(3, depth_multiplier=2)
    depthwise.build((None, 10, 10, 3))
    assert depthwise.kernel.shape == (3, 3, 3, 2) and depthwise.bias.shape == (6,)
    assert Convolution2D is Conv2D


def test_conv_regularizers_add_to_losses():
    layer = Conv2D(2, 3, kernel_regularizer="l2", bias_regularizer="l1",
                   activity_regularizer="l2", bias_initializer="ones")
    layer(np.ones((1, 4, 4, 1)))
    penalties = [p.item() for p in layer.losses]
    assert penalties[0] == pytest.approx(0.01 * np.sum(layer.kernel.data ** 2), rel=1e-5)
    assert penalties[1] == pytest.approx(0.01 * 2)
    assert len(penalties) == 3


def test_conv_wrong_rank_or_channels_names_layer_and_shapes():
    layer = Conv2D(2, 3, name="features")
    with pytest.raises(ValueError, match=r"'features' \(Conv2D\).*rank 4.*\(2, 8, 3\)"):
        layer(np.ones((2, 8, 3)))
    layer(np.ones((1, 8, 8, 3)))
    with pytest.raises(ValueError, match=r"'features' \(Conv2D\).*axis -1.*size 3.*"
                                         r"\(1, 8, 8, 5\)"):
        layer(np.ones((1, 8, 8, 5)))
    with pytest.raises(ValueError, match=r"\(Conv1D\).*rank 3.*\(1, 8, 8, 3\)"):
        Conv1D(2, 3)(np.ones((1, 8, 8, 3)))


@pytest.mark.parametrize("make,message", [
    (lambda: Conv2D(4, 3, data_format="channels_first"), "channels_last"),
    (lambda: Conv2D(4, 3, padding="causal"), "padding must be one of"),
    (lambda: Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate > 1"),
    (lambda: Conv2D(0, 3), "filters must be a positive"),
    (lambda: Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda: Conv2D(4, 3, groups=2), "groups=1"),
    (lambda: Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
])
def test_conv_invalid_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_conv2d_accepts_channels_last_and_keeps_float32():
    layer = Conv2D(2, 3, data_format="channels_last")
    out = layer(np.ones((1, 5, 5, 1), dtype=np.float64))
    assert out.dtype == np.float32
    assert layer.get_config()["kernel_size"] == (3, 3)
