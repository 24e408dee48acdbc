"""Reductions against PyTorch and finite differences."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs

AXES = [None, 0, 1, -1, (0, 2)]


def torch_reduce(name, axis, keepdims):
    def reduce(x):
        if axis is None:
            result = getattr(torch, {"max": "amax", "min": "amin"}.get(name, name))(
                x, dim=tuple(range(x.ndim)), keepdim=keepdims)
            return result
        dim = axis if isinstance(axis, tuple) else (axis,)
        if name in ("max", "min"):
            return getattr(torch, "a" + name)(x, dim=dim, keepdim=keepdims)
        return getattr(torch, name)(x, dim=dim, keepdim=keepdims)
    return reduce


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_matches_torch(name, axis, keepdims):
    (a,) = random_inputs([(2, 3, 4)], seed=12)
    ours = getattr(ops, name)
    check_op(lambda x: ours(x, axis=axis, keepdims=keepdims),
             torch_reduce(name, axis, keepdims), [a])


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_share_the_gradient_among_ties_like_torch(name):
    a = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    check_op(lambda x: getattr(ops, name)(x, axis=1), torch_reduce(name, 1, False), [a],
             finite_differences=False)
    check_op(lambda x: getattr(ops, name)(x), torch_reduce(name, None, False), [a],
             finite_differences=False)


def test_tensor_methods_reduce():
    x = Tensor(np.arange(6.0).reshape(2, 3))
    assert x.sum().item() == 15
    np.testing.assert_array_equal(x.mean(axis=0).data, [1.5, 2.5, 3.5])
    assert x.max(axis=1, keepdims=True).shape == (2, 1)


def test_bad_axis_is_named():
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        ops.sum(Tensor(np.ones((2, 3))), axis=3)
    with pytest.raises(ValueError, match="empty"):
        ops.max(Tensor(np.ones((0, 3))))
