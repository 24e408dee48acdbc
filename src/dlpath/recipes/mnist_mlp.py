"""mnist-mlp: the classic first Keras model, a multilayer perceptron on MNIST.

1. Load MNIST (``DLPATH_DATA`` or the download cache); hold out 15% of the official
   training set for validation; keep the official 10,000 test images as the test set.
2. Scale the pixels (0..255) to [0, 1].
3. Build Flatten -> Dense(128, relu) -> Dense(10, softmax) with Adam.
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpath import keras
from dlpath.datasets import mnist
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe, RecipeConfig
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 5
    batch_size: int = 32
    learning_rate: float = 1e-3
    hidden_units: int = 128


@register
class MnistMLP(Recipe):
    name = "mnist-mlp"
    description = "Flatten-Dense(128)-Dense(10) on MNIST"
    dataset = "MNIST"
    expected = {"accuracy": 0.97}
    Config = Config
    image_shape = (28, 28)
    pixel_max = 255.0

    def load_data(self, config):
        # 1. Official train/test; validation carved from train.
        train, test = mnist.load_data()
        # 2. Limits and scaling (see preprocess).
        return _splits.from_official_split(self, config, train, test,
                                           [str(i) for i in range(10)], "image")

    def preprocess(self, config, samples):
        return _splits.scale_images(samples, self.pixel_max, channels=None)  # (N, 28, 28)

    def build_model(self, config, data):
        # 3. The model and its optimizer.
        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(config.hidden_units, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model
