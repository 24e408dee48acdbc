"""Transformer building blocks: an encoder block and position embeddings/encodings.

`TransformerEncoder` is the post-norm block of Vaswani et al. (2017) as in Keras' "Text
classification with Transformer" example; `PositionalEmbedding` (alias
`TokenAndPositionEmbedding`) adds learned token and position embeddings; and
`SinusoidalPositionEncoding` adds the fixed sine/cosine encoding of the paper.
"""

from __future__ import annotations

import numpy as np

from dlpath import activations, initializers
from dlpath.engine import Tensor, ops
from dlpath.layers import arguments
from dlpath.layers.attention import MultiHeadAttention
from dlpath.layers.core import Dropout
from dlpath.layers.dense import Dense
from dlpath.layers.embedding import Embedding
from dlpath.layers.layer import InputSpec, Layer
from dlpath.layers.normalization import LayerNormalization


def _mask_array(mask):
    return None if mask is None else np.asarray(getattr(mask, "data", mask), dtype=bool)


class TransformerEncoder(Layer):
    """One post-norm Transformer encoder block (Vaswani et al. 2017):

        h = LayerNorm(x + Dropout(MultiHeadAttention(x, x)))
        y = LayerNorm(h + Dropout(Dense_embed(activation(Dense_ff(h)))))

    Args:
        embed_dim: the model width; the input's last axis (inferred from it when None).
        num_heads: attention heads.
        ff_dim: width of the feed-forward layer (aliases ``dense_dim``,
            ``intermediate_dim``).
        key_dim: size of each head (default ``embed_dim``, as the Keras example).
        dropout: rate of the two residual-branch dropouts (alias ``rate``).
        attention_dropout: dropout on the attention probabilities.
        activation: of the feed-forward layer.
        layer_norm_epsilon: epsilon of both layer normalizations.

    A padding mask (B, T) carried by the input (``Embedding(mask_zero=True)``) or given as
    ``mask`` masks the attention as Keras' MultiHeadAttention does (query & value masks) and
    is passed on with the output.
    """

    supports_masking = True

    def __init__(self, embed_dim=None, num_heads: int = 2, ff_dim=None, key_dim=None,
                 dropout: float = 0.1, attention_dropout: float = 0.0, activation="relu",
                 layer_norm_epsilon: float = 1e-6, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        rate = kwargs.pop("rate", None)
        aliases = [kwargs.pop(name) for name in ("dense_dim", "intermediate_dim")
                   if name in kwargs]
        super().__init__(**kwargs)
        if ff_dim is None and aliases:
            ff_dim = aliases[0]
        owner = "TransformerEncoder"
        self.embed_dim = arguments.optional_positive_int(embed_dim, "embed_dim", owner)
        self.num_heads = arguments.positive_int(num_heads, "num_heads", owner)
        self.ff_dim = arguments.positive_int(ff_dim, "ff_dim", owner)
        self.key_dim = arguments.optional_positive_int(key_dim, "key_dim", owner)
        self.dropout = arguments.rate(dropout if rate is None else rate, "dropout", owner)
        self.attention_dropout = arguments.rate(attention_dropout, "attention_dropout", owner)
        self.activation = activations.get(activation)
        self.layer_norm_epsilon = float(layer_norm_epsilon)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        embed_dim = input_shape[-1]
        if self.embed_dim is not None and self.embed_dim != embed_dim:
            raise ValueError(f"Layer '{self.name}' (TransformerEncoder): expected inputs of "
                             f"shape (batch, time, {self.embed_dim}), got shape "
                             f"{tuple(input_shape)}")
        self.embed_dim = embed_dim
        common = {"kernel_initializer": self.kernel_initializer,
                  "bias_initializer": self.bias_initializer, "dtype": self.dtype}
        # Sublayers in Keras' weight order: attention, feed-forward, the two norms.
        self.attention = MultiHeadAttention(self.num_heads, self.key_dim or embed_dim,
                                            dropout=self.attention_dropout,
                                            name=f"{self.name}/attention", **common)
        self.ffn_1 = Dense(self.ff_dim, activation=self.activation, name=f"{self.name}/ffn_1",
                           **common)
        self.ffn_2 = Dense(embed_dim, name=f"{self.name}/ffn_2", **common)
        self.layernorm_1 = LayerNormalization(epsilon=self.layer_norm_epsilon,
                                              name=f"{self.name}/layernorm_1", dtype=self.dtype)
        self.layernorm_2 = LayerNormalization(epsilon=self.layer_norm_epsilon,
                                              name=f"{self.name}/layernorm_2", dtype=self.dtype)
        self.dropout_1 = Dropout(self.dropout, name=f"{self.name}/dropout_1", dtype=self.dtype)
        self.dropout_2 = Dropout(self.dropout, name=f"{self.name}/dropout_2", dtype=self.dtype)
        self.attention.build(tuple(input_shape), tuple(input_shape))
        self.attention.built = True
        self.ffn_1.build(tuple(input_shape))
        self.ffn_1.built = True
        self.ffn_2.build(tuple(input_shape[:-1]) + (self.ff_dim,))
        self.ffn_2.built = True
        for norm in (self.layernorm_1, self.layernorm_2):
            norm.build(tuple(input_shape))
            norm.built = True
        self.input_spec = InputSpec(ndim=3, axes={-1: embed_dim})

    def call(self, inputs, training=False, mask=None):
        mask = _mask_array(mask)
        attended = self.attention(inputs, inputs, query_mask=mask, value_mask=mask,
                                  training=training)  # (B, T, C)
        attended = self.dropout_1(attended, training=training)
        hidden = self.layernorm_1(inputs + attended)  # (B, T, C)
        forward = self.ffn_2(self.ffn_1(hidden))  # (B, T, C)
        forward = self.dropout_2(forward, training=training)
        return self.layernorm_2(hidden + forward)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "embed_dim": self.embed_dim,
                "num_heads": self.num_heads, "ff_dim": self.ff_dim, "key_dim": self.key_dim,
                "dropout": self.dropout, "attention_dropout": self.attention_dropout,
                "activation": activations.serialize(self.activation),
                "layer_norm_epsilon": self.layer_norm_epsilon,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer)}


class PositionalEmbedding(Layer):
    """Learned token embeddings plus learned position embeddings (Keras'
    TokenAndPositionEmbedding example; BERT/GPT-style absolute positions):

        y[b, t] = E_token[ids[b, t]] + E_position[t]

    Args:
        sequence_length: the longest sequence (rows of the position table; alias
            ``maxlen``).
        vocab_size: rows of the token table (alias ``vocabulary_size``).
        embed_dim: the embedding width (alias ``embedding_dim``).
        mask_zero: id 0 is padding; the output carries the mask ``ids != 0``.

    Weights: ``token_embedding/embeddings`` (vocab_size, embed_dim), then
    ``position_embedding/embeddings`` (sequence_length, embed_dim).
    """

    casts_inputs = False

    def __init__(self, sequence_length=None, vocab_size=None, embed_dim=None,
                 mask_zero: bool = False, embeddings_initializer="uniform", **kwargs):
        sequence_length = kwargs.pop("maxlen", sequence_length)
        vocab_size = kwargs.pop("vocabulary_size", vocab_size)
        embed_dim = kwargs.pop("embedding_dim", embed_dim)
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.sequence_length = arguments.positive_int(sequence_length, "sequence_length", owner)
        self.vocab_size = arguments.positive_int(vocab_size, "vocab_size", owner)
        self.embed_dim = arguments.positive_int(embed_dim, "embed_dim", owner)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.token_embedding = Embedding(self.vocab_size, self.embed_dim,
                                         self.embeddings_initializer, mask_zero=mask_zero,
                                         name=f"{self.name}/token_embedding", dtype=self.dtype)
        self.position_embedding = Embedding(self.sequence_length, self.embed_dim,
                                            self.embeddings_initializer,
                                            name=f"{self.name}/position_embedding",
                                            dtype=self.dtype)

    def build(self, input_shape):
        self.token_embedding.build(tuple(input_shape))
        self.token_embedding.built = True
        self.position_embedding.build((self.sequence_length,))
        self.position_embedding.built = True

    def call(self, inputs):
        steps = inputs.shape[-1]
        if inputs.ndim < 1 or steps > self.sequence_length:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): expected ids of "
                             f"shape (batch, <= {self.sequence_length}), got shape "
                             f"{inputs.shape}")
        tokens = self.token_embedding(inputs)  # (B, T, C)
        positions = ops.getitem(self.position_embedding.embeddings, slice(0, steps))  # (T, C)
        return tokens + positions

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return Tensor(np.asarray(inputs.data) != 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.embed_dim,)

    def get_config(self):
        return {**super().get_config(), "sequence_length": self.sequence_length,
                "vocab_size": self.vocab_size, "embed_dim": self.embed_dim,
                "mask_zero": self.mask_zero,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer)}


class TokenAndPositionEmbedding(PositionalEmbedding):
    """`PositionalEmbedding` under the name of Keras' example:
    ``TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)``."""


def sinusoidal_encoding(steps: int, dim: int, max_wavelength: float = 10000.0,
                        dtype="float32") -> np.ndarray:
    """The fixed position encoding of Vaswani et al. (2017), shape (steps, dim):

        PE[t, 2i] = sin(t / w^(2i / dim)),  PE[t, 2i + 1] = cos(t / w^(2i / dim)),  w = 10000
    """
    positions = np.arange(steps, dtype=np.float64)[:, None]  # (T, 1)
    pair_index = np.arange(dim) // 2  # i for columns 2i and 2i + 1
    angles = positions / np.power(max_wavelength, 2 * pair_index / dim)  # (T, C)
    encoding = np.where(np.arange(dim) % 2 == 0, np.sin(angles), np.cos(angles))
    return encoding.astype(dtype)


class SinusoidalPositionEncoding(Layer):
    """Adds the fixed sine/cosine position encoding (Vaswani et al. 2017) to (B, T, C)
    inputs: y[b, t] = x[b, t] + PE[t] (see `sinusoidal_encoding`). No weights; masks pass
    through."""

    supports_masking = True

    def __init__(self, max_wavelength: float = 10000.0, **kwargs):
        super().__init__(**kwargs)
        if float(max_wavelength) <= 0:
            raise ValueError(f"SinusoidalPositionEncoding: max_wavelength must be > 0, got "
                             f"{max_wavelength}")
        self.max_wavelength = float(max_wavelength)
        self.input_spec = InputSpec(ndim=3)
        self._cache = {}

    def call(self, inputs):
        key = (inputs.shape[1], inputs.shape[2], inputs.dtype)
        if key not in self._cache:
            self._cache = {key: sinusoidal_encoding(key[0], key[1], self.max_wavelength,
                                                    inputs.dtype)}
        return inputs + Tensor(self._cache[key])  # (B, T, C)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "max_wavelength": self.max_wavelength}

