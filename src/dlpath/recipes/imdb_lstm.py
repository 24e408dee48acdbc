"""imdb-lstm: sentiment of movie reviews with an LSTM (Chollet, Deep Learning with Python).

1. Load IMDb with the 10,000 most frequent words; hold out 15% of the official training
   reviews for validation; keep the 25,000 official test reviews.
2. Pad or cut every review to ``maxlen`` ids (``--set maxlen=200`` for quicker runs).
3. Build Embedding(10000, 128) -> LSTM(64) -> Dense(1, sigmoid) with Adam.
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpath import keras
from dlpath.recipes import _imdb
from dlpath.recipes.base import RecipeConfig
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 3
    batch_size: int = 64
    learning_rate: float = 1e-3
    num_words: int = 10000
    maxlen: int = 500
    embedding_dim: int = 128
    units: int = 64


def compile_binary(model, learning_rate: float):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="binary_crossentropy", metrics=["accuracy"])
    return model


@register
class ImdbLSTM(_imdb.ImdbRecipe):
    name = "imdb-lstm"
    description = "Embedding(10000,128)-LSTM(64)-Dense(1) on IMDb reviews"
    expected = {"accuracy": 0.84}
    Config = Config

    def build_model(self, config, data):
        # 3. The model.
        model = keras.Sequential([
            keras.Input(shape=(config.maxlen,), dtype="int64"),
            keras.layers.Embedding(config.num_words, config.embedding_dim),
            keras.layers.LSTM(config.units),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        return compile_binary(model, config.learning_rate)
