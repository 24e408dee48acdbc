"""Scans, quantiles, nan-ignoring and segment reductions of dlpath.ops.reductions_more:
values against NumPy and torch, gradients by finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import dlpath as tf
from dlpath import ops
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(2)
X = RNG.standard_normal((3, 4, 5))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_cumprod_matches_numpy_and_its_gradient_is_exact_with_zeros(axis):
    np.testing.assert_allclose(ops.cumprod(Tensor(X, dtype="float64"), axis).data,
                               np.cumprod(X, axis), rtol=1e-12)
    with_zero = X[:, :2].copy()
    with_zero[0, 1, 2] = 0.0
    gradcheck(lambda a: ops.cumprod(a, axis), with_zero)


def test_cumprod_gradient_matches_torch():
    x = Tensor(X.astype(np.float32), requires_grad=True)
    ops.cumprod(x, 2).sum().backward()
    reference = torch.tensor(X.astype(np.float32), requires_grad=True)
    torch.cumprod(reference, 2).sum().backward()
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_tf_cumulative_flags():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(tf.cumsum(x, exclusive=True).data, [0, 1, 3, 6])
    np.testing.assert_array_equal(tf.cumsum(x, reverse=True).data, [10, 9, 7, 4])
    np.testing.assert_array_equal(tf.math.cumprod(x, exclusive=True, reverse=True).data,
                                  [24, 12, 4, 1])
    np.testing.assert_allclose(tf.math.cumulative_logsumexp(x).data,
                               np.logaddexp.accumulate(x), rtol=1e-6)
    gradcheck(lambda a: tf.math.cumulative_logsumexp(a, 1, reverse=True), X[0])
    gradcheck(lambda a: tf.cumsum(a, 1, exclusive=True), X[0])


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, -1])
def test_quantile_matches_numpy(method, axis):
    q = [0.0, 0.3, 0.5, 1.0]
    np.testing.assert_allclose(
        ops.quantile(Tensor(X, dtype="float64"), q, axis, method).data,
        np.quantile(X, q, axis=axis, method=method), rtol=1e-12)
    np.testing.assert_allclose(
        ops.quantile(Tensor(X, dtype="float64"), 0.3, axis, method, keepdims=True).data,
        np.quantile(X, 0.3, axis=axis, method=method, keepdims=True), rtol=1e-12)


def test_median_percentile_ptp_average_and_their_gradients():
    x64 = Tensor(X, dtype="float64")
    np.testing.assert_allclose(ops.median(x64, 1).data, np.median(X, 1), rtol=1e-12)
    np.testing.assert_allclose(ops.percentile(x64, [10, 90], 0).data,
                               np.percentile(X, [10, 90], 0), rtol=1e-12)
    np.testing.assert_allclose(ops.ptp(x64, 2).data, np.ptp(X, 2), rtol=1e-12)
    w = RNG.uniform(0.1, 1.0, 4)
    np.testing.assert_allclose(ops.average(x64, 1, w).data, np.average(X, 1, w), rtol=1e-12)
    np.testing.assert_allclose(ops.reduce_euclidean_norm(x64, 0).data,
                               np.linalg.norm(X, axis=0), rtol=1e-12)
    gradcheck(lambda a: ops.median(a, 1), X)
    gradcheck(lambda a: ops.quantile(a, [0.25, 0.8], -1), X)
    gradcheck(lambda a, b: ops.average(a, 1, b), X, w)
    gradcheck(lambda a: ops.ptp(a, 0), X)


def test_median_gradient_matches_torch_for_odd_counts():
    data = X[:, :3].astype(np.float32)  # 3 values per column: a unique middle value
    x = Tensor(data, requires_grad=True)
    ops.median(x, 0).sum().backward()
    reference = torch.tensor(data, requires_grad=True)
    torch.median(reference, 0).values.sum().backward()
    np.testing.assert_allclose(x.grad, reference.grad.numpy())


@pytest.mark.parametrize("name", ["nansum", "nanmean", "nanmax", "nanmin", "nanprod",
                                  "nanvar", "nanstd"])
def test_nan_reductions_match_numpy(name):
    data = X.copy()
    data[0, 1, 2] = data[2, 3, 0] = np.nan
    np.testing.assert_allclose(getattr(ops, name)(Tensor(data, dtype="float64"), 1).data,
                               getattr(np, name)(data, 1), rtol=1e-10)
    gradcheck(lambda a: getattr(ops, name)(a, 1) if name != "nanmax" else ops.nanmax(a, 1),
              X[:, :, :2])


def test_counts_and_membership():
    a = np.array([[0, 1, 2], [3, 0, 0]])
    np.testing.assert_array_equal(ops.count_nonzero(a, 1).data, [2, 1])
    assert ops.count_nonzero(a).data == 3
    np.testing.assert_array_equal(ops.bincount(np.array([1, 1, 3]), minlength=5).data,
                                  [0, 2, 0, 1, 0])
    np.testing.assert_allclose(ops.bincount(np.array([0, 2]), np.array([0.5, 2.0])).data,
                               [0.5, 0, 2.0])
    scores = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])
    np.testing.assert_array_equal(tf.math.in_top_k([2, 0], scores, 1).data, [False, False])
    np.testing.assert_array_equal(tf.math.in_top_k([2, 0], scores, 2).data, [True, True])
    with pytest.raises(ValueError, match="bincount: x must be non-negative"):
        ops.bincount(np.array([-1]))
    with pytest.raises(TypeError, match="bincount: x must hold integers"):
        ops.bincount(np.array([1.5]))


@pytest.mark.parametrize("name, reduce", [
    ("segment_sum", np.sum), ("segment_mean", np.mean), ("segment_max", np.max),
    ("segment_min", np.min), ("segment_prod", np.prod),
])
def test_segment_reductions_match_a_loop_and_have_gradients(name, reduce):
    data = RNG.standard_normal((6, 3))
    ids = np.array([0, 0, 1, 3, 3, 3])
    expected = np.stack([reduce(data[ids == k], 0) if (ids == k).any() else np.zeros(3)
                         for k in range(4)])
    np.testing.assert_allclose(getattr(ops, name)(Tensor(data, dtype="float64"), ids).data,
                               expected, rtol=1e-12)
    assert getattr(ops, name)(data, ids, num_segments=6).shape == (6, 3)
    gradcheck(lambda a: getattr(ops, name)(a, ids), data)


def test_unsorted_segment_sum_and_segment_errors():
    data = np.arange(8.0).reshape(4, 2)
    out = tf.math.unsorted_segment_sum(data, [2, 0, 2, 0], 3)
    np.testing.assert_array_equal(out.data, [[8, 10], [0, 0], [4, 6]])
    with pytest.raises(ValueError, match="segment_sum: segment_ids has 3 entries"):
        ops.segment_sum(data, [0, 1, 2])
    with pytest.raises(ValueError, match="segment_max: a segment id is >= num_segments"):
        ops.segment_max(data, [0, 1, 2, 5], num_segments=3)
    with pytest.raises(ValueError, match="quantile: q must lie in"):
        ops.quantile(data, 1.5)
