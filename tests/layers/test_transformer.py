"""TransformerEncoder, PositionalEmbedding and SinusoidalPositionEncoding against PyTorch."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor, gradcheck
from dlpath.layers import (
    Embedding, PositionalEmbedding, SinusoidalPositionEncoding, TokenAndPositionEmbedding,
    TransformerEncoder,
)
from harness import run_layer_test


class TorchEncoder(torch.nn.Module):
    """The same post-norm block in PyTorch, from dlpath's weights (Keras layout)."""

    def __init__(self, weights, num_heads, epsilon):
        super().__init__()
        self.params = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.tensor(w)) for w in weights])
        self.num_heads, self.epsilon = num_heads, epsilon

    def forward(self, x, mask=None):
        wq, bq, wk, bk, wv, bv, wo, bo, w1, b1, w2, b2, g1, be1, g2, be2 = self.params
        q = torch.einsum("btd,dnh->bnth", x, wq) + bq[None, :, None, :]  # (B, N, T, H)
        k = torch.einsum("btd,dnh->bnth", x, wk) + bk[None, :, None, :]
        v = torch.einsum("btd,dnh->bnth", x, wv) + bv[None, :, None, :]
        scores = q @ k.transpose(-1, -2) / math.sqrt(wq.shape[-1])
        if mask is not None:
            pair = torch.as_tensor(mask[:, :, None] & mask[:, None, :])
            scores = scores.masked_fill(~pair[:, None], -1e9)
        attended = torch.einsum("bnth,nhe->bte", torch.softmax(scores, -1) @ v, wo) + bo
        hidden = F.layer_norm(x + attended, (x.shape[-1],), g1, be1, self.epsilon)
        forward = torch.relu(hidden @ w1 + b1) @ w2 + b2
        return F.layer_norm(hidden + forward, (x.shape[-1],), g2, be2, self.epsilon)


def _randomize(layer, rng):
    for weight in layer.weights:
        weight.assign((rng.standard_normal(weight.shape) * 0.4).astype(weight.dtype))


@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("key_dim", [None, 3])
def test_encoder_matches_torch(masked, key_dim):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5, 8)).astype(np.float32)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], bool)
    layer = TransformerEncoder(embed_dim=8, num_heads=2, ff_dim=6, key_dim=key_dim)
    layer(Tensor(x))
    _randomize(layer, rng)
    assert len(layer.trainable_weights) == 16
    inputs = Tensor(x, requires_grad=True)
    out = layer(inputs, mask=mask if masked else None, training=False)
    module = TorchEncoder([w.data for w in layer.weights], 2, layer.layer_norm_epsilon)
    theirs_in = torch.tensor(x, requires_grad=True)
    theirs = module(theirs_in, mask if masked else None)
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(inputs.grad, theirs_in.grad.numpy(), rtol=1e-4, atol=1e-4)
    for weight, param in zip(layer.weights, module.params):
        np.testing.assert_allclose(weight.grad, param.grad.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=weight.name)
    if masked:
        np.testing.assert_array_equal(out._mask.data, mask)


def test_padding_does_not_change_the_outputs_of_real_tokens():
    ids = np.array([[5, 3, 8, 0, 0, 0]])
    embed = Embedding(10, 8, mask_zero=True)
    encoder = TransformerEncoder(num_heads=2, ff_dim=4, dropout=0.0)
    padded = encoder(embed(Tensor(ids)))
    short = encoder(embed(Tensor(ids[:, :3])))
    np.testing.assert_allclose(padded.data[:, :3], short.data, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(padded._mask.data, ids != 0)


def test_encoder_dropout_only_in_training():
    x = Tensor(np.random.default_rng(2).standard_normal((2, 4, 6)))
    encoder = TransformerEncoder(6, 2, 8, dropout=0.5)
    first = encoder(x, training=False).data
    np.testing.assert_array_equal(encoder(x, training=False).data, first)
    assert not np.allclose(encoder(x, training=True).data, first)


def test_encoder_gradcheck_in_float64():
    rng = np.random.default_rng(3)
    encoder = TransformerEncoder(4, 2, 3, key_dim=2, dtype="float64")
    encoder(Tensor(np.zeros((1, 3, 4)), dtype="float64"))
    _randomize(encoder, rng)
    gradcheck(lambda x: encoder(x), rng.standard_normal((2, 3, 4)))


def test_encoder_layer_contract_and_aliases():
    layer, _ = run_layer_test(TransformerEncoder, {"num_heads": 2, "ff_dim": 6}, (2, 5, 4),
                              (2, 5, 4), 16)
    assert layer.embed_dim == 4 and layer.attention.key_dim == 4
    alias = TransformerEncoder(num_heads=2, dense_dim=7, rate=0.2)
    assert alias.ff_dim == 7 and alias.dropout == 0.2


def test_encoder_errors_name_the_layer_and_shapes():
    encoder = TransformerEncoder(embed_dim=8, num_heads=2, ff_dim=4, name="enc")
    with pytest.raises(ValueError, match=r"'enc'.*\(batch, time, 8\).*\(2, 5, 6\)"):
        encoder(Tensor(np.zeros((2, 5, 6))))
    with pytest.raises(ValueError, match=r"'enc'.*rank 3.*\(2, 8\)"):
        encoder(Tensor(np.zeros((2, 8))))
    with pytest.raises(ValueError, match="ff_dim"):
        TransformerEncoder(8, 2)


def test_positional_embedding_matches_torch_embeddings():
    rng = np.random.default_rng(4)
    ids = rng.integers(0, 12, (3, 5))
    layer = PositionalEmbedding(sequence_length=7, vocab_size=12, embed_dim=4)
    out = layer(Tensor(ids))
    token_table, position_table = [w.data for w in layer.weights]
    assert token_table.shape == (12, 4) and position_table.shape == (7, 4)
    tokens = torch.nn.Embedding.from_pretrained(torch.tensor(token_table), freeze=False)
    positions = torch.nn.Embedding.from_pretrained(torch.tensor(position_table), freeze=False)
    theirs = tokens(torch.tensor(ids)) + positions(torch.arange(5))[None]
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-6)
    upstream = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(upstream)
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(layer.weights[0].grad, tokens.weight.grad.numpy(), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(layer.weights[1].grad, positions.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-6)


def test_token_and_position_embedding_is_the_keras_example_spelling():
    layer = TokenAndPositionEmbedding(6, 20, 3, mask_zero=True)
    assert (layer.sequence_length, layer.vocab_size, layer.embed_dim) == (6, 20, 3)
    out = layer(Tensor(np.array([[4, 5, 0]])))
    np.testing.assert_array_equal(out._mask.data, [[True, True, False]])
    keras_hub = PositionalEmbedding(vocabulary_size=20, maxlen=6, embedding_dim=3)
    assert keras_hub.get_config()["vocab_size"] == 20
    run_layer_test(TokenAndPositionEmbedding, {"maxlen": 6, "vocab_size": 20, "embed_dim": 3},
                   (2, 4), (2, 4, 3), 2, input_data=np.array([[1, 2, 3, 4], [5, 0, 0, 0]]))
    with pytest.raises(ValueError, match=r"<= 6.*\(1, 7\)"):
        layer(Tensor(np.ones((1, 7), np.int64)))


def test_sinusoidal_position_encoding_is_vaswani_et_al():
    steps, dim = 9, 6
    x = np.random.default_rng(5).standard_normal((2, steps, dim)).astype(np.float32)
    inputs = Tensor(x, requires_grad=True)
    out = SinusoidalPositionEncoding()(inputs)
    position = torch.arange(steps, dtype=torch.float64)[:, None]
    div_term = torch.exp(torch.arange(0, dim, 2, dtype=torch.float64)
                         * (-math.log(10000.0) / dim))
    expected = torch.zeros(steps, dim, dtype=torch.float64)
    expected[:, 0::2] = torch.sin(position * div_term)
    expected[:, 1::2] = torch.cos(position * div_term)
    np.testing.assert_allclose(out.data - x, np.broadcast_to(expected.numpy(), x.shape),
                               rtol=1e-5, atol=1e-6)
    out.backward(np.ones(out.shape, np.float32))
    np.testing.assert_array_equal(inputs.grad, 1.0)
    run_layer_test(SinusoidalPositionEncoding, {"max_wavelength": 500.0}, (2, 3, 5),
                   (2, 3, 5), 0)
    masked = Embedding(5, 4, mask_zero=True)(Tensor(np.array([[1, 0]])))
    np.testing.assert_array_equal(SinusoidalPositionEncoding()(masked)._mask.data,
                                  [[True, False]])
