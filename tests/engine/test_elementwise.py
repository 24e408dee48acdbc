"""Element-wise math primitives against PyTorch and finite differences."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs


@pytest.mark.parametrize("ours, theirs, positive", [
    (ops.exp, torch.exp, False),
    (ops.log, torch.log, True),
    (ops.sqrt, torch.sqrt, True),
    (ops.abs, torch.abs, False),
])
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4)])
def test_unary_op_matches_torch(ours, theirs, positive, shape):
    (a,) = random_inputs([shape], seed=5)
    if positive:
        a = np.abs(a) + 0.3
    check_op(ours, theirs, [a])


@pytest.mark.parametrize("ours, theirs", [(ops.maximum, torch.maximum),
                                          (ops.minimum, torch.minimum)])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1), (1, 3))])
def test_maximum_minimum_match_torch(ours, theirs, shapes):
    a, b = random_inputs(shapes, seed=6)
    check_op(ours, theirs, [a, b])


@pytest.mark.parametrize("ours, theirs", [(ops.maximum, torch.maximum),
                                          (ops.minimum, torch.minimum)])
def test_maximum_minimum_split_the_gradient_on_ties_like_torch(ours, theirs):
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([1.0, 0.0, 5.0])
    check_op(ours, theirs, [a, b], finite_differences=False)


def test_where_routes_gradients_by_condition():
    a, b, c = random_inputs([(3, 4), (3, 4), (3, 4)], seed=7)
    cond = c > 0
    check_op(lambda x, y: ops.where(cond, x, y),
             lambda x, y: torch.where(torch.tensor(cond), x, y), [a, b])


def test_where_broadcasts_its_branches():
    a, b = random_inputs([(3, 1), (4,)], seed=8)
    cond = np.random.default_rng(0).random((3, 4)) > 0.5
    check_op(lambda x, y: ops.where(cond, x, y),
             lambda x, y: torch.where(torch.tensor(cond), x, y), [a, b])


@pytest.mark.parametrize("low, high", [(-0.5, 0.5), (None, 0.2), (-0.1, None)])
def test_clip_matches_torch_clamp(low, high):
    (a,) = random_inputs([(4, 5)], seed=9)
    check_op(lambda x: ops.clip(x, low, high), lambda x: torch.clamp(x, low, high), [a],
             finite_differences=False)


def test_clip_gradient_is_one_inside_and_zero_outside():
    x = Tensor(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), requires_grad=True)
    ops.clip(x, -1, 1).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 1, 1, 1, 0])


def test_clip_requires_a_bound():
    with pytest.raises(ValueError, match="at least one"):
        ops.clip(Tensor(np.ones(2)))


def test_cast_passes_gradient_back_in_the_input_dtype():
    x = Tensor(np.ones(3), requires_grad=True)
    y = ops.cast(x, np.float64)
    assert y.dtype == np.float64
    (y * 2).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [2, 2, 2])
