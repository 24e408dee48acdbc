"""Pooling layers against PyTorch, the layer harness, masks from Embedding, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor
from dlpath.engine.conv import conv_pads
from dlpath.layers import (
    AveragePooling1D, AveragePooling2D, AvgPool2D, Embedding, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalMaxPooling1D, GlobalMaxPooling2D,
    MaxPool2D, MaxPooling1D, MaxPooling2D,
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
    np.testing.assert_allclose(inputs.grad, xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def keras_pad(x, pool, strides, padding, value=0.0):
    (top, bottom), (left, right) = conv_pads(x.shape[2:], pool, strides, (1, 1), padding)
    return F.pad(x, (left, right, top, bottom), value=value)


@pytest.mark.parametrize("pool,strides,padding", [
    ((2, 2), None, "valid"), ((3, 3), (2, 2), "same"), ((2, 3), (1, 2), "valid"),
    ((3, 2), (1, 1), "same"),
])
def test_pooling2d_matches_torch(pool, strides, padding):
    x = np.random.default_rng(1).standard_normal((2, 7, 9, 3)).astype(np.float32)
    s = strides or pool

    def max_ref(xt):
        xt = keras_pad(xt.permute(0, 3, 1, 2), pool, s, padding, -float("inf"))
        return F.max_pool2d(xt, pool, s).permute(0, 2, 3, 1)

    def avg_ref(xt):
        xt = keras_pad(xt.permute(0, 3, 1, 2), pool, s, padding)
        ones = keras_pad(torch.ones(1, 1, 7, 9), pool, s, padding)
        return (F.avg_pool2d(xt, pool, s) / F.avg_pool2d(ones, pool, s)).permute(0, 2, 3, 1)

    compare(MaxPooling2D(pool, strides, padding), x, max_ref)
    compare(AveragePooling2D(pool, strides, padding), x, avg_ref)


@pytest.mark.parametrize("pool,strides", [(2, None), (3, 1), (3, 2)])
def test_pooling1d_matches_torch(pool, strides):
    x = np.random.default_rng(2).standard_normal((2, 11, 3)).astype(np.float32)
    s = strides or pool
    compare(MaxPooling1D(pool, strides), x,
            lambda xt: F.max_pool1d(xt.permute(0, 2, 1), pool, s).permute(0, 2, 1))
    compare(AveragePooling1D(pool, strides), x,
            lambda xt: F.avg_pool1d(xt.permute(0, 2, 1), pool, s).permute(0, 2, 1))


def test_global_pooling_matches_torch():
    x = np.random.default_rng(3).standard_normal((2, 5, 6, 3)).astype(np.float32)
    compare(GlobalAveragePooling2D(), x, lambda xt: xt.mean(dim=(1, 2)))
    compare(GlobalMaxPooling2D(), x, lambda xt: xt.amax(dim=(1, 2)))
    compare(GlobalAveragePooling2D(keepdims=True), x, lambda xt: xt.mean(dim=(1, 2),
                                                                        keepdim=True))
    seq = x[:, 0]
    compare(GlobalAveragePooling1D(), seq, lambda xt: xt.mean(dim=1))
    compare(GlobalMaxPooling1D(keepdims=True), seq, lambda xt: xt.amax(dim=1, keepdim=True))


def test_global_pooling1d_leaves_masked_steps_out():
    ids = np.array([[3, 5, 0, 0], [1, 2, 4, 0]])
    embedding = Embedding(6, 3, mask_zero=True)
    vectors = embedding(ids)
    values = vectors.data
    keep = ids != 0
    average = GlobalAveragePooling1D()(vectors)
    expected = (values * keep[..., None]).sum(1) / keep.sum(1, keepdims=True)
    np.testing.assert_allclose(average.data, expected, rtol=1e-6)
    maximum = GlobalMaxPooling1D()(vectors)
    np.testing.assert_allclose(maximum.data, [values[0, :2].max(0), values[1, :3].max(0)])
    assert getattr(average, "_mask", None) is None
    average.sum().backward()
    grad = embedding.embeddings.grad
    np.testing.assert_allclose(grad[0], 0)  # the padding id gets no gradient
    np.testing.assert_allclose(grad[3], 1 / 2)
    np.testing.assert_allclose(grad[4], 1 / 3)


def test_global_max_pooling1d_of_an_all_masked_row_is_zero():
    x = Tensor(np.random.default_rng(4).standard_normal((2, 3, 2)), requires_grad=True)
    mask = Tensor(np.array([[True, False, True], [False, False, False]]))
    out = GlobalMaxPooling1D()(x, mask=mask)
    np.testing.assert_allclose(out.data[1], 0)
    out.sum().backward()
    assert np.all(np.isfinite(x.grad)) and np.all(x.grad[1] == 0)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,output_shape", [
    (MaxPooling2D, {}, (2, 7, 8, 3), (2, 3, 4, 3)),
    (MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 8, 3),
     (2, 4, 4, 3)),
    (AveragePooling2D, {"pool_size": (2, 3)}, (2, 7, 8, 3), (2, 3, 2, 3)),
    (MaxPooling1D, {"pool_size": 3, "strides": 1}, (2, 7, 3), (2, 5, 3)),
    (AveragePooling1D, {"padding": "same"}, (2, 7, 3), (2, 4, 3)),
    (GlobalMaxPooling2D, {}, (2, 4, 5, 3), (2, 3)),
    (GlobalAveragePooling2D, {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3)),
    (GlobalMaxPooling1D, {}, (2, 4, 3), (2, 3)),
    (GlobalAveragePooling1D, {}, (2, 4, 3), (2, 3)),
])
def test_pooling_layers_harness(layer_cls, kwargs, input_shape, output_shape):
    run_layer_test(layer_cls, kwargs, input_shape, output_shape, 0)


def test_pooling_aliases_and_defaults():
    assert MaxPool2D is MaxPooling2D and AvgPool2D is AveragePooling2D
    assert GlobalAvgPool1D is GlobalAveragePooling1D
    config = MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2)
    assert MaxPooling1D().get_config()["pool_size"] == (2,)


def test_pooling_wrong_rank_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"'pool' \(MaxPooling2D\).*rank 4.*\(2, 8, 3\)"):
        MaxPooling2D(name="pool")(np.ones((2, 8, 3)))
    with pytest.raises(ValueError, match=r"\(GlobalAveragePooling1D\).*rank 3.*\(2, 8, 8, 3\)"):
        GlobalAveragePooling1D()(np.ones((2, 8, 8, 3)))
    with pytest.raises(ValueError, match="channels_last"):
        MaxPooling2D(data_format="channels_first")
    with pytest.raises(ValueError, match="padding"):
        AveragePooling2D(padding="full")
