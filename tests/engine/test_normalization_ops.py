"""Fused batch and layer normalization: equal to their composites (float64), to PyTorch, and
to finite differences."""

import numpy as np
import pytest
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.normalization import (
    batch_norm, batch_norm_composite, layer_norm, layer_norm_composite,
)
from reference import check_op


def _run(fn, arrays, upstream):
    tensors = [Tensor(a, requires_grad=True, dtype="float64") for a in arrays]
    out = fn(*tensors)
    out = out[0] if isinstance(out, tuple) else out
    out.backward(upstream)
    return [out.data] + [t.grad for t in tensors]


@pytest.mark.parametrize("shape, axes", [
    ((6, 4), (0,)), ((3, 5, 4), (0, 1)), ((2, 3, 3, 4), (0, 1, 2)), ((4, 3, 5), (0, 2))])
@pytest.mark.parametrize("masked", [False, True])
def test_fused_batch_norm_equals_composite_in_float64(shape, axes, masked):
    rng = np.random.default_rng(1)
    kept = tuple(n for i, n in enumerate(shape) if i not in axes)
    arrays = [rng.standard_normal(shape) * 3 + 1, rng.standard_normal(kept),
              rng.standard_normal(kept)]
    mask = (rng.random(shape[:-1] + (1,)) > 0.3) if masked and axes[-1] != len(shape) - 1 \
        else None
    if masked and mask is None:
        mask = rng.random(shape) > 0.3
    upstream = rng.standard_normal(shape)
    fused = _run(lambda x, g, b: batch_norm(x, g, b, axes, 1e-3, mask=mask), arrays,
                 upstream)
    composite = _run(lambda x, g, b: batch_norm_composite(x, g, b, axes, 1e-3, mask=mask),
                     arrays, upstream)
    for ours, reference in zip(fused, composite):
        np.testing.assert_allclose(ours, reference, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape, axes", [((6, 4), (-1,)), ((3, 5, 4), (-1,)),
                                         ((2, 3, 4, 5), (-2, -1))])
def test_fused_layer_norm_equals_composite_in_float64(shape, axes):
    rng = np.random.default_rng(2)
    norm_shape = tuple(shape[a] for a in axes)
    arrays = [rng.standard_normal(shape) * 2 - 1, rng.standard_normal(norm_shape),
              rng.standard_normal(norm_shape)]
    upstream = rng.standard_normal(shape)
    fused = _run(lambda x, g, b: layer_norm(x, g, b, axes, 1e-3), arrays, upstream)
    composite = _run(lambda x, g, b: layer_norm_composite(x, g, b, axes, 1e-3), arrays,
                     upstream)
    for ours, reference in zip(fused, composite):
        np.testing.assert_allclose(ours, reference, rtol=1e-10, atol=1e-10)


def test_batch_norm_returns_batch_mean_and_biased_variance():
    x = np.random.default_rng(3).standard_normal((8, 5, 3))
    _, mean, variance = batch_norm(Tensor(x), None, None, (0, 1), 1e-3)
    np.testing.assert_allclose(mean, x.mean(axis=(0, 1)), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(variance, x.var(axis=(0, 1)), rtol=1e-5)


def test_batch_norm_matches_torch_training_mode():
    rng = np.random.default_rng(4)
    arrays = [rng.standard_normal((6, 3, 4)) * 2 + 1, rng.standard_normal(3),
              rng.standard_normal(3)]

    def ours(x, gamma, beta):  # (N, C, L) as PyTorch: channel axis 1
        return batch_norm(x, gamma, beta, (0, 2), 1e-5)[0]

    def theirs(x, gamma, beta):
        return F.batch_norm(x, None, None, gamma, beta, training=True, eps=1e-5)

    check_op(ours, theirs, arrays)


def test_layer_norm_matches_torch():
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal((4, 3, 6)), rng.standard_normal(6), rng.standard_normal(6)]
    check_op(lambda x, g, b: layer_norm(x, g, b, (-1,), 1e-5),
             lambda x, g, b: F.layer_norm(x, (6,), g, b, eps=1e-5), arrays)


def test_batch_norm_gradcheck_with_mask():
    rng = np.random.default_rng(6)
    mask = rng.random((4, 3, 1)) > 0.4
    gradcheck(lambda x, g, b: batch_norm(x, g, b, (0, 1), 1e-3, mask=mask)[0],
              rng.standard_normal((4, 3, 2)), rng.standard_normal(2), rng.standard_normal(2))


def test_batch_norm_without_gamma_and_beta():
    x = np.random.default_rng(7).standard_normal((5, 2))
    y, _, _ = batch_norm(Tensor(x, requires_grad=True), None, None, (0,), 1e-3)
    np.testing.assert_allclose(y.data, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), rtol=1e-5)
