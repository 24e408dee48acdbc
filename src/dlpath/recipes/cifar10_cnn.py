"""cifar10-cnn: the TensorFlow tutorial's three-convolution model on CIFAR-10.

1. Load CIFAR-10; hold out 15% of the official training set for validation; keep the
   official test set.
2. Scale the pixels to [0, 1]: (N, 32, 32, 3).
3. Build Conv2D(32)-Pool-Conv2D(64)-Pool-Conv2D(64)-Flatten-Dense(64)-Dropout(0.5)-Dense(10).
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.datasets import cifar10
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe, RecipeConfig
from dlpath.recipes.registry import register

CLASS_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
               "ship", "truck"]


@dataclass
class Config(RecipeConfig):
    epochs: int = 15
    batch_size: int = 64
    learning_rate: float = 1e-3
    dropout: float = 0.5


def load_cifar10(recipe, config):
    """CIFAR-10 with labels (N, 1) flattened to (N,), split and preprocessed."""
    (x, y), (x_test, y_test) = cifar10.load_data()
    return _splits.from_official_split(recipe, config, (x, np.ravel(y)),
                                       (x_test, np.ravel(y_test)), CLASS_NAMES, "image")


@register
class Cifar10CNN(Recipe):
    name = "cifar10-cnn"
    description = "3 Conv2D + Dense(64) + Dropout(0.5) on CIFAR-10"
    dataset = "CIFAR-10"
    expected = {"accuracy": 0.68}
    Config = Config
    image_shape = (32, 32, 3)
    pixel_max = 255.0

    def load_data(self, config):
        # 1-2. Official train/test, validation carved from train, pixels scaled.
        return load_cifar10(self, config)

    def preprocess(self, config, samples):
        return _splits.scale_images(samples, self.pixel_max, channels=3)  # (N, 32, 32, 3)

    def build_model(self, config, data):
        # 3. The convnet.
        model = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            keras.layers.Conv2D(32, (3, 3), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Conv2D(64, (3, 3), activation="relu"),
            keras.layers.MaxPooling2D((2, 2)),
            keras.layers.Conv2D(64, (3, 3), activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(config.dropout),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model
