"""ConvLSTM1D and ConvLSTM3D against a step loop of Keras' equations on torch's
convolutions (float64), float64 gradcheck, the harness, save/load and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import gradcheck
from dlpath.keras import layers as keras_layers
from dlpath.layers import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


def torch_conv(x, kernel, strides, padding, dilation):
    """Keras' channels-last convolution of rank 1 or 3 on torch: x (B, *S, C), kernel
    (*k, C, O)."""
    rank = kernel.ndim - 2
    fn = F.conv1d if rank == 1 else F.conv3d
    weight = torch.tensor(np.moveaxis(kernel, (-1, -2), (0, 1)))  # (O, C, *k)
    xt = torch.tensor(np.moveaxis(x, -1, 1))  # (B, C, *S)
    y = fn(xt, weight, stride=strides, padding=padding, dilation=dilation)
    return np.moveaxis(y.numpy(), 1, -1)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def reference_conv_lstm(x, kernel, recurrent, bias, strides, padding, dilation,
                        go_backwards=False):
    """The Keras equations, step by step: returns (outputs (B, T, *S', F), h, c)."""
    f = recurrent.shape[-2]
    steps = range(x.shape[1])
    h = c = None
    outputs = []
    for t in (reversed(steps) if go_backwards else steps):
        zx = torch_conv(x[:, t], kernel, strides, padding, dilation) + bias
        if h is None:
            h = c = np.zeros(zx.shape[:-1] + (f,))
        z = zx + torch_conv(h, recurrent, 1, "same", 1)
        i, g_f = sigmoid(z[..., :f]), sigmoid(z[..., f:2 * f])
        g, o = np.tanh(z[..., 2 * f:3 * f]), sigmoid(z[..., 3 * f:])
        c = g_f * c + i * g
        h = o * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c


@pytest.mark.parametrize("layer_cls,shape,kernel_size,strides,padding,dilation,backwards", [
    (ConvLSTM1D, (2, 4, 9, 3), 3, 1, "same", 1, False),
    (ConvLSTM1D, (2, 4, 9, 3), 3, 2, "valid", 1, True),
    (ConvLSTM1D, (2, 3, 9, 2), 3, 1, "valid", 2, False),
    (ConvLSTM3D, (2, 3, 4, 5, 6, 2), 3, 1, "same", 1, False),
    (ConvLSTM3D, (2, 3, 5, 5, 6, 2), (3, 1, 3), (2, 1, 2), "valid", 1, True),
])
def test_conv_lstm_nd_matches_the_keras_equations(layer_cls, shape, kernel_size, strides,
                                                  padding, dilation, backwards):
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    layer = layer_cls(4, kernel_size, strides, padding, dilation_rate=dilation,
                      return_sequences=True, return_state=True, go_backwards=backwards,
                      bias_initializer="random_normal")
    outputs, h, c = layer(x)
    kernel, recurrent, bias = (w.data.astype(np.float64) for w in layer.weights)
    expected = reference_conv_lstm(x.astype(np.float64), kernel, recurrent, bias,
                                   layer.strides, padding, layer.dilation_rate, backwards)
    for ours, theirs in zip((outputs, h, c), expected):
        np.testing.assert_allclose(ours.data, theirs, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape((None,) + shape[1:])[0] == (None,) + outputs.shape[1:]


def test_conv_lstm1d_equals_conv_lstm2d_on_images_of_height_one():
    x = np.random.default_rng(2).standard_normal((2, 3, 7, 2)).astype(np.float32)
    one = ConvLSTM1D(3, 3, padding="same", return_sequences=True)
    two = ConvLSTM2D(3, (1, 3), padding="same", return_sequences=True)
    out = one(x)
    two(x[:, :, None])
    two.set_weights([w[None] if w.ndim == 3 else w for w in one.get_weights()])
    np.testing.assert_allclose(two(x[:, :, None]).data[:, :, 0], out.data, rtol=1e-5,
                               atol=1e-6)


def test_conv_lstm_nd_weights_are_keras_layout():
    layer = ConvLSTM3D(2, (3, 2, 1), name="c3")
    layer(np.zeros((1, 2, 4, 4, 4, 3), np.float32))
    cell = "c3/conv_lstm3d_cell/"
    assert [(w.name, w.shape) for w in layer.weights] == [
        (cell + "kernel", (3, 2, 1, 3, 8)), (cell + "recurrent_kernel", (3, 2, 1, 2, 8)),
        (cell + "bias", (8,))]
    np.testing.assert_array_equal(layer.weights[2].data, np.r_[0, 0, 1, 1, 0, 0, 0, 0])


@pytest.mark.parametrize("layer_cls,shape", [(ConvLSTM1D, (1, 3, 4, 2)),
                                             (ConvLSTM3D, (1, 2, 2, 3, 2, 1))])
def test_conv_lstm_nd_gradcheck_in_float64(layer_cls, shape):
    x = np.random.default_rng(3).standard_normal(shape)
    layer = layer_cls(2, 2, padding="same", return_sequences=True, dtype="float64",
                      bias_initializer="random_normal")
    layer(x)
    weights = [w.data.copy() for w in layer.weights]
    cell = layer.cell

    def fn(x, kernel, recurrent, bias):
        cell.kernel, cell.recurrent_kernel, cell.bias = kernel, recurrent, bias
        return layer.call(x)

    gradcheck(fn, x, *weights)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", [
    (ConvLSTM1D, {"filters": 3, "kernel_size": 2}, (2, 3, 5, 2), (2, 4, 3)),
    (ConvLSTM1D, {"filters": 2, "kernel_size": 3, "padding": "same", "strides": 2,
                  "return_sequences": True}, (2, 3, 5, 2), (2, 3, 3, 2)),
    (ConvLSTM3D, {"filters": 2, "kernel_size": 2}, (2, 2, 3, 4, 3, 1), (2, 2, 3, 2, 2)),
])
def test_conv_lstm_nd_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, 3)


def test_conv_lstm_nd_survives_save_and_load(tmp_path):
    inputs = Input((3, 6, 2))
    hidden = ConvLSTM1D(2, 3, padding="same", return_sequences=True)(inputs)
    model = Model(inputs, ConvLSTM1D(3, 2)(hidden))
    x = np.random.default_rng(5).standard_normal((2, 3, 6, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    volumes = Input((2, 3, 3, 3, 1))
    model = Model(volumes, ConvLSTM3D(2, 2, padding="same")(volumes))
    v = np.random.default_rng(6).standard_normal((2, 2, 3, 3, 3, 1)).astype(np.float32)
    model.save(tmp_path / "v.keras")
    loaded = load_model(tmp_path / "v.keras")
    np.testing.assert_array_equal(loaded.predict(v, verbose=0), model.predict(v, verbose=0))


def test_conv_lstm_nd_keras_names():
    assert keras_layers.ConvLSTM1D is ConvLSTM1D and keras_layers.ConvLSTM3D is ConvLSTM3D


def test_conv_lstm_nd_errors_name_layer_argument_and_shapes():
    with pytest.raises(ValueError, match=r"'c1' \(ConvLSTM1D\).*rank 4.*\(2, 3, 4, 2, 1\)"
                                         r".*\(batch, time, steps, channels\)"):
        ConvLSTM1D(2, 2, name="c1")(np.zeros((2, 3, 4, 2, 1), np.float32))
    with pytest.raises(ValueError, match=r"'c3' \(ConvLSTM3D\).*rank 6.*"
                                         r"\(batch, time, depth, height, width, channels\)"):
        ConvLSTM3D(2, 2, name="c3")(np.zeros((2, 3, 4, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"ConvLSTM3D: kernel_size must be"):
        ConvLSTM3D(2, (2, 2))
    with pytest.raises(ValueError, match=r"ConvLSTM1D: filters must be a positive int"):
        ConvLSTM1D(0, 2)
    with pytest.raises(NotImplementedError, match=r"ConvLSTM3D\(stateful=True\)"):
        ConvLSTM3D(2, 2, stateful=True)
    layer = ConvLSTM1D(2, 2, name="s")
    x = np.zeros((2, 2, 4, 1), np.float32)
    with pytest.raises(ValueError, match=r"'s' \(ConvLSTM1D\): initial_state.*\(2, 3, 2\)"):
        layer(x, initial_state=[np.zeros((2, 4, 2), np.float32)] * 2)
