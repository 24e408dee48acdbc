"""Max and average pooling against PyTorch, finite differences, fused == composite."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine import pooling
from dlpath.engine.conv import conv_pads
from reference import check_op, random_inputs

GRID = list(itertools.product([1, 2, 3], [None, 1, 2], ["valid", "same"]))


def keras_pads(shape, pool, strides, padding):
    strides = strides or pool
    (top, bottom), (left, right) = conv_pads(shape, (pool, pool), (strides, strides), (1, 1),
                                             padding)
    return (left, right, top, bottom), strides


def torch_max_pool2d(x, pool, strides, padding):
    pads, strides = keras_pads(x.shape[1:3], pool, strides, padding)
    xt = F.pad(x.permute(0, 3, 1, 2), pads, value=-float("inf"))
    return F.max_pool2d(xt, pool, strides).permute(0, 2, 3, 1)


def torch_avg_pool2d(x, pool, strides, padding):
    """Keras' average: the padding is left out of each window's count."""
    pads, strides = keras_pads(x.shape[1:3], pool, strides, padding)
    xt = F.pad(x.permute(0, 3, 1, 2), pads)
    ones = F.pad(torch.ones_like(x[:1, :, :, :1]).permute(0, 3, 1, 2), pads)
    total = F.avg_pool2d(xt, pool, strides) * pool * pool
    count = F.avg_pool2d(ones, pool, strides) * pool * pool
    return (total / count).permute(0, 2, 3, 1)


@pytest.mark.parametrize("pool,strides,padding", GRID)
def test_max_pool2d_matches_torch(pool, strides, padding):
    (x,) = random_inputs([(2, 7, 8, 3)], seed=pool)
    check_op(lambda x: pooling.max_pool2d(x, pool, strides, padding),
             lambda x: torch_max_pool2d(x, pool, strides, padding), [x],
             finite_differences=False)


@pytest.mark.parametrize("pool,strides,padding", GRID)
def test_avg_pool2d_matches_torch(pool, strides, padding):
    (x,) = random_inputs([(2, 7, 8, 3)], seed=pool + 10)
    check_op(lambda x: pooling.avg_pool2d(x, pool, strides, padding),
             lambda x: torch_avg_pool2d(x, pool, strides, padding), [x],
             finite_differences=False)


@pytest.mark.parametrize("pool,strides,padding", GRID)
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling_fused_equals_composite_in_float64(mode, pool, strides, padding):
    (x,) = random_inputs([(2, 7, 6, 2)], seed=3)
    fns = {"max": (pooling.max_pool2d, pooling.max_pool2d_composite),
           "avg": (pooling.avg_pool2d, pooling.avg_pool2d_composite)}[mode]
    results = []
    for fn in fns:
        x64 = Tensor(x, requires_grad=True, dtype="float64")
        y = fn(x64, pool, strides, padding)
        y.backward(np.random.default_rng(4).standard_normal(y.shape))
        results.append((y.data, x64.grad))
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fn", [pooling.max_pool2d, pooling.avg_pool2d])
@pytest.mark.parametrize("pool,strides,padding", [(2, None, "valid"), (3, 2, "same"),
                                                  ((2, 3), (1, 2), "same")])
def test_pooling_gradcheck(fn, pool, strides, padding):
    (x,) = random_inputs([(2, 5, 6, 2)], seed=5)
    gradcheck(lambda x: fn(x, pool, strides, padding), x)


@pytest.mark.parametrize("pool,strides", [(2, 2), (3, 1), (3, 2)])
def test_max_pool2d_routes_ties_to_the_first_maximum_like_torch(pool, strides):
    """After a ReLU whole windows are 0: each window's gradient goes to one element."""
    (x,) = random_inputs([(2, 8, 8, 3)], seed=6)
    x = np.maximum(x, 0) * (np.abs(x) > 0.8)
    check_op(lambda x: pooling.max_pool2d(x, pool, strides),
             lambda x: torch_max_pool2d(x, pool, strides, "valid"), [x],
             finite_differences=False)


@pytest.mark.parametrize("fn,torch_fn", [
    (pooling.max_pool1d, F.max_pool1d), (pooling.avg_pool1d, F.avg_pool1d),
])
@pytest.mark.parametrize("pool,strides", [(2, None), (3, 1), (3, 2)])
def test_pool1d_matches_torch(fn, torch_fn, pool, strides):
    (x,) = random_inputs([(2, 11, 3)], seed=7)
    check_op(lambda x: fn(x, pool, strides),
             lambda x: torch_fn(x.permute(0, 2, 1), pool, strides or pool).permute(0, 2, 1),
             [x])


def test_pooling_keeps_float32_and_errors_name_shapes():
    x = Tensor(np.ones((1, 4, 4, 2), np.float32), requires_grad=True)
    assert pooling.max_pool2d(x, 2).dtype == np.float32
    assert pooling.avg_pool2d(x, 3, 1, "same").dtype == np.float32
    with pytest.raises(ValueError, match=r"rank 4.*\(4, 4, 2\)"):
        pooling.max_pool2d(np.ones((4, 4, 2)))
    with pytest.raises(ValueError, match=r"smaller than the pool"):
        pooling.avg_pool2d(np.ones((1, 2, 2, 1)), 3)
    with pytest.raises(ValueError, match=r"rank 3"):
        pooling.max_pool1d(np.ones((1, 4, 4, 2)))
