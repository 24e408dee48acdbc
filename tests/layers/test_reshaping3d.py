"""UpSampling3D, ZeroPadding3D and Cropping3D against PyTorch (values and gradients),
gradcheck, config and save/load round trips, and errors that name the layer."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Cropping3D, UpSampling3D, ZeroPadding3D
from dlpath.keras import Input, Model
from dlpath.keras.models import load_model
from harness import run_layer_test

SHAPE = (2, 3, 4, 5, 2)


@pytest.mark.parametrize("cls, kwargs, expected", [
    (UpSampling3D, {}, (2, 6, 8, 10, 2)),
    (UpSampling3D, {"size": (1, 2, 3)}, (2, 3, 8, 15, 2)),
    (ZeroPadding3D, {}, (2, 5, 6, 7, 2)),
    (ZeroPadding3D, {"padding": ((0, 1), (2, 0), (1, 1))}, (2, 4, 6, 7, 2)),
    (Cropping3D, {}, (2, 1, 2, 3, 2)),
    (Cropping3D, {"cropping": (0, 1, (2, 1))}, (2, 3, 2, 2, 2)),
])
def test_harness(cls, kwargs, expected):
    run_layer_test(cls, kwargs, SHAPE, expected, 0)


def _check(layer, torch_fn):
    x = np.random.default_rng(0).standard_normal(SHAPE).astype(np.float32)
    inputs, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y = layer(inputs)
    expected = torch_fn(xt.permute(0, 4, 1, 2, 3)).permute(0, 2, 3, 4, 1)
    np.testing.assert_allclose(y.data, expected.detach().numpy(), rtol=1e-6)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)
    y.backward(g)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    gradcheck(lambda v: type(layer).from_config({**layer.get_config(), "name": None,
                                                 "dtype": "float64"})(v),
              x[:1, :, :3, :4].astype(np.float64))


def test_upsampling3d_matches_torch_nearest():
    _check(UpSampling3D((2, 1, 3)),
           lambda t: torch.nn.functional.interpolate(t, scale_factor=(2, 1, 3), mode="nearest"))


def test_zero_padding3d_matches_torch_pad():
    _check(ZeroPadding3D(((1, 2), (0, 1), (3, 0))),
           lambda t: torch.nn.functional.pad(t, (3, 0, 0, 1, 1, 2)))


def test_cropping3d_matches_slicing():
    _check(Cropping3D(((1, 0), (0, 1), (1, 1))), lambda t: t[:, :, 1:, :3, 1:4])


def test_save_and_load(tmp_path):
    inputs = Input((3, 4, 5, 2))
    h = ZeroPadding3D(1)(UpSampling3D((1, 2, 1))(inputs))
    model = Model(inputs, Cropping3D(((1, 1), (2, 0), (0, 1)))(h))
    x = np.random.default_rng(5).standard_normal(SHAPE).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert model.predict(x, verbose=0).shape == (2, 3, 8, 6, 2)


def test_errors_name_the_layer_and_the_shapes():
    with pytest.raises(ValueError, match=r"'up' \(UpSampling3D\).*rank 5.*\(2, 3, 4, 5\)"
                                         r".*\(batch, depth, height, width, channels\)"):
        UpSampling3D(name="up")(np.zeros((2, 3, 4, 5), np.float32))
    with pytest.raises(ValueError, match=r"ZeroPadding3D: padding must be"):
        ZeroPadding3D((1, 2))
    with pytest.raises(ValueError, match=r"'cr' \(Cropping3D\): cropping .* leaves nothing"):
        Cropping3D(((2, 2), (0, 0), (0, 0)), name="cr")(np.zeros(SHAPE, np.float32))
