"""3-D max and average pooling against PyTorch, finite differences, fused == composite."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine import pooling3d
from dlpath.engine.conv3d import volume_pads
from reference import check_op, random_inputs

GRID = list(itertools.product([1, 2, 3], [None, 1, 2], ["valid", "same"]))


def torch_pads(x, pool, strides, padding):
    pool3, strides3 = (pool,) * 3, (strides or pool,) * 3
    pads = volume_pads(x.shape[1:4], pool3, strides3, (1, 1, 1), padding)
    return [p for pair in reversed(pads) for p in pair], pool3, strides3


def torch_max_pool3d(x, pool, strides, padding):
    pads, pool3, strides3 = torch_pads(x, pool, strides, padding)
    xt = F.pad(x.permute(0, 4, 1, 2, 3), pads, value=-float("inf"))
    return F.max_pool3d(xt, pool3, strides3).permute(0, 2, 3, 4, 1)


def torch_avg_pool3d(x, pool, strides, padding):
    """Keras' average: the padding is left out of each window's count."""
    pads, pool3, strides3 = torch_pads(x, pool, strides, padding)
    xt = F.pad(x.permute(0, 4, 1, 2, 3), pads)
    ones = F.pad(torch.ones_like(x[:1, ..., :1]).permute(0, 4, 1, 2, 3), pads)
    total = F.avg_pool3d(xt, pool3, strides3, divisor_override=1)
    count = F.avg_pool3d(ones, pool3, strides3, divisor_override=1)
    return (total / count).permute(0, 2, 3, 4, 1)


@pytest.mark.parametrize("pool,strides,padding", GRID)
def test_max_pool3d_matches_torch(pool, strides, padding):
    (x,) = random_inputs([(2, 5, 6, 7, 3)], seed=pool)
    check_op(lambda x: pooling3d.max_pool3d(x, pool, strides, padding),
             lambda x: torch_max_pool3d(x, pool, strides, padding), [x],
             finite_differences=False)


@pytest.mark.parametrize("pool,strides,padding", GRID)
def test_avg_pool3d_matches_torch(pool, strides, padding):
    (x,) = random_inputs([(2, 5, 6, 7, 3)], seed=pool + 10)
    check_op(lambda x: pooling3d.avg_pool3d(x, pool, strides, padding),
             lambda x: torch_avg_pool3d(x, pool, strides, padding), [x],
             finite_differences=False)


def test_avg_pool3d_same_leaves_padding_out_of_the_mean():
    x = np.ones((1, 3, 3, 3, 1))
    np.testing.assert_allclose(pooling3d.avg_pool3d(x, 2, 2, "same").data, 1.0)


@pytest.mark.parametrize("pool,strides,padding", [(2, None, "same"), (3, 1, "same"),
                                                  ((1, 2, 3), (2, 1, 2), "valid")])
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooling3d_fused_equals_composite_in_float64(mode, pool, strides, padding):
    (x,) = random_inputs([(2, 5, 4, 6, 2)], seed=3)
    fns = {"max": (pooling3d.max_pool3d, pooling3d.max_pool3d_composite),
           "avg": (pooling3d.avg_pool3d, pooling3d.avg_pool3d_composite)}[mode]
    results = []
    for fn in fns:
        x64 = Tensor(x, requires_grad=True, dtype="float64")
        y = fn(x64, pool, strides, padding)
        y.backward(np.random.default_rng(4).standard_normal(y.shape))
        results.append((y.data, x64.grad))
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fn", [pooling3d.max_pool3d, pooling3d.avg_pool3d])
@pytest.mark.parametrize("pool,strides,padding", [(2, None, "valid"), (3, 2, "same")])
def test_pooling3d_gradcheck(fn, pool, strides, padding):
    (x,) = random_inputs([(1, 4, 3, 5, 2)], seed=5)
    gradcheck(lambda x: fn(x, pool, strides, padding), x)


def test_max_pool3d_routes_ties_to_the_first_maximum_like_torch():
    (x,) = random_inputs([(2, 4, 4, 4, 2)], seed=6)
    x = np.maximum(x, 0) * (np.abs(x) > 0.8)  # whole windows of zeros
    check_op(lambda x: pooling3d.max_pool3d(x, 2, 1),
             lambda x: torch_max_pool3d(x, 2, 1, "valid"), [x], finite_differences=False)


def test_pooling3d_keeps_float32_and_errors_name_shapes():
    x = Tensor(np.ones((1, 4, 4, 4, 2), np.float32), requires_grad=True)
    assert pooling3d.max_pool3d(x, 2).dtype == np.float32
    assert pooling3d.avg_pool3d(x, 3, 1, "same").dtype == np.float32
    with pytest.raises(ValueError, match=r"rank 5.*\(4, 4, 2\)"):
        pooling3d.max_pool3d(np.ones((4, 4, 2)))
    with pytest.raises(ValueError, match=r"smaller than the pool"):
        pooling3d.avg_pool3d(np.ones((1, 2, 2, 2, 1)), 3)
