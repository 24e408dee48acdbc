"""digits-mlp: a multilayer perceptron on scikit-learn's 8x8 digits (offline, about a minute).

1. Load the 1,797 bundled digits and split them 70/15/15 (stratified, seeded).
2. Scale the pixels (0..16) to [0, 1].
3. Build Flatten -> Dense(64, relu) -> Dense(10, softmax) with Adam.
4. ``dlpath train`` fits it, checkpoints every epoch, evaluates on the test split and
   writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.datasets import digits, train_val_test_split
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe, RecipeConfig
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 15
    batch_size: int = 32
    learning_rate: float = 3e-3
    hidden_units: int = 64


@register
class DigitsMLP(Recipe):
    name = "digits-mlp"
    description = "MLP on the bundled 8x8 digits; offline"
    dataset = "digits (scikit-learn)"
    expected = {"accuracy": 0.95}
    Config = Config
    image_shape = (8, 8)
    pixel_max = 16.0

    def load_data(self, config):
        # 1. All 1,797 images, then a stratified 70/15/15 split with the config's seed.
        (x_a, y_a), (x_b, y_b) = digits.load_data(seed=config.seed)
        x, y = np.concatenate([x_a, x_b]), np.concatenate([y_a, y_b])
        train, validation, test = train_val_test_split(x, y, val_size=0.15, test_size=0.15,
                                                       seed=config.seed)
        # 2. Limits and scaling (see preprocess).
        return _splits.prepared(self, config, train, validation, test,
                                [str(i) for i in range(10)], "image")

    def preprocess(self, config, samples):
        return _splits.scale_images(samples, self.pixel_max, channels=None)  # (N, 8, 8)

    def build_model(self, config, data):
        # 3. The model and its optimizer.
        model = keras.Sequential([
            keras.Input(shape=(8, 8)),
            keras.layers.Flatten(),
            keras.layers.Dense(config.hidden_units, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model
