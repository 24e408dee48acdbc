"""dlpath.ops.nn: activations and cross-entropies against torch, gradients by finite
differences, dropout and moments against their formulas."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath import ops
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(2)
X = RNG.standard_normal((4, 5)) * 3


@pytest.mark.parametrize("ours, theirs", [
    (ops.relu, F.relu), (ops.relu6, F.relu6), (ops.elu, F.elu), (ops.selu, F.selu),
    (ops.gelu, F.gelu), (lambda t: ops.gelu(t, approximate=True),
                         lambda t: F.gelu(t, approximate="tanh")),
    (ops.leaky_relu, lambda t: F.leaky_relu(t, 0.2)), (ops.silu, F.silu),
    (ops.softplus, F.softplus), (ops.softmax, lambda t: F.softmax(t, -1)),
    (lambda t: ops.log_softmax(t, 0), lambda t: F.log_softmax(t, 0)),
    (lambda t: ops.l2_normalize(t, 1), lambda t: F.normalize(t, dim=1)),
])
def test_activations_match_torch_values_and_gradients(ours, theirs):
    data = X + 0.05  # away from the kinks
    ours_in = Tensor(data, requires_grad=True, dtype="float64")
    theirs_in = torch.tensor(data, requires_grad=True)
    weights = RNG.standard_normal(data.shape)
    out = ours(ours_in)
    expected = theirs(theirs_in)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-6, atol=1e-8)
    (out * Tensor(weights, dtype="float64")).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), rtol=1e-6, atol=1e-8)
    gradcheck(ours, data)


def test_cross_entropies_from_logits_match_torch():
    labels = RNG.integers(0, 5, 4)
    dense = np.eye(5)[labels]
    logits = torch.tensor(X, requires_grad=True)
    expected = F.cross_entropy(logits, torch.tensor(labels), reduction="none")
    got = ops.sparse_softmax_cross_entropy_with_logits(labels, X)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-5)
    got_dense = ops.softmax_cross_entropy_with_logits(dense, X)
    np.testing.assert_allclose(got_dense.data, expected.detach().numpy(), rtol=1e-5)
    got_axis0 = ops.softmax_cross_entropy_with_logits(dense.T, X.T, axis=0)
    np.testing.assert_allclose(got_axis0.data, expected.detach().numpy(), rtol=1e-5)
    gradcheck(lambda z: ops.softmax_cross_entropy_with_logits(dense, z), X)
    gradcheck(lambda z: ops.sparse_softmax_cross_entropy_with_logits(labels, z), X)
    targets = RNG.uniform(0, 1, X.shape)
    bce = F.binary_cross_entropy_with_logits(torch.tensor(X), torch.tensor(targets),
                                             reduction="none")
    np.testing.assert_allclose(ops.sigmoid_cross_entropy_with_logits(targets, X).data,
                               bce.numpy(), rtol=1e-5)
    gradcheck(lambda z: ops.sigmoid_cross_entropy_with_logits(targets, z), X)
    with pytest.raises(ValueError, match="labels have shape"):
        ops.sparse_softmax_cross_entropy_with_logits(labels[:2], X)


def test_moments_and_dropout():
    mean, variance = ops.moments(X, axes=[0])
    np.testing.assert_allclose(mean.data, X.mean(0), rtol=1e-6)
    np.testing.assert_allclose(variance.data, X.var(0), rtol=1e-5)
    gradcheck(lambda t: ops.moments(t, axes=[0, 1])[1], X)
    x = Tensor(np.ones((200, 50)))
    dropped = ops.dropout(x, 0.25, seed=3).data
    assert set(np.unique(dropped)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((dropped == 0).mean() - 0.25) < 0.03
    np.testing.assert_array_equal(dropped, ops.dropout(x, 0.25, seed=3).data)
    shared = ops.dropout(x, 0.5, noise_shape=(1, 50), seed=1).data
    assert (shared == shared[0]).all()
    with pytest.raises(ValueError, match="rate"):
        ops.dropout(x, 1.0)
