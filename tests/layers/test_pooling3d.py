"""3-D pooling layers against torch, harness, aliases, save/load and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    AveragePooling3D, AvgPool3D, GlobalAveragePooling3D, GlobalAvgPool3D, GlobalMaxPool3D,
    GlobalMaxPooling3D, MaxPool3D, MaxPooling3D,
)
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test


@pytest.mark.parametrize("layer_cls,torch_fn", [(MaxPooling3D, F.max_pool3d),
                                                (AveragePooling3D, F.avg_pool3d)])
@pytest.mark.parametrize("pool,strides", [(2, None), ((1, 2, 3), (1, 1, 2)), (3, 2)])
def test_pooling3d_valid_matches_torch(layer_cls, torch_fn, pool, strides):
    x = np.random.default_rng(1).standard_normal((2, 5, 6, 7, 3)).astype(np.float32)
    layer = layer_cls(pool, strides)
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_fn(xt.permute(0, 4, 1, 2, 3), layer.pool_size,
                        layer.strides).permute(0, 2, 3, 4, 1)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_average_pooling3d_same_averages_only_the_cells_inside():
    x = np.arange(27, dtype=np.float32).reshape(1, 3, 3, 3, 1)
    out = AveragePooling3D(2, padding="same")(x).data
    assert out.shape == (1, 2, 2, 2, 1)
    assert out[0, 1, 1, 1, 0] == 26.0  # the corner window holds one real cell
    np.testing.assert_allclose(out[0, 0, 0, 0, 0], x[0, :2, :2, :2, 0].mean())


@pytest.mark.parametrize("layer_cls,reduce", [(GlobalMaxPooling3D, torch.amax),
                                              (GlobalAveragePooling3D, torch.mean)])
def test_global_pooling3d_matches_torch(layer_cls, reduce):
    x = np.random.default_rng(2).standard_normal((2, 3, 4, 5, 3)).astype(np.float32)
    out = layer_cls()(x)
    expected = reduce(torch.tensor(x), dim=(1, 2, 3))
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-5, atol=1e-6)
    assert layer_cls(keepdims=True)(x).shape == (2, 1, 1, 1, 3)


@pytest.mark.parametrize("layer_cls", [MaxPooling3D, AveragePooling3D])
def test_pooling3d_layer_gradcheck_in_float64(layer_cls):
    x = np.random.default_rng(3).standard_normal((1, 3, 4, 3, 2))
    layer = layer_cls(2, 1, "same", dtype="float64")
    gradcheck(lambda x: layer(x), x)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", [
    (MaxPooling3D, {}, (2, 4, 5, 6, 2), (2, 2, 2, 3, 2)),
    (AveragePooling3D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 4, 3, 2),
     (2, 3, 2, 2, 2)),
    (GlobalMaxPooling3D, {"keepdims": True}, (2, 3, 3, 3, 2), (2, 1, 1, 1, 2)),
    (GlobalAveragePooling3D, {}, (2, 3, 3, 3, 2), (2, 2)),
])
def test_pooling3d_layers_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, 0)


def test_pooling3d_aliases_and_defaults():
    assert MaxPool3D is MaxPooling3D and AvgPool3D is AveragePooling3D
    assert GlobalMaxPool3D is GlobalMaxPooling3D and GlobalAvgPool3D is GlobalAveragePooling3D
    config = MaxPooling3D().get_config()
    assert config["pool_size"] == (2, 2, 2) and config["strides"] == (2, 2, 2)
    assert config["padding"] == "valid"


def test_pooling3d_survives_save_and_load(tmp_path):
    inputs = Input((4, 4, 4, 2))
    hidden = MaxPooling3D(2, padding="same")(inputs)
    model = Model(inputs, GlobalAveragePooling3D()(AveragePooling3D(2, 1)(hidden)))
    x = np.random.default_rng(4).standard_normal((2, 4, 4, 4, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_pooling3d_errors_name_layer_and_shapes():
    shape = r"\(batch, depth, height, width, channels\)"
    with pytest.raises(ValueError, match=r"'p' \(MaxPooling3D\).*rank 5.*\(1, 4, 4, 2\).*"
                                         + shape):
        MaxPooling3D(name="p")(np.zeros((1, 4, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"'g' \(GlobalAveragePooling3D\).*rank 5.*" + shape):
        GlobalAveragePooling3D(name="g")(np.zeros((1, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"AveragePooling3D: pool_size must be"):
        AveragePooling3D((2, 2))
    with pytest.raises(ValueError, match=r"smaller than the pool"):
        MaxPooling3D(3)(np.zeros((1, 2, 4, 4, 1), np.float32))
