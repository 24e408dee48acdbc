"""imdb-transformer: IMDb sentiment with a small Transformer encoder (Keras' text example).

1. Load IMDb (10,000 words); 15% of the training reviews for validation; official test set.
2. Pad or cut every review to ``maxlen`` ids (200 here: attention is quadratic in length).
3. Build token + position embedding -> TransformerEncoder -> GlobalAveragePooling1D ->
   Dropout -> Dense(20, relu) -> Dropout -> Dense(1, sigmoid) with Adam.
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpath import keras
from dlpath.recipes import _imdb
from dlpath.recipes.base import RecipeConfig
from dlpath.recipes.imdb_lstm import compile_binary
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 1e-3
    num_words: int = 10000
    maxlen: int = 200
    embed_dim: int = 32
    num_heads: int = 2
    ff_dim: int = 32
    dropout: float = 0.1


@register
class ImdbTransformer(_imdb.ImdbRecipe):
    name = "imdb-transformer"
    description = "Token+position embedding, TransformerEncoder, pooling on IMDb reviews"
    expected = {"accuracy": 0.85}
    Config = Config

    def build_model(self, config, data):
        # 3. The model.
        model = keras.Sequential([
            keras.Input(shape=(config.maxlen,), dtype="int64"),
            keras.layers.TokenAndPositionEmbedding(config.maxlen, config.num_words,
                                                   config.embed_dim),
            keras.layers.TransformerEncoder(config.embed_dim, config.num_heads,
                                            config.ff_dim, dropout=config.dropout),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dropout(config.dropout),
            keras.layers.Dense(20, activation="relu"),
            keras.layers.Dropout(config.dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        return compile_binary(model, config.learning_rate)
