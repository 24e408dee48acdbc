"""The fused embedding lookup equals the composite ``getitem`` (values and table gradient)."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath.engine import Tensor, gradcheck, ops
from dlpath.engine.embedding import embedding_lookup


@pytest.mark.parametrize("ids_shape", [(7,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize("permuted_grad", [False, True])
def test_lookup_equals_getitem(ids_shape, permuted_grad):
    rng = np.random.default_rng(0)
    table = rng.standard_normal((6, 4))
    ids = rng.integers(0, 6, ids_shape)  # repeated ids: their gradients add up
    grad = rng.standard_normal(ids_shape[::-1] + (4,))
    # A gradient that is a permuted view (what a time-major op hands back), or contiguous.
    grad = np.moveaxis(grad.T, 0, -1) if permuted_grad else grad.reshape(ids_shape + (4,))
    results = []
    for lookup in (embedding_lookup, ops.getitem):
        weights = Tensor(table, dtype="float64", requires_grad=True)
        out = lookup(weights, ids)
        out.backward(np.ascontiguousarray(grad) if not permuted_grad else grad)
        results.append((out.data, weights.grad))
    (fused_out, fused_grad), (composite_out, composite_grad) = results
    np.testing.assert_array_equal(fused_out, composite_out)
    np.testing.assert_allclose(fused_grad, composite_grad, rtol=1e-12, atol=1e-12)


def test_lookup_gradcheck_and_errors():
    ids = np.array([[0, 2, 2], [1, 0, 3]])
    gradcheck(lambda table: embedding_lookup(table, ids), np.arange(12.0).reshape(4, 3))
    with pytest.raises(IndexError, match=r"\[0, 3\]"):
        embedding_lookup(np.zeros((4, 3)), np.array([4]))
    with pytest.raises(TypeError, match="integers"):
        embedding_lookup(np.zeros((4, 3)), np.array([0.5]))
