"""SpectralNormalization against torch's spectral_norm parametrization and numpy's SVD,
float64 gradcheck, the harness, save/load and errors."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.keras import layers as keras_layers
from dlpath.layers import Conv2D, Dense, Dropout, Embedding, SpectralNormalization
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


@pytest.mark.parametrize("iterations", [1, 3])
def test_spectral_normalization_matches_torch_in_training(iterations):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 5)).astype(np.float32)
    layer = SpectralNormalization(Dense(3), power_iterations=iterations)
    layer(x)
    kernel, bias = layer.layer.get_weights()
    u = layer.vector_u.data.copy()
    linear = torch.nn.Linear(5, 3)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(kernel.T))
        linear.bias.copy_(torch.tensor(bias))
    # dim=1: torch iterates on the (in, out) matrix, the kernel's layout, and its `_v`
    # (out,) then plays our u: u' = normalize(W v), v = normalize(W^T u'), sigma = u' W v.
    linear = torch.nn.utils.parametrizations.spectral_norm(
        linear, n_power_iterations=iterations, dim=1)
    linear.parametrizations.weight[0]._v.copy_(torch.tensor(u[0]))
    linear.train()
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs, training=True)
    xt = torch.tensor(x, requires_grad=True)
    expected = linear(xt)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.vector_u.data[0],
                               linear.parametrizations.weight[0]._v.numpy(), rtol=1e-5,
                               atol=1e-6)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    original = linear.parametrizations.weight.original.grad.numpy()
    np.testing.assert_allclose(layer.layer.kernel.grad, original.T, rtol=1e-4, atol=1e-6)


def test_spectral_normalization_converges_to_the_largest_singular_value():
    x = np.random.default_rng(1).standard_normal((2, 6, 6, 3)).astype(np.float32)
    layer = SpectralNormalization(Conv2D(4, 3), power_iterations=200)
    layer(x, training=True)
    kernel = layer.layer.kernel.data.astype(np.float64)
    sigma = np.linalg.svd(kernel.reshape(-1, 4), compute_uv=False)[0]
    normalized = layer.normalized_kernel().data
    np.testing.assert_allclose(normalized, kernel / sigma, rtol=1e-4, atol=1e-6)
    assert np.linalg.svd(normalized.reshape(-1, 4), compute_uv=False)[0] == pytest.approx(
        1.0, rel=1e-4)
    plain = Conv2D(4, 3)
    plain(x)
    plain.set_weights([normalized, layer.layer.bias.data])
    np.testing.assert_allclose(layer(x).data, plain(x).data, rtol=1e-4, atol=1e-5)


def test_spectral_normalization_updates_u_only_in_training():
    x = np.random.default_rng(2).standard_normal((3, 4)).astype(np.float32)
    layer = SpectralNormalization(Dense(5))
    layer(x)
    before = layer.vector_u.data.copy()
    layer(x, training=False)
    np.testing.assert_array_equal(layer.vector_u.data, before)
    layer(x, training=True)
    assert not np.allclose(layer.vector_u.data, before)
    assert np.linalg.norm(layer.vector_u.data) == pytest.approx(1.0, rel=1e-5)


def test_spectral_normalization_gradcheck_in_float64():
    x = np.random.default_rng(3).standard_normal((3, 4))
    layer = SpectralNormalization(Dense(3, dtype="float64"), dtype="float64")
    layer(x, training=True)
    kernel = layer.layer.kernel.data.copy()
    dense = layer.layer

    def fn(x, w):
        dense.kernel = w
        return layer.call(x, training=False)

    gradcheck(fn, x, kernel)


def test_spectral_normalization_wraps_embeddings_and_leaves_zero_kernels():
    layer = SpectralNormalization(Embedding(6, 4))
    ids = np.array([[0, 5, 2]])
    layer(ids, training=True)
    out = layer(ids)  # inference: sigma = ||u W^T|| with the stored u
    table = layer.layer.embeddings.data.astype(np.float64)
    sigma = np.linalg.norm(layer.vector_u.data @ table.T)
    assert out.shape == (1, 3, 4)
    np.testing.assert_allclose(out.data[0], table[ids[0]] / sigma, rtol=1e-5, atol=1e-7)
    zero = SpectralNormalization(Dense(2, kernel_initializer="zeros"))
    np.testing.assert_array_equal(zero(np.ones((1, 3), np.float32), training=True).data, 0)


def test_spectral_normalization_harness_and_keras_name():
    layer, _ = run_layer_test(SpectralNormalization, {"layer": Dense(3),
                                                      "power_iterations": 2},
                              (4, 5), (4, 3), 2, 1)
    assert layer.get_config()["power_iterations"] == 2
    assert layer.vector_u.shape == (1, 3)
    assert keras_layers.SpectralNormalization is SpectralNormalization


def test_spectral_normalization_survives_training_save_and_load(tmp_path):
    inputs = Input((4,))
    model = Model(inputs, SpectralNormalization(Dense(2))(inputs))
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(4)
    x, y = rng.standard_normal((8, 4)), rng.standard_normal((8, 2))
    before = model.layers[-1].vector_u.data.copy()
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert not np.allclose(model.layers[-1].vector_u.data, before)  # fit trains: u moves
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    np.testing.assert_array_equal(loaded.layers[-1].vector_u.data,
                                  model.layers[-1].vector_u.data)


def test_spectral_normalization_errors_name_layer_and_argument():
    with pytest.raises(ValueError, match=r"SpectralNormalization: power_iterations must be"):
        SpectralNormalization(Dense(2), power_iterations=0)
    with pytest.raises(TypeError, match=r"SpectralNormalization: layer must be a Layer"):
        SpectralNormalization("dense")
    with pytest.raises(ValueError, match=r"'sn' \(SpectralNormalization\).*'drop' "
                                         r"\(Dropout\).*neither a 'kernel' nor"):
        SpectralNormalization(Dropout(0.5, name="drop"), name="sn")(np.ones((2, 3)))
