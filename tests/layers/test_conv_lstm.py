"""ConvLSTM2D against a NumPy reference of Keras' equations (gates i, f, c, o), float64
gradcheck, the harness, dropout, states, save/load and errors."""

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.conv import conv_pads
from dlpath.layers import ConvLSTM2D
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


def numpy_conv2d(x, kernel, strides=(1, 1), padding="valid", dilation=(1, 1)):
    """Keras' conv2d of NHWC x with (kh, kw, C, O), one window offset at a time."""
    kh, kw = kernel.shape[:2]
    (top, bottom), (left, right) = conv_pads(x.shape[1:3], (kh, kw), strides, dilation,
                                             padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    ho = (xp.shape[1] - (kh - 1) * dilation[0] - 1) // strides[0] + 1
    wo = (xp.shape[2] - (kw - 1) * dilation[1] - 1) // strides[1] + 1
    y = np.zeros((x.shape[0], ho, wo, kernel.shape[3]))
    for p in range(kh):
        for q in range(kw):
            a, b = p * dilation[0], q * dilation[1]
            patch = xp[:, a:a + strides[0] * (ho - 1) + 1:strides[0],
                       b:b + strides[1] * (wo - 1) + 1:strides[1]]
            y += patch @ kernel[p, q]
    return y


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numpy_conv_lstm(x, kernel, recurrent, bias, strides, padding, dilation,
                    go_backwards=False):
    """The Keras equations, step by step: returns (outputs (B, T, H', W', F), h, c)."""
    f = recurrent.shape[2]
    steps = range(x.shape[1])
    h = c = None
    outputs = []
    for t in (reversed(steps) if go_backwards else steps):
        zx = numpy_conv2d(x[:, t], kernel, strides, padding, dilation) + bias
        if h is None:
            h = c = np.zeros(zx.shape[:-1] + (f,))
        z = zx + numpy_conv2d(h, recurrent, padding="same")
        i, g_f = sigmoid(z[..., :f]), sigmoid(z[..., f:2 * f])
        g, o = np.tanh(z[..., 2 * f:3 * f]), sigmoid(z[..., 3 * f:])
        c = g_f * c + i * g
        h = o * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c


@pytest.mark.parametrize("kernel_size,strides,padding,dilation,backwards", [
    (3, 1, "same", 1, False), (3, 1, "valid", 1, True), ((2, 3), 2, "same", 1, False),
    (2, 1, "valid", 2, False),
])
def test_conv_lstm2d_matches_the_keras_equations(kernel_size, strides, padding, dilation,
                                                 backwards):
    x = np.random.default_rng(1).standard_normal((2, 4, 6, 7, 3)).astype(np.float32)
    layer = ConvLSTM2D(5, kernel_size, strides, padding, dilation_rate=dilation,
                       return_sequences=True, return_state=True, go_backwards=backwards,
                       bias_initializer="random_normal")
    outputs, h, c = layer(x)
    kernel, recurrent, bias = (w.data.astype(np.float64) for w in layer.weights)
    expected = numpy_conv_lstm(x.astype(np.float64), kernel, recurrent, bias,
                               layer.strides, padding, layer.dilation_rate, backwards)
    for ours, theirs in zip((outputs, h, c), expected):
        np.testing.assert_allclose(ours.data, theirs, rtol=1e-4, atol=1e-5)
    last = ConvLSTM2D.from_config({**layer.get_config(), "return_sequences": False,
                                   "return_state": False})
    last(x)
    last.set_weights(layer.get_weights())
    np.testing.assert_allclose(last(x).data, expected[1], rtol=1e-4, atol=1e-5)


def test_conv_lstm2d_weights_are_keras_layout_and_unit_forget_bias():
    layer = ConvLSTM2D(4, (3, 2), name="clstm")
    layer(np.zeros((1, 2, 5, 5, 3), np.float32))
    assert [(w.name.split("/")[-1], w.shape) for w in layer.weights] == [
        ("kernel", (3, 2, 3, 16)), ("recurrent_kernel", (3, 2, 4, 16)), ("bias", (16,))]
    assert layer.weights[0].name.startswith("clstm/")
    np.testing.assert_array_equal(layer.weights[2].data,
                                  np.r_[np.zeros(4), np.ones(4), np.zeros(8)])
    plain = ConvLSTM2D(2, 2, unit_forget_bias=False)
    plain(np.zeros((1, 2, 3, 3, 1), np.float32))
    np.testing.assert_array_equal(plain.weights[2].data, 0)


def test_conv_lstm2d_gradcheck_in_float64():
    x = np.random.default_rng(2).standard_normal((1, 3, 3, 3, 2))
    layer = ConvLSTM2D(2, 2, padding="same", return_sequences=True, dtype="float64",
                       bias_initializer="random_normal")
    layer(x)
    weights = [w.data.copy() for w in layer.weights]
    cell = layer.cell

    def fn(x, kernel, recurrent, bias):
        cell.kernel, cell.recurrent_kernel, cell.bias = kernel, recurrent, bias
        return layer.call(x)

    gradcheck(fn, x, *weights)


@pytest.mark.parametrize("kwargs,output_shape", [
    ({"filters": 3, "kernel_size": 2}, (2, 3, 4, 3)),
    ({"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True,
      "strides": 2}, (2, 3, 2, 3, 2)),
])
def test_conv_lstm2d_harness(kwargs, output_shape):
    run_layer_test(ConvLSTM2D, kwargs, (2, 3, 4, 5, 2), output_shape, 3)


def test_conv_lstm2d_dropout_only_while_training():
    x = np.random.default_rng(3).standard_normal((2, 3, 4, 4, 2)).astype(np.float32)
    layer = ConvLSTM2D(3, 3, padding="same", dropout=0.5, recurrent_dropout=0.3, seed=1)
    plain = ConvLSTM2D(3, 3, padding="same")
    inference = layer(x, training=False).data
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(inference, plain(x).data, rtol=1e-6)
    trained = layer(Tensor(x), training=True)
    assert not np.allclose(trained.data, inference)
    trained.backward(np.ones(trained.shape, np.float32))
    assert all(w.grad is not None for w in layer.weights)


def test_conv_lstm2d_initial_state_is_used_and_checked():
    x = np.random.default_rng(4).standard_normal((2, 2, 4, 4, 1)).astype(np.float32)
    layer = ConvLSTM2D(2, 3, name="clstm")
    zero = layer(x).data
    start = [np.full((2, 2, 2, 2), 0.5, np.float32)] * 2
    assert not np.allclose(layer(x, initial_state=start).data, zero)
    with pytest.raises(ValueError, match=r"'clstm' \(ConvLSTM2D\): initial_state.*"
                                         r"\(2, 2, 2, 2\).*\(2, 4, 4, 2\)"):
        layer(x, initial_state=[np.zeros((2, 4, 4, 2), np.float32)] * 2)


def test_conv_lstm2d_survives_save_and_load(tmp_path):
    inputs = Input((3, 4, 4, 2))
    model = Model(inputs, ConvLSTM2D(2, 3, padding="same", return_sequences=True)(inputs))
    x = np.random.default_rng(5).standard_normal((2, 3, 4, 4, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_conv_lstm2d_errors_name_layer_argument_and_shapes():
    with pytest.raises(ValueError, match=r"'clstm' \(ConvLSTM2D\).*rank 5.*\(2, 3, 4, 2\)"
                                         r".*\(batch, time, height, width, channels\)"):
        ConvLSTM2D(2, 2, name="clstm")(np.zeros((2, 3, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"ConvLSTM2D: filters must be a positive int"):
        ConvLSTM2D(0, 2)
    with pytest.raises(ValueError, match=r"ConvLSTM2D: padding must be"):
        ConvLSTM2D(2, 2, padding="causal")
    with pytest.raises(ValueError, match=r"ConvLSTM2D: strides > 1 are not supported"):
        ConvLSTM2D(2, 2, strides=2, dilation_rate=2)
    with pytest.raises(NotImplementedError, match=r"stateful=True"):
        ConvLSTM2D(2, 2, stateful=True)
    layer = ConvLSTM2D(2, 2, name="masked")
    x = np.zeros((2, 3, 3, 3, 1), np.float32)
    with pytest.raises(NotImplementedError, match=r"'masked' \(ConvLSTM2D\): masks"):
        layer(x, mask=np.array([[1, 1, 0], [1, 1, 1]], bool))
