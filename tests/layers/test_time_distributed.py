"""TimeDistributed against a reshaped torch Linear / Conv2d, and RepeatVector."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Conv2D, Dense, Embedding, LSTM, RepeatVector, TimeDistributed
from dlpath.layers.input_layer import Input
from dlpath.models import Model, Sequential
from harness import run_layer_test


def test_time_distributed_dense_matches_torch_linear():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    layer = TimeDistributed(Dense(4, bias_initializer="random_normal"))
    ours = Tensor(x, requires_grad=True)
    out = layer(ours)
    kernel, bias = layer.get_weights()
    linear = torch.nn.Linear(3, 4)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(kernel.T))
        linear.bias.copy_(torch.tensor(bias))
    theirs = torch.tensor(x, requires_grad=True)
    expected = linear(theirs.reshape(10, 3)).reshape(2, 5, 4)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = rng.standard_normal((2, 5, 4)).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.layer.kernel.grad, linear.weight.grad.numpy().T,
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer.layer.bias.grad, linear.bias.grad.numpy(), rtol=1e-5,
                               atol=1e-5)


def test_time_distributed_conv2d_equals_the_layer_at_each_step():
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 5, 2)).astype(np.float32)
    layer = TimeDistributed(Conv2D(4, 3))
    out = layer(x)
    assert out.shape == (2, 3, 3, 3, 4)
    for t in range(3):
        np.testing.assert_allclose(out.data[:, t], layer.layer(x[:, t]).data, rtol=1e-5,
                                   atol=1e-6)


def test_time_distributed_harness_gradcheck_and_weights():
    run_layer_test(TimeDistributed, {"layer": Dense(3)}, (2, 4, 5), (2, 4, 3), 2)
    layer = TimeDistributed(Dense(2, dtype="float64"), dtype="float64")
    x = np.random.default_rng(2).standard_normal((2, 3, 4))
    layer(x)

    def fn(inputs, kernel):
        layer.layer.kernel = kernel
        return layer(inputs)

    gradcheck(fn, x, np.random.default_rng(3).standard_normal((4, 2)))


def test_time_distributed_passes_the_mask_to_an_lstm():
    ids = np.array([[1, 2, 0, 0], [3, 1, 2, 4]])
    inputs = Input((4,), dtype="int64")
    x = TimeDistributed(Dense(3))(Embedding(5, 2, mask_zero=True)(inputs))
    model = Model(inputs, LSTM(2)(x))
    shorter = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
    td, lstm = model.layers[2], model.layers[3]
    steps = td(model.layers[1](np.array([[1, 2]])))
    np.testing.assert_allclose(shorter, lstm(steps).data, rtol=1e-5, atol=1e-6)
    assert model.predict(ids, verbose=0).shape == (2, 2)


def test_time_distributed_errors():
    with pytest.raises(TypeError, match="TimeDistributed: layer must be a Layer"):
        TimeDistributed("dense")
    with pytest.raises(ValueError, match=r"'td' \(TimeDistributed\).*rank >= 3.*\(2, 3\)"):
        TimeDistributed(Dense(2), name="td")(np.zeros((2, 3)))


def test_repeat_vector_values_gradient_and_harness():
    x = np.random.default_rng(4).standard_normal((2, 3)).astype(np.float32)
    ours = Tensor(x, requires_grad=True)
    out = RepeatVector(4)(ours)
    theirs = torch.tensor(x, requires_grad=True)
    expected = theirs.unsqueeze(1).repeat(1, 4, 1)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    upstream = np.random.default_rng(5).standard_normal((2, 4, 3)).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-6)
    run_layer_test(RepeatVector, {"n": 3}, (2, 5), (2, 3, 5), 0)
    gradcheck(lambda t: RepeatVector(2, dtype="float64")(t), x.astype(np.float64))
    with pytest.raises(ValueError, match="RepeatVector: n must be a positive int"):
        RepeatVector(0)
    with pytest.raises(ValueError, match=r"\(RepeatVector\).*rank 2.*\(2, 3, 4\)"):
        RepeatVector(2)(np.zeros((2, 3, 4)))


def test_encoder_decoder_with_repeat_vector_and_time_distributed_trains():
    model = Sequential([Input((4, 2)), LSTM(3), RepeatVector(4), LSTM(3, return_sequences=True),
                        TimeDistributed(Dense(2))])
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(6).standard_normal((8, 4, 2)).astype(np.float32)
    history = model.fit(x, x, epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
