"""Batched matrix multiplication against PyTorch and finite differences."""

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs


@pytest.mark.parametrize("shapes", [
    ((3, 4), (4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((2, 3, 4), (4, 5)),        # shared weights over a batch
    ((3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (1, 3, 4, 2)),  # broadcast batch axes
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4,)),
])
def test_matmul_matches_torch(shapes):
    a, b = random_inputs(shapes, seed=10)
    check_op(lambda x, y: x @ y, torch.matmul, [a, b])


def test_matmul_skips_gradient_of_constant_input():
    a, b = random_inputs([(3, 4), (4, 2)], seed=11)
    x = Tensor(a)
    w = Tensor(b, requires_grad=True)
    (x @ w).sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(w.grad, a.T.astype(np.float32) @ np.ones((3, 2)), rtol=1e-6)


def test_matmul_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5, 2\)"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError, match="batch"):
        ops.matmul(np.ones((2, 3, 4)), Tensor(np.ones((3, 4, 5))))
    with pytest.raises(ValueError, match="at least 1 dimension"):
        ops.matmul(Tensor(np.float32(2.0)), Tensor(np.ones(3)))
