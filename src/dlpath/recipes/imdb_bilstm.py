"""imdb-bilstm: IMDb sentiment with a bidirectional LSTM.

1. Load IMDb (10,000 words); 15% of the training reviews for validation; official test set.
2. Pad or cut every review to ``maxlen`` ids.
3. Build Embedding(10000, 128) -> Bidirectional(LSTM(64)) -> Dense(1, sigmoid) with Adam.
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpath import keras
from dlpath.recipes import _imdb
from dlpath.recipes.imdb_lstm import Config as LSTMConfig
from dlpath.recipes.imdb_lstm import compile_binary
from dlpath.recipes.registry import register


@dataclass
class Config(LSTMConfig):
    epochs: int = 3


@register
class ImdbBiLSTM(_imdb.ImdbRecipe):
    name = "imdb-bilstm"
    description = "Embedding-Bidirectional(LSTM(64))-Dense(1) on IMDb reviews"
    expected = {"accuracy": 0.85}
    Config = Config

    def build_model(self, config, data):
        # 3. The model.
        model = keras.Sequential([
            keras.Input(shape=(config.maxlen,), dtype="int64"),
            keras.layers.Embedding(config.num_words, config.embedding_dim),
            keras.layers.Bidirectional(keras.layers.LSTM(config.units)),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        return compile_binary(model, config.learning_rate)
