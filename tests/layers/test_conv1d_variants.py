"""Conv1DTranspose and DepthwiseConv1D (and their engine functions) against PyTorch's
ConvTranspose1d / grouped conv1d with weights copied, gradcheck in float64, harness,
save/load, and errors that name the layer."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, conv, gradcheck
from dlpath.engine.conv1d_variants import conv1d_transpose, depthwise_conv1d
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from dlpath.layers import Conv1DTranspose, Convolution1DTranspose, DepthwiseConv1D
from harness import run_layer_test
from reference import check_op, random_inputs


def torch_conv1d_transpose(x, k, b, strides, padding, output_padding, dilation):
    """Keras' Conv1DTranspose in PyTorch: the full transposed output (padding 0), then
    cropped, or zero-extended (bias included), to Keras' length."""
    full = F.conv_transpose1d(x.permute(0, 2, 1), k.permute(2, 1, 0), b, stride=strides,
                              dilation=dilation)  # (N, O, full)
    length, top = conv.transpose_output_size(x.shape[1], k.shape[0], strides, dilation,
                                             padding, output_padding)
    extra = max(top + length - full.shape[2], 0)
    if extra:
        tail = torch.zeros(full.shape[0], full.shape[1], extra)
        full = torch.cat([full, tail + (0 if b is None else b[None, :, None])], dim=2)
    return full[:, :, top:top + length].permute(0, 2, 1)


GRID = [(k, s, p, d, a) for k, s, p, d in itertools.product([1, 2, 3, 4], [1, 2, 3],
                                                            ["valid", "same"], [1, 2])
        if s == 1 or d == 1 for a in ([None] + list(range(s)))]


@pytest.mark.parametrize("kernel,strides,padding,dilation,output_padding", GRID)
def test_conv1d_transpose_matches_torch(kernel, strides, padding, dilation, output_padding):
    x, k, b = random_inputs([(2, 5, 3), (kernel, 4, 3), (4,)], seed=kernel + strides)
    check_op(lambda x, k, b: conv1d_transpose(x, k, b, strides, padding, output_padding,
                                              dilation),
             lambda x, k, b: torch_conv1d_transpose(x, k, b, strides, padding, output_padding,
                                                    dilation),
             [x, k, b], finite_differences=kernel == 3)


@pytest.mark.parametrize("strides,output_padding,dilation", [(2, 1, 1), (3, 2, 1), (1, 0, 2)])
def test_valid_conv1d_transpose_layer_is_torch_conv_transpose1d(strides, output_padding,
                                                                dilation):
    """Keras' 'valid' with an output_padding is exactly nn.ConvTranspose1d(padding=0)."""
    x = np.random.default_rng(0).standard_normal((2, 6, 3)).astype(np.float32)
    layer = Conv1DTranspose(4, 3, strides, output_padding=output_padding,
                            dilation_rate=dilation, bias_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    y = layer(inputs)
    module = torch.nn.ConvTranspose1d(3, 4, 3, strides, output_padding=output_padding,
                                      dilation=dilation)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(layer.kernel.data).permute(2, 1, 0))
        module.bias.copy_(torch.tensor(layer.bias.data))
    xt = torch.tensor(x, requires_grad=True)
    expected = module(xt.permute(0, 2, 1)).permute(0, 2, 1)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.kernel.grad, module.weight.grad.permute(2, 1, 0).numpy(),
                               rtol=1e-4, atol=1e-4)
    assert layer.compute_output_shape((None, 6, 3)) == (None,) + y.shape[1:]


@pytest.mark.parametrize("kernel,strides,padding,dilation,m", [
    (3, 1, "valid", 1, 1), (3, 2, "same", 1, 2), (2, 1, "same", 2, 3), (4, 2, "valid", 1, 1),
    (3, 1, "causal", 2, 2),
])
def test_depthwise_conv1d_matches_torch_grouped_conv1d(kernel, strides, padding, dilation, m):
    x, k, b = random_inputs([(2, 9, 3), (kernel, 3, m), (3 * m,)], seed=kernel)

    def torch_fn(x, k, b):
        k_eff = (kernel - 1) * dilation + 1
        if padding == "causal":
            pads = (k_eff - 1, 0)
        elif padding == "same":
            total = max((-(-9 // strides) - 1) * strides + k_eff - 9, 0)
            pads = (total // 2, total - total // 2)
        else:
            pads = (0, 0)
        weight = k.permute(1, 2, 0).reshape(3 * m, 1, kernel)  # (C m, 1, k)
        y = F.conv1d(F.pad(x.permute(0, 2, 1), pads), weight, b, strides, dilation=dilation,
                     groups=3)
        return y.permute(0, 2, 1)

    check_op(lambda x, k, b: depthwise_conv1d(x, k, b, strides, padding, dilation), torch_fn,
             [x, k, b])


@pytest.mark.parametrize("cls, kwargs, expected, n_weights", [
    (Conv1DTranspose, {"filters": 4, "kernel_size": 3, "strides": 2}, (2, 11, 4), 2),
    (Conv1DTranspose, {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same",
                       "output_padding": 1, "use_bias": False}, (2, 10, 4), 1),
    (DepthwiseConv1D, {"kernel_size": 3, "depth_multiplier": 2}, (2, 3, 6), 2),
    (DepthwiseConv1D, {"kernel_size": 2, "padding": "causal", "activation": "relu"},
     (2, 5, 3), 2),
])
def test_harness(cls, kwargs, expected, n_weights):
    run_layer_test(cls, kwargs, (2, 5, 3), expected, n_weights)


def test_layers_gradcheck_in_float64():
    x = np.random.default_rng(2).standard_normal((2, 4, 2))
    transposed = Conv1DTranspose(3, 3, 2, padding="same", dtype="float64",
                                 bias_initializer="random_normal")
    gradcheck(lambda v: transposed(v), x)
    depthwise = DepthwiseConv1D(2, depth_multiplier=2, padding="same", dtype="float64")
    gradcheck(lambda v: depthwise(v), x)


def test_weights_layout_names_and_alias():
    layer = Conv1DTranspose(5, 3, name="up")
    layer(np.zeros((1, 4, 2), np.float32))
    assert [(w.name, w.shape) for w in layer.weights] == [("up/kernel", (3, 5, 2)),
                                                          ("up/bias", (5,))]
    assert Convolution1DTranspose is Conv1DTranspose
    depthwise = DepthwiseConv1D(3, depth_multiplier=2, name="dw")
    depthwise(np.zeros((1, 4, 2), np.float32))
    assert depthwise.depthwise_kernel.shape == (3, 2, 2)
    config = depthwise.get_config()
    assert config["depth_multiplier"] == 2 and "filters" not in config
    assert config["kernel_size"] == (3,) and config["strides"] == (1,)


def test_save_and_load(tmp_path):
    inputs = Input((6, 3))
    h = Conv1DTranspose(4, 3, strides=2, padding="same", activation="relu")(inputs)
    model = Model(inputs, DepthwiseConv1D(3, depth_multiplier=2)(h))
    x = np.random.default_rng(5).standard_normal((2, 6, 3)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.predict(x, verbose=0).shape == (2, 10, 8)


def test_errors_name_the_layer_argument_and_shapes():
    with pytest.raises(ValueError, match=r"'ct' \(Conv1DTranspose\).*rank 3.*\(2, 3, 4, 5\)"
                                         r".*\(batch, steps, channels\)"):
        Conv1DTranspose(2, 2, name="ct")(np.zeros((2, 3, 4, 5), np.float32))
    with pytest.raises(ValueError, match=r"Conv1DTranspose: output_padding must be .* "
                                         r"smaller than strides 2, got 2"):
        Conv1DTranspose(2, 3, strides=2, output_padding=2)
    layer = DepthwiseConv1D(2, name="dw")
    layer(np.zeros((1, 4, 3), np.float32))
    with pytest.raises(ValueError, match=r"'dw' \(DepthwiseConv1D\).*axis -1.*size 3"):
        layer(np.zeros((1, 4, 5), np.float32))
    with pytest.raises(ValueError, match=r"DepthwiseConv1D: depth_multiplier must be"):
        DepthwiseConv1D(2, depth_multiplier=0)
    with pytest.raises(ValueError, match=r"conv1d_transpose: expected an input of rank 3"):
        conv1d_transpose(np.zeros((2, 3)), np.zeros((2, 2, 3)))
