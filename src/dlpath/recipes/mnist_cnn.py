"""mnist-cnn: the Keras convnet example on MNIST.

1. Load MNIST; hold out 15% of the official training set for validation; keep the official
   test set.
2. Scale the pixels to [0, 1] and add the channel axis: (N, 28, 28, 1).
3. Build Conv2D(32) -> MaxPool -> Conv2D(64) -> MaxPool -> Flatten -> Dense(10, softmax).
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
    batch_size: int = 64
    learning_rate: float = 1e-3


def convnet(input_shape: tuple, learning_rate: float):
    """Conv2D(32)-MaxPool-Conv2D(64)-MaxPool-Flatten-Dense(10), compiled with Adam."""
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        keras.layers.Conv2D(32, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(64, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@register
class MnistCNN(Recipe):
    name = "mnist-cnn"
    description = "Conv2D(32)-Pool-Conv2D(64)-Pool-Dense(10) on MNIST"
    dataset = "MNIST"
    expected = {"accuracy": 0.985}
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
        return _splits.scale_images(samples, self.pixel_max, channels=1)  # (N, 28, 28, 1)

    def build_model(self, config, data):
        # 3. The convnet.
        return convnet((28, 28, 1), config.learning_rate)
