"""Fused scaled dot-product attention: equal to the composite (float64), to PyTorch's
scaled_dot_product_attention, and to finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.engine.attention import (
    scaled_dot_product_attention, scaled_dot_product_attention_composite,
)
from reference import check_op

SHAPES = {"q": (2, 3, 4, 5), "k": (2, 3, 6, 5), "v": (2, 3, 6, 7)}


def _masks(rng):
    padding = rng.random((2, 1, 1, 6)) > 0.3
    padding[..., 0] = True
    fully_masked_row = rng.random((2, 1, 4, 6)) > 0.5
    fully_masked_row[0, 0, 1] = False
    return {"none": None, "padding": padding, "causal": np.tril(np.ones((4, 6), bool)),
            "with_empty_row": fully_masked_row}


@pytest.mark.parametrize("mask_name", ["none", "padding", "causal", "with_empty_row"])
@pytest.mark.parametrize("dropout", [False, True])
def test_fused_attention_equals_composite_in_float64(mask_name, dropout):
    rng = np.random.default_rng(0)
    mask = _masks(rng)[mask_name]
    drop = (rng.random((2, 3, 4, 6)) > 0.25) / 0.75 if dropout else None
    arrays = [rng.standard_normal(SHAPES[n]) for n in "qkv"]
    upstream = rng.standard_normal((2, 3, 4, 7))
    results = []
    for fn in (scaled_dot_product_attention, scaled_dot_product_attention_composite):
        tensors = [Tensor(a, requires_grad=True, dtype="float64") for a in arrays]
        out = fn(*tensors, mask=mask, dropout_mask=drop)
        out.backward(upstream)
        results.append([out.data] + [t.grad for t in tensors])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mask_name", ["none", "padding", "causal"])
def test_attention_matches_torch(mask_name):
    rng = np.random.default_rng(1)
    mask = _masks(rng)[mask_name]
    arrays = [rng.standard_normal(SHAPES[n]) for n in "qkv"]

    def theirs(q, k, v):
        return F.scaled_dot_product_attention(
            q, k, v, attn_mask=None if mask is None else torch.tensor(mask))

    check_op(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask), theirs,
             arrays)


def test_fully_masked_row_is_uniform_with_no_gradient_to_query_and_key():
    rng = np.random.default_rng(2)
    q, k, v = (Tensor(rng.standard_normal(SHAPES[n]), requires_grad=True) for n in "qkv")
    mask = np.ones((4, 6), bool)
    mask[2] = False
    out = scaled_dot_product_attention(q, k, v, mask=mask)
    np.testing.assert_allclose(out.data[:, :, 2], v.data.mean(axis=2), rtol=1e-5, atol=1e-6)
    q.grad = None
    out.backward(np.ones(out.shape, np.float32))
    np.testing.assert_array_equal(q.grad[:, :, 2], 0)


def test_custom_scale_and_gradcheck():
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(s) for s in [(2, 3, 2), (2, 4, 2), (2, 4, 3)]]
    mask = np.array([[1, 1, 0, 1]], bool)
    gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, mask=mask, scale=0.7),
              *arrays)
    ours = scaled_dot_product_attention(*[Tensor(a) for a in arrays], scale=0.7)
    expected = F.scaled_dot_product_attention(*[torch.tensor(a) for a in arrays], scale=0.7)
    np.testing.assert_allclose(ours.data, expected.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shapes, message", [
    ([(2, 4, 5), (2, 6, 4), (2, 6, 7)], "expected query"),
    ([(2, 4, 5), (2, 6, 5), (2, 5, 7)], "expected query"),
    ([(4, 5), (2, 6, 5), (2, 6, 7)], "same rank")])
def test_shape_errors_name_the_shapes(shapes, message):
    tensors = [Tensor(np.zeros(s)) for s in shapes]
    with pytest.raises(ValueError, match=message):
        scaled_dot_product_attention(*tensors)


def test_mask_that_does_not_broadcast_is_rejected():
    tensors = [Tensor(np.zeros(s)) for s in [(2, 4, 5), (2, 6, 5), (2, 6, 7)]]
    with pytest.raises(ValueError, match=r"mask of shape \(4, 5\)"):
        scaled_dot_product_attention(*tensors, mask=np.ones((4, 5), bool))


def test_attention_in_many_blocks_equals_composite(monkeypatch):
    """Blocks of one batch item each, with a key broadcast over the batch, change nothing."""
    from dlpath.engine import attention

    monkeypatch.setattr(attention, "_BLOCK_BYTES", 1)
    rng = np.random.default_rng(4)
    shapes = [(5, 2, 4, 3), (1, 2, 6, 3), (5, 2, 6, 2)]
    arrays = [rng.standard_normal(s) for s in shapes]
    mask = rng.random((5, 1, 4, 6)) > 0.3
    mask[1, 0, 2] = False
    drop = (rng.random((5, 2, 4, 6)) > 0.2) / 0.8
    upstream = rng.standard_normal((5, 2, 4, 2))
    results = []
    for fn in (scaled_dot_product_attention, scaled_dot_product_attention_composite):
        tensors = [Tensor(a, requires_grad=True, dtype="float64") for a in arrays]
        out = fn(*tensors, mask=mask, dropout_mask=drop)
        out.backward(upstream)
        results.append([out.data] + [t.grad for t in tensors])
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-10, atol=1e-12)


def test_unbatched_attention_matches_torch():
    rng = np.random.default_rng(5)
    check_op(lambda q, k, v: scaled_dot_product_attention(q, k, v),
             lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
             [rng.standard_normal(s) for s in [(4, 3), (5, 3), (5, 2)]])
