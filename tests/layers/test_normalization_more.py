"""UnitNormalization, GroupNormalization and RMSNormalization against PyTorch and their
formulas: values, gradients, gradcheck in float64, config and save/load round trips."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import GroupNormalization, RMSNormalization, UnitNormalization
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from harness import run_layer_test


def _pair(shape, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


@pytest.mark.parametrize("cls, kwargs, shape, n_weights", [
    (UnitNormalization, {}, (2, 3, 4), 0),
    (UnitNormalization, {"axis": [1, 2]}, (2, 3, 4), 0),
    (GroupNormalization, {"groups": 2}, (2, 3, 4), 2),
    (GroupNormalization, {"groups": 3, "axis": 1, "center": False}, (2, 6, 4), 1),
    (RMSNormalization, {}, (2, 3, 4), 1),
    (RMSNormalization, {"axis": [1, 2]}, (2, 3, 4), 1),
])
def test_harness(cls, kwargs, shape, n_weights):
    run_layer_test(cls, kwargs, shape, shape, n_weights)


def test_unit_normalization_matches_torch_normalize_and_keeps_zeros():
    x, xt = _pair((3, 4, 5))
    layer = UnitNormalization(axis=[1, 2])
    y = layer(x)
    flat = xt.reshape(3, -1)
    expected = torch.nn.functional.normalize(flat, dim=1, eps=1e-12).reshape(3, 4, 5)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    zeros = Tensor(np.zeros((2, 3), np.float32), requires_grad=True)
    out = UnitNormalization()(zeros)
    out.backward(np.ones((2, 3), np.float32))
    assert np.all(out.data == 0) and np.all(np.isfinite(zeros.grad))
    gradcheck(lambda v: UnitNormalization(dtype="float64")(v),
              np.random.default_rng(2).standard_normal((2, 5)))


@pytest.mark.parametrize("groups, shape", [(2, (2, 5, 6, 4)), (4, (3, 7, 8)), (1, (2, 3, 6)),
                                           (6, (2, 3, 3, 6))])
def test_group_normalization_matches_torch_group_norm(groups, shape):
    x, xt = _pair(shape)
    layer = GroupNormalization(groups=groups, epsilon=1e-5,
                               gamma_initializer="random_normal",
                               beta_initializer="random_normal")
    y = layer(x)
    channels_first = xt.movedim(-1, 1)  # torch wants (N, C, ...)
    gamma = torch.tensor(layer.gamma.data, requires_grad=True)
    beta = torch.tensor(layer.beta.data, requires_grad=True)
    expected = torch.nn.functional.group_norm(channels_first, groups, gamma, beta, 1e-5)
    expected = expected.movedim(1, -1)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(layer.gamma.grad, gamma.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.beta.grad, beta.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_group_normalization_gradcheck_and_channels_first_axis():
    layer = GroupNormalization(groups=2, axis=1, dtype="float64",
                               gamma_initializer="random_normal")
    x = np.random.default_rng(3).standard_normal((2, 4, 3))
    gradcheck(lambda v: layer(v), x)
    expected = torch.nn.functional.group_norm(torch.tensor(x), 2, torch.tensor(layer.gamma.data),
                                              torch.tensor(layer.beta.data), 1e-3)
    np.testing.assert_allclose(layer(x).data, expected.numpy(), rtol=1e-10, atol=1e-10)


def test_rms_normalization_matches_torch_rms_norm():
    x, xt = _pair((2, 3, 6))
    layer = RMSNormalization(epsilon=1e-5)
    y = layer(x)
    layer.scale.data[...] = np.linspace(0.5, 1.5, 6)
    y = layer(x)
    norm = torch.nn.RMSNorm(6, eps=1e-5)
    with torch.no_grad():
        norm.weight.copy_(torch.tensor(layer.scale.data))
    expected = norm(xt)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.scale.grad, norm.weight.grad.numpy(), rtol=1e-4,
                               atol=1e-5)
    double = RMSNormalization(axis=[1, 2], dtype="float64")
    gradcheck(lambda v: double(v), np.random.default_rng(4).standard_normal((2, 3, 2)))
    assert double.scale.shape == (3, 2)


def test_normalizations_survive_save_and_load(tmp_path):
    inputs = Input((4, 6))
    h = GroupNormalization(groups=3, gamma_initializer="random_normal")(inputs)
    h = RMSNormalization()(h)
    model = Model(inputs, UnitNormalization()(h))
    x = np.random.default_rng(5).standard_normal((2, 4, 6)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers[1:]] == [
        "GroupNormalization", "RMSNormalization", "UnitNormalization"]


def test_errors_name_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"'gn' \(GroupNormalization\): groups=4 must divide "
                                         r"the 6 channels.*\(2, 3, 6\)"):
        GroupNormalization(groups=4, name="gn")(np.zeros((2, 3, 6), np.float32))
    with pytest.raises(ValueError, match=r"GroupNormalization: groups must be"):
        GroupNormalization(groups=0)
    with pytest.raises(ValueError, match=r"'un' \(UnitNormalization\): axis 3 is not a feature "
                                         r"axis.*\(2, 3\)"):
        UnitNormalization(axis=3, name="un")(np.zeros((2, 3), np.float32))
    layer = RMSNormalization(name="rms")
    layer(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match=r"'rms' \(RMSNormalization\).*size 4.*\(2, 5\)"):
        layer(np.zeros((2, 5), np.float32))
    with pytest.raises(ValueError, match=r"RMSNormalization: epsilon must be > 0"):
        RMSNormalization(epsilon=0)
