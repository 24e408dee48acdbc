"""Shape primitives against PyTorch and finite differences."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs


def test_reshape_and_flatten():
    (a,) = random_inputs([(2, 3, 4)], seed=13)
    check_op(lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1), [a])
    check_op(lambda x: x.flatten(1), lambda x: x.flatten(1), [a])


@pytest.mark.parametrize("axes", [None, (1, 0, 2), (2, 0, 1)])
def test_transpose_matches_torch_permute(axes):
    (a,) = random_inputs([(2, 3, 4)], seed=14)
    torch_axes = tuple(reversed(range(3))) if axes is None else axes
    check_op(lambda x: ops.transpose(x, axes), lambda x: x.permute(*torch_axes), [a])


def test_matrix_transpose_property():
    (a,) = random_inputs([(2, 3)], seed=15)
    check_op(lambda x: x.T, lambda x: x.T, [a])


@pytest.mark.parametrize("source, target", [((3, 1), (3, 4)), ((4,), (2, 3, 4)),
                                            ((1, 1), (2, 5))])
def test_broadcast_to_sums_gradient_back(source, target):
    (a,) = random_inputs([source], seed=16)
    check_op(lambda x: x.expand(target), lambda x: x.expand(*target), [a])


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_matches_torch_cat(axis):
    shapes = [(2, 3), (2, 3), (2, 3)]
    if axis == 0:
        shapes = [(1, 3), (2, 3), (3, 3)]
    arrays = random_inputs(shapes, seed=17)
    check_op(lambda *xs: ops.concatenate(xs, axis=axis), lambda *xs: torch.cat(xs, dim=axis),
             arrays)


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_stack_matches_torch_stack(axis):
    arrays = random_inputs([(2, 3)] * 3, seed=18)
    check_op(lambda *xs: ops.stack(xs, axis=axis), lambda *xs: torch.stack(xs, dim=axis),
             arrays)


def test_split_pieces_carry_gradients_back():
    (a,) = random_inputs([(6, 4)], seed=19)
    check_op(lambda x: ops.split(x, 3, axis=0)[1] * 2 + ops.split(x, [1, 3], axis=0)[0].sum(),
             lambda x: torch.split(x, 2, dim=0)[1] * 2 + x[:1].sum(), [a])


def test_pad_matches_torch_constant_pad():
    (a,) = random_inputs([(2, 3, 4)], seed=20)
    check_op(lambda x: ops.pad(x, [(0, 0), (1, 2), (2, 1)], value=0.5),
             lambda x: torch.nn.functional.pad(x, (2, 1, 1, 2), value=0.5), [a])


def test_shape_errors_are_clear():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\) \(6 elements\) into shape \(4,\)"):
        x.reshape(4)
    with pytest.raises(ValueError, match="not a permutation"):
        x.transpose(0, 0)
    with pytest.raises(ValueError, match=r"cannot broadcast shape \(2, 3\) to \(3, 3\)"):
        x.expand(3, 3)
    with pytest.raises(ValueError, match="must match except along axis 0"):
        ops.concatenate([x, Tensor(np.ones((2, 4)))], axis=0)
    with pytest.raises(ValueError, match="all shapes must be equal"):
        ops.stack([x, Tensor(np.ones((3, 2)))])
    with pytest.raises(ValueError, match="3 equal parts"):
        ops.split(x, 3, axis=0)
    with pytest.raises(ValueError, match="pad"):
        ops.pad(x, [(1, 1)])
