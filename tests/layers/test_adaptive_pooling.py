"""Adaptive pooling layers against torch's adaptive pools, gradcheck, harness, save/load
and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.keras import layers as keras_layers
from dlpath.layers import (
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
)
from dlpath.layers.adaptive_pooling import adaptive_bins
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test

CASES = [
    (AdaptiveAveragePooling1D, F.adaptive_avg_pool1d, (2, 7, 3), 3),
    (AdaptiveAveragePooling1D, F.adaptive_avg_pool1d, (2, 4, 3), 6),
    (AdaptiveAveragePooling2D, F.adaptive_avg_pool2d, (2, 7, 5, 3), (3, 4)),
    (AdaptiveAveragePooling3D, F.adaptive_avg_pool3d, (2, 5, 6, 7, 2), (2, 4, 3)),
    (AdaptiveMaxPooling1D, F.adaptive_max_pool1d, (2, 9, 3), 4),
    (AdaptiveMaxPooling2D, F.adaptive_max_pool2d, (2, 7, 5, 3), (3, 4)),
    (AdaptiveMaxPooling2D, F.adaptive_max_pool2d, (1, 3, 2, 2), 5),
    (AdaptiveMaxPooling3D, F.adaptive_max_pool3d, (2, 5, 6, 7, 2), (2, 4, 3)),
]


def _to_first(x):
    return np.moveaxis(x, -1, 1)


@pytest.mark.parametrize("layer_cls,torch_fn,shape,output_size", CASES)
def test_adaptive_pooling_matches_torch_values_and_gradients(layer_cls, torch_fn, shape,
                                                             output_size):
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    inputs = Tensor(x, requires_grad=True)
    out = layer_cls(output_size)(inputs)
    xt = torch.tensor(_to_first(x), requires_grad=True)
    expected = torch_fn(xt, output_size)
    np.testing.assert_allclose(out.data, np.moveaxis(expected.detach().numpy(), 1, -1),
                               rtol=1e-5, atol=1e-6)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(_to_first(upstream)))
    np.testing.assert_allclose(inputs.grad, np.moveaxis(xt.grad.numpy(), 1, -1),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layer_cls,torch_fn", [(AdaptiveAveragePooling2D,
                                                 F.adaptive_avg_pool2d),
                                                (AdaptiveMaxPooling2D, F.adaptive_max_pool2d)])
def test_adaptive_pooling_channels_first_matches_torch(layer_cls, torch_fn):
    x = np.random.default_rng(2).standard_normal((2, 3, 6, 5)).astype(np.float32)
    out = layer_cls((4, 2), data_format="channels_first")(x)
    np.testing.assert_allclose(out.data, torch_fn(torch.tensor(x), (4, 2)).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_adaptive_bins_follow_floor_and_ceil_rule():
    starts, ends = adaptive_bins(5, 3)
    assert starts.tolist() == [0, 1, 3] and ends.tolist() == [2, 4, 5]
    starts, ends = adaptive_bins(2, 4)
    assert starts.tolist() == [0, 0, 1, 1] and ends.tolist() == [1, 1, 2, 2]


@pytest.mark.parametrize("layer_cls", [AdaptiveAveragePooling3D, AdaptiveMaxPooling3D])
def test_adaptive_pooling_gradcheck_in_float64(layer_cls):
    x = np.random.default_rng(3).standard_normal((1, 5, 3, 4, 2))
    layer = layer_cls((2, 2, 3), dtype="float64")
    gradcheck(lambda x: layer(x), x)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", [
    (AdaptiveAveragePooling1D, {"output_size": 2}, (2, 5, 3), (2, 2, 3)),
    (AdaptiveMaxPooling2D, {"output_size": (2, 3)}, (2, 5, 4, 3), (2, 2, 3, 3)),
    (AdaptiveAveragePooling3D, {"output_size": 2, "data_format": "channels_first"},
     (2, 3, 4, 5, 6), (2, 3, 2, 2, 2)),
])
def test_adaptive_pooling_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, 0)


def test_adaptive_pooling_config_and_keras_names():
    config = AdaptiveMaxPooling3D(4).get_config()
    assert config["output_size"] == (4, 4, 4) and config["data_format"] == "channels_last"
    assert keras_layers.AdaptiveAveragePooling2D is AdaptiveAveragePooling2D
    assert keras_layers.AdaptiveMaxPooling1D is AdaptiveMaxPooling1D


def test_adaptive_pooling_survives_save_and_load(tmp_path):
    inputs = Input((7, 6, 2))
    hidden = AdaptiveMaxPooling2D((4, 3))(inputs)
    model = Model(inputs, AdaptiveAveragePooling2D(1)(hidden))
    x = np.random.default_rng(4).standard_normal((2, 7, 6, 2)).astype(np.float32)
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.output_shape == (None, 1, 1, 2)


def test_adaptive_pooling_errors_name_layer_argument_and_shapes():
    shape = r"\(batch, height, width, channels\)"
    with pytest.raises(ValueError, match=r"'p' \(AdaptiveMaxPooling2D\).*rank 4.*"
                                         r"\(1, 4, 2\).*" + shape):
        AdaptiveMaxPooling2D(2, name="p")(np.zeros((1, 4, 2), np.float32))
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling3D: output_size must be"):
        AdaptiveAveragePooling3D((2, 2))
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling1D: output_size must be"):
        AdaptiveAveragePooling1D(0)
    with pytest.raises(ValueError, match=r"AdaptiveMaxPooling1D: data_format must be"):
        AdaptiveMaxPooling1D(2, data_format="NHWC")
    with pytest.raises(ValueError, match=r"'e' \(AdaptiveMaxPooling1D\).*empty.*\(1, 0, 2\)"):
        AdaptiveMaxPooling1D(2, name="e")(np.zeros((1, 0, 2), np.float32))
