"""MultiHeadAttention against PyTorch (weights copied from Keras' layout) and Keras' rules."""

import math

import numpy as np
import pytest
import torch

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import Embedding, MultiHeadAttention
from harness import run_layer_test


def _randomize(layer, rng):
    for weight in layer.weights:
        weight.assign((rng.standard_normal(weight.shape) * 0.5).astype(weight.dtype))


def _torch_reference(weights, query, value, key, mask, key_dim):
    """Keras' computation written with torch ops: projections by einsum over the per-head
    kernels, masked scores set to -1e9, softmax, weighted sum, output projection."""
    wq, bq, wk, bk, wv, bv, wo, bo = weights
    q = torch.einsum("btd,dnh->bnth", query, wq) + bq[None, :, None, :]  # (B, N, T, H)
    k = torch.einsum("bsd,dnh->bnsh", key, wk) + bk[None, :, None, :]
    v = torch.einsum("bsd,dnh->bnsh", value, wv) + bv[None, :, None, :]
    scores = q @ k.transpose(-1, -2) / math.sqrt(key_dim)  # (B, N, T, S)
    if mask is not None:
        scores = scores.masked_fill(~torch.as_tensor(mask)[:, None], -1e9)
    probs = torch.softmax(scores, dim=-1)
    heads = probs @ v  # (B, N, T, Hv)
    return torch.einsum("bnth,nhe->bte", heads, wo) + bo, probs


def _compare(layer, query, value, key, mask, call_kwargs, rng, key_dim):
    """Run layer and the torch reference; compare output, scores and every gradient."""
    ours_in = [Tensor(a, requires_grad=True) if a is not None else None
               for a in (query, value, key)]
    out, scores = layer(ours_in[0], ours_in[1], ours_in[2], return_attention_scores=True,
                        **call_kwargs)
    fused = layer(Tensor(query), Tensor(value), None if key is None else Tensor(key),
                  **call_kwargs)
    np.testing.assert_allclose(fused.data, out.data, rtol=1e-5, atol=1e-6)

    theirs_w = [torch.tensor(w.data, requires_grad=True) for w in layer.weights]
    theirs_in = [torch.tensor(a, requires_grad=True) if a is not None else None
                 for a in (query, value, key)]
    t_key = theirs_in[2] if key is not None else theirs_in[1]
    t_out, t_scores = _torch_reference(theirs_w, theirs_in[0], theirs_in[1], t_key, mask,
                                       key_dim)
    np.testing.assert_allclose(out.data, t_out.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(scores.data, t_scores.detach().numpy(), rtol=1e-4, atol=1e-6)

    upstream = rng.standard_normal(out.shape).astype(np.float32)
    for weight in layer.weights:
        weight.grad = None
    fused_in = [Tensor(a, requires_grad=True) if a is not None else None
                for a in (query, value, key)]
    layer(*fused_in, **call_kwargs).backward(upstream)
    t_out.backward(torch.tensor(upstream))
    for weight, theirs in zip(layer.weights, theirs_w):
        np.testing.assert_allclose(weight.grad, theirs.grad.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=weight.name)
    for ours, theirs in zip(fused_in, theirs_in):
        if ours is not None:
            np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-4, atol=1e-4)
    return out


@pytest.mark.parametrize("use_causal_mask", [False, True])
@pytest.mark.parametrize("with_key", [False, True])
@pytest.mark.parametrize("with_attention_mask", [False, True])
def test_matches_torch_reference_with_cross_attention_and_masks(use_causal_mask, with_key,
                                                               with_attention_mask):
    rng = np.random.default_rng(0)
    query = rng.standard_normal((2, 4, 5)).astype(np.float32)
    value = rng.standard_normal((2, 4, 6)).astype(np.float32)
    key = rng.standard_normal((2, 4, 3)).astype(np.float32) if with_key else None
    layer = MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, output_shape=7)
    layer(Tensor(query), Tensor(value), None if key is None else Tensor(key))
    _randomize(layer, rng)
    attention_mask = rng.random((2, 4, 4)) > 0.3 if with_attention_mask else None
    mask = np.ones((2, 4, 4), bool)
    if attention_mask is not None:
        mask &= attention_mask
    if use_causal_mask:
        mask &= np.tril(np.ones((4, 4), bool))
    out = _compare(layer, query, value, key, mask,
                   {"attention_mask": attention_mask, "use_causal_mask": use_causal_mask},
                   rng, key_dim=3)
    assert out.shape == (2, 4, 7)


def test_matches_torch_nn_multihead_attention_with_weights_copied():
    rng = np.random.default_rng(1)
    heads, key_dim, dim = 2, 4, 8
    x = rng.standard_normal((3, 5, dim)).astype(np.float32)
    padding = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0]], bool)
    layer = MultiHeadAttention(heads, key_dim, bias_initializer="random_normal")
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs, inputs, attention_mask=padding[:, None, :], use_causal_mask=True)

    module = torch.nn.MultiheadAttention(dim, heads, batch_first=True)
    wq, bq, wk, bk, wv, bv, wo, bo = [w.data for w in layer.weights]
    with torch.no_grad():  # Keras (in, heads, head_dim) kernels -> PyTorch (out, in) weights
        module.in_proj_weight.copy_(torch.tensor(np.concatenate(
            [w.reshape(dim, heads * key_dim).T for w in (wq, wk, wv)])))
        module.in_proj_bias.copy_(torch.tensor(np.concatenate(
            [b.reshape(-1) for b in (bq, bk, bv)])))
        module.out_proj.weight.copy_(torch.tensor(wo.reshape(heads * key_dim, dim).T))
        module.out_proj.bias.copy_(torch.tensor(bo))
    theirs_in = torch.tensor(x, requires_grad=True)
    causal = ~torch.tril(torch.ones(5, 5, dtype=torch.bool))
    theirs, _ = module(theirs_in, theirs_in, theirs_in, attn_mask=causal,
                       key_padding_mask=torch.tensor(~padding))
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, theirs_in.grad.numpy(), rtol=1e-4, atol=1e-4)
    grad_wq = layer.weights[0].grad.reshape(dim, heads * key_dim).T
    np.testing.assert_allclose(grad_wq, module.in_proj_weight.grad[:dim].numpy(),
                               rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.weights[6].grad.reshape(heads * key_dim, dim).T,
                               module.out_proj.weight.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_embedding_masks_on_query_and_value_are_combined_as_keras_does():
    rng = np.random.default_rng(2)
    query_ids = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    value_ids = np.array([[6, 7, 8, 9, 0], [1, 0, 0, 0, 0]])
    embed = Embedding(10, 4, mask_zero=True)
    query, value = embed(Tensor(query_ids)), embed(Tensor(value_ids))
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = layer(query, value, return_attention_scores=True)
    # Padded keys get no attention; padded queries attend uniformly to everything.
    assert np.all(scores.data[1, :, :2, 1:] < 1e-6)
    np.testing.assert_allclose(scores.data[1, :, 3], 1 / 5, rtol=1e-6)
    np.testing.assert_array_equal(out._mask.data, query_ids != 0)
    mask = (query_ids != 0)[:, :, None] & (value_ids != 0)[:, None, :]
    _compare(layer, query.data, value.data, None, mask, {
        "query_mask": query_ids != 0, "value_mask": value_ids != 0}, rng, key_dim=3)
    unmasked = layer(Tensor(query.data), Tensor(value.data))
    assert not np.allclose(unmasked.data, out.data)


def test_dropout_on_attention_probabilities_is_the_same_in_fused_and_composite_paths():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 6, 4)).astype(np.float32)
    layers = [MultiHeadAttention(2, 3, dropout=0.5, seed=7) for _ in range(2)]
    layers[0](Tensor(x), Tensor(x))
    layers[1](Tensor(x), Tensor(x))
    layers[1].set_weights(layers[0].get_weights())
    fused = layers[0](Tensor(x), Tensor(x), training=True)
    composite, scores = layers[1](Tensor(x), Tensor(x), training=True,
                                  return_attention_scores=True)
    np.testing.assert_allclose(fused.data, composite.data, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scores.data.sum(-1), 1.0, rtol=1e-5)  # before dropout
    inference = layers[0](Tensor(x), Tensor(x), training=False)
    assert not np.allclose(inference.data, fused.data)


def test_gradcheck_in_float64():
    rng = np.random.default_rng(4)
    layer = MultiHeadAttention(2, 2, value_dim=3, dtype="float64",
                               bias_initializer="random_normal")
    mask = np.array([[1, 1, 0], [1, 0, 1], [0, 0, 0]], bool)[None]
    gradcheck(lambda q, v: layer(q, v, attention_mask=mask), rng.standard_normal((2, 3, 3)),
              rng.standard_normal((2, 3, 2)))


class SelfAttention(MultiHeadAttention):
    """MultiHeadAttention called on one input (query = value), for the layer harness."""

    def __call__(self, x, **kwargs):
        return super().__call__(x, x, **kwargs)


@pytest.mark.parametrize("kwargs, output_shape, trainable", [
    ({"num_heads": 2, "key_dim": 3}, (2, 5, 4), 8),
    ({"num_heads": 1, "key_dim": 2, "use_bias": False}, (2, 5, 4), 4),
    ({"num_heads": 3, "key_dim": 2, "value_dim": 5, "output_shape": 6}, (2, 5, 6), 8)])
def test_layer_contract(kwargs, output_shape, trainable):
    layer, _ = run_layer_test(SelfAttention, kwargs, (2, 5, 4), output_shape, trainable)
    names = [w.name.split("/", 1)[1] for w in layer.weights]
    assert names[0] == "query/kernel" and names[-1].startswith("attention_output/")
    heads, key_dim = kwargs["num_heads"], kwargs["key_dim"]
    assert layer.weights[0].shape == (4, heads, key_dim)
    value_dim = kwargs.get("value_dim", key_dim)
    assert layer.weights[-2 if kwargs.get("use_bias", True) else -1].shape == (
        heads, value_dim, output_shape[-1])


def test_errors_name_the_layer_and_shapes():
    layer = MultiHeadAttention(2, 3, name="mha")
    with pytest.raises(ValueError, match=r"'mha'.*rank 3.*\(2, 4\)"):
        layer(Tensor(np.zeros((2, 4))), Tensor(np.zeros((2, 4))))
    layer(Tensor(np.zeros((2, 4, 5))), Tensor(np.zeros((2, 3, 6))))
    with pytest.raises(ValueError, match=r"'mha'.*\(5, 6, 6\).*\(2, 4, 5\).*\(2, 3, 7\)"):
        layer(Tensor(np.zeros((2, 4, 5))), Tensor(np.zeros((2, 3, 7))))
    with pytest.raises(ValueError, match=r"'mha'.*size 5.*\(2, 4, 8\)"):
        layer(Tensor(np.zeros((2, 4, 8))), Tensor(np.zeros((2, 3, 6))))
    with pytest.raises(ValueError, match=r"attention_mask of shape \(4, 4\)"):
        layer(Tensor(np.zeros((2, 4, 5))), Tensor(np.zeros((2, 3, 6))),
              attention_mask=np.ones((4, 4)))
    with pytest.raises(TypeError, match="value"):
        layer(Tensor(np.zeros((2, 4, 5))))
