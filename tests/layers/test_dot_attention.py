"""Attention and AdditiveAttention against torch's scaled_dot_product_attention and the
formulas of Keras' docs, masks, dropout, gradcheck, harness, save/load and errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import AdditiveAttention, Attention, Embedding
from dlpath.layers.input_layer import Input
from dlpath.models import Model
from dlpath.saving import load_model
from harness import run_layer_test

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 3, 4)).astype(np.float32)
V = RNG.standard_normal((2, 5, 4)).astype(np.float32)
K = RNG.standard_normal((2, 5, 4)).astype(np.float32)
VALUE_MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def compare_with_sdpa(layer, scale, mask=None, causal=False):
    """Output and the gradients of query, value and key against torch's sdpa."""
    ours = [Tensor(a, requires_grad=True) for a in (Q, V, K)]
    out = layer(ours, mask=None if mask is None else [None, mask], use_causal_mask=causal)
    q, v, k = (torch.tensor(a, requires_grad=True) for a in (Q, V, K))
    attn_mask = None if mask is None else torch.tensor(mask)[:, None, :]
    if causal:
        tril = torch.tril(torch.ones(3, 5, dtype=torch.bool))[None]
        attn_mask = tril if attn_mask is None else attn_mask & tril
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, scale=scale)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = RNG.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    for mine, theirs in zip(ours, (q, v, k)):
        np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mask,causal", [(None, False), (VALUE_MASK, False), (None, True),
                                         (VALUE_MASK, True)])
def test_dot_attention_matches_torch_sdpa(mask, causal):
    compare_with_sdpa(Attention(), 1.0, mask, causal)


def test_dot_attention_learned_scale_matches_torch_sdpa_and_gets_a_gradient():
    layer = Attention(use_scale=True)
    layer([Q, V])
    layer.scale.data[...] = 0.37
    compare_with_sdpa(layer, 0.37, VALUE_MASK)
    assert layer.scale.grad is not None and layer.scale.grad.shape == ()


def test_concat_attention_matches_the_keras_formula():
    layer = Attention(use_scale=True, score_mode="concat")
    layer([Q, V, K])
    layer.scale.data[...], layer.concat_score_weight.data[...] = 0.7, 1.3
    out, weights = layer([Q, V, K], return_attention_scores=True)
    scores = 1.3 * np.tanh(0.7 * (Q[:, :, None, :] + K[:, None, :, :])).sum(-1)
    np.testing.assert_allclose(weights.data, softmax(scores), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.data, softmax(scores) @ V, rtol=1e-5, atol=1e-6)
    assert [w.name.split("/")[-1] for w in layer.weights] == ["scale", "concat_score_weight"]


@pytest.mark.parametrize("use_scale", [True, False])
def test_additive_attention_matches_the_keras_formula(use_scale):
    layer = AdditiveAttention(use_scale=use_scale)
    out, weights = layer([Q, V, K], mask=[None, VALUE_MASK], return_attention_scores=True)
    scale = layer.scale.data if use_scale else 1.0
    scores = (scale * np.tanh(Q[:, :, None, :] + K[:, None, :, :])).sum(-1)
    scores = scores - 1e9 * ~VALUE_MASK[:, None, :]
    np.testing.assert_allclose(weights.data, softmax(scores), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.data, softmax(scores) @ V, rtol=1e-5, atol=1e-6)
    assert [w.shape for w in layer.weights] == ([(4,)] if use_scale else [])


def test_query_mask_zeroes_outputs_and_is_carried_from_embeddings():
    query_mask = np.array([[1, 0, 1], [1, 1, 1]], bool)
    out = Attention()([Q, V], mask=[query_mask, None])
    np.testing.assert_array_equal(out.data[0, 1], 0)
    assert np.abs(out.data[0, 0]).sum() > 0
    np.testing.assert_array_equal(np.asarray(out._mask.data), query_mask)
    ids_q, ids_v = np.array([[1, 2, 0]]), np.array([[3, 1, 0, 0]])
    embed = Embedding(5, 4, mask_zero=True)
    weights = Attention()([embed(ids_q), embed(ids_v)], return_attention_scores=True)[1]
    np.testing.assert_allclose(weights.data[0, :, 2:], 0, atol=1e-7)


@pytest.mark.parametrize("layer_cls", [Attention, AdditiveAttention])
def test_dropout_drops_attention_weights_only_while_training(layer_cls):
    layer = layer_cls(dropout=0.5, seed=3)
    inference = layer([Q, V], return_attention_scores=True)
    out, dropped = layer([Q, V], training=True, return_attention_scores=True)
    assert not np.allclose(out.data, inference[0].data)
    kept = dropped.data != 0
    assert 0 < kept.mean() < 1  # the scores returned are those after dropout, as in Keras
    np.testing.assert_allclose(dropped.data[kept], 2 * inference[1].data[kept], rtol=1e-6)
    np.testing.assert_allclose(out.data, dropped.data @ V, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer([Q, V]).data, inference[0].data)


@pytest.mark.parametrize("layer", [Attention(use_scale=True, dtype="float64"),
                                   Attention(score_mode="concat", dtype="float64"),
                                   AdditiveAttention(dtype="float64")])
def test_attention_gradcheck_in_float64(layer):
    q, v, k = (a[:1, :, :3].astype(np.float64) for a in (Q, V, K))
    layer([q, v, k])
    gradcheck(lambda q, v, k: layer([q, v, k], mask=[None, VALUE_MASK[:1]],
                                    use_causal_mask=True), q, v, k)


class SelfAttention(Attention):
    """Attention of a sequence over itself, so the one-input harness can run it."""

    def build(self, input_shape):
        super().build([input_shape, input_shape])

    def call(self, inputs, training=False):
        return super().call([inputs, inputs], training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape([input_shape, input_shape])


class SelfAdditiveAttention(AdditiveAttention):
    def build(self, input_shape):
        super().build([input_shape, input_shape])

    def call(self, inputs, training=False):
        return super().call([inputs, inputs], training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape([input_shape, input_shape])


@pytest.mark.parametrize("layer_cls,kwargs,weights", [
    (SelfAttention, {}, 0), (SelfAttention, {"use_scale": True, "score_mode": "concat"}, 2),
    (SelfAdditiveAttention, {}, 1),
])
def test_attention_layers_harness(layer_cls, kwargs, weights):
    run_layer_test(layer_cls, kwargs, (2, 4, 3), (2, 4, 3), weights)


def test_attention_config_is_keras():
    assert Attention(use_scale=True, score_mode="concat", dropout=0.1).get_config()[
        "score_mode"] == "concat"
    config = AdditiveAttention(use_scale=False, dropout=0.2).get_config()
    assert config["use_scale"] is False and config["dropout"] == 0.2
    assert AdditiveAttention().use_scale and not Attention().use_scale


@pytest.mark.parametrize("layer_fn", [lambda: Attention(use_scale=True),
                                      lambda: AdditiveAttention()])
def test_attention_survives_save_and_load(tmp_path, layer_fn):
    q, v = Input((3, 4)), Input((5, 4))
    model = Model([q, v], layer_fn()([q, v]))
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict([Q, V], verbose=0),
                                  model.predict([Q, V], verbose=0))


def test_attention_errors_name_layer_and_shapes():
    layer = Attention(name="att")
    with pytest.raises(ValueError, match=r"'att' \(Attention\): inputs must be a list"):
        layer(Q)
    with pytest.raises(ValueError, match=r"'att' \(Attention\).*query and key must have the "
                                         r"same features.*\(2, 3, 4\).*\(2, 5, 3\)"):
        layer([Q, V[..., :3]])
    with pytest.raises(ValueError, match=r"'att' \(Attention\).*value of rank 3"):
        layer([Q, V[0]])
    with pytest.raises(ValueError, match=r"'att' \(Attention\): the value mask has shape"):
        layer([Q, V], mask=[None, VALUE_MASK[:, :4]])
    with pytest.raises(ValueError, match=r"Attention: score_mode must be one of"):
        Attention(score_mode="general")
    with pytest.raises(ValueError, match=r"AdditiveAttention: dropout must be"):
        AdditiveAttention(dropout=1.5)
