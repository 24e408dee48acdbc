"""UpSampling, ZeroPadding and Cropping layers against PyTorch and the layer harness."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    Cropping1D, Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D,
)
from harness import run_layer_test


def compare(layer, x, torch_fn):
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs)
    xt = torch.tensor(x, requires_grad=True)
    expected = torch_fn(xt)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = np.random.default_rng(0).standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-5)


X = np.random.default_rng(1).standard_normal((2, 4, 5, 3)).astype(np.float32)


@pytest.mark.parametrize("size", [(2, 2), (3, 2), (1, 3)])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_upsampling2d_matches_torch_interpolate(size, interpolation):
    mode = {"nearest": {"mode": "nearest"},
            "bilinear": {"mode": "bilinear", "align_corners": False}}[interpolation]

    def theirs(xt):
        y = F.interpolate(xt.permute(0, 3, 1, 2), scale_factor=size, **mode)
        return y.permute(0, 2, 3, 1)

    compare(UpSampling2D(size, interpolation=interpolation), X, theirs)


def test_upsampling_bilinear_gradcheck_and_1d_nearest():
    layer = UpSampling2D(2, interpolation="bilinear", dtype="float64")
    gradcheck(layer, X[:1, :3, :2, :2].astype(np.float64))
    compare(UpSampling1D(3), X[:, 0],
            lambda xt: torch.repeat_interleave(xt, 3, dim=1))


@pytest.mark.parametrize("padding,pads", [
    (1, (1, 1, 1, 1)), ((2, 1), (1, 1, 2, 2)), (((1, 2), (0, 3)), (0, 3, 1, 2)),
])
def test_zero_padding2d_matches_torch(padding, pads):
    compare(ZeroPadding2D(padding), X,
            lambda xt: F.pad(xt.permute(0, 3, 1, 2), pads).permute(0, 2, 3, 1))


@pytest.mark.parametrize("cropping,index", [
    (1, (slice(1, -1), slice(1, -1))), ((1, 2), (slice(1, -1), slice(2, -2))),
    (((0, 2), (1, 0)), (slice(0, -2), slice(1, None))),
])
def test_cropping2d_matches_slicing(cropping, index):
    compare(Cropping2D(cropping), X, lambda xt: xt[(slice(None),) + index])


def test_one_dimensional_padding_and_cropping():
    seq = X[:, 0]
    compare(ZeroPadding1D((1, 2)), seq, lambda xt: F.pad(xt, (0, 0, 1, 2)))
    compare(Cropping1D((1, 2)), seq, lambda xt: xt[:, 1:-2])


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", [
    (UpSampling2D, {"size": (2, 3)}, (2, 3, 4, 2), (2, 6, 12, 2)),
    (UpSampling2D, {"interpolation": "bilinear"}, (2, 3, 4, 2), (2, 6, 8, 2)),
    (UpSampling1D, {"size": 2}, (2, 3, 2), (2, 6, 2)),
    (ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2), (2, 4, 9, 2)),
    (ZeroPadding1D, {"padding": 2}, (2, 3, 2), (2, 7, 2)),
    (Cropping2D, {"cropping": ((1, 0), (1, 2))}, (2, 5, 6, 2), (2, 4, 3, 2)),
    (Cropping1D, {}, (2, 5, 2), (2, 3, 2)),
])
def test_reshaping_layers_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, 0)


def test_reshaping_errors_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r"'up' \(UpSampling2D\).*rank 4.*\(2, 4, 3\)"):
        UpSampling2D(name="up")(np.ones((2, 4, 3)))
    with pytest.raises(ValueError, match=r"\(Cropping2D\).*leaves nothing.*\(1, 2, 4, 1\)"):
        Cropping2D(1)(np.ones((1, 2, 4, 1)))
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="interpolation"):
        UpSampling2D(interpolation="bicubic")
    with pytest.raises(ValueError, match="channels_last"):
        ZeroPadding2D(data_format="channels_first")
