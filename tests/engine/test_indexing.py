"""Indexing (basic and advanced) and gather against PyTorch and finite differences."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs

INDICES = [
    (1,),
    (slice(None), 2),
    (slice(1, None), slice(None, None, 2)),
    (Ellipsis, 0),
    (None, slice(None), 1),
]


@pytest.mark.parametrize("index", INDICES, ids=str)
def test_basic_indexing_matches_torch(index):
    (a,) = random_inputs([(3, 4, 2)], seed=21)
    check_op(lambda x: x[index], lambda x: x[index], [a])


def test_integer_array_indexing_accumulates_repeated_rows():
    (a,) = random_inputs([(5, 3)], seed=22)
    rows = np.array([0, 2, 2, 4, 0, 0])
    check_op(lambda x: x[rows], lambda x: x[torch.tensor(rows)], [a])


def test_boolean_mask_indexing():
    (a,) = random_inputs([(4, 3)], seed=23)
    mask = a > 0
    check_op(lambda x: x[mask], lambda x: x[torch.tensor(mask)], [a])


def test_take_along_axis_matches_torch_gather():
    (a,) = random_inputs([(4, 5)], seed=24)
    idx = np.array([[0, 4], [1, 1], [3, 2], [0, 0]])
    check_op(lambda x: ops.take_along_axis(x, idx, axis=1),
             lambda x: torch.gather(x, 1, torch.tensor(idx)), [a])
    idx0 = np.array([[3, 0, 1, 1, 2]])
    check_op(lambda x: ops.gather(x, idx0, axis=0),
             lambda x: torch.gather(x, 0, torch.tensor(idx0)), [a])


def test_indexing_errors_are_clear():
    x = Tensor(np.ones((2, 3)))
    with pytest.raises(IndexError, match=r"shape \(2, 3\)"):
        x[5]
    with pytest.raises(IndexError, match="out of range for axis 1 of size 3"):
        ops.take_along_axis(x, np.array([[3], [0]]), axis=1)
    with pytest.raises(TypeError, match="integers"):
        ops.take_along_axis(x, np.array([[0.5], [0.0]]), axis=1)
