"""fashion-mnist-cnn: the MNIST convnet on Fashion-MNIST's clothing images.

1. Load Fashion-MNIST; hold out 15% of the official training set for validation; keep the
   official test set.
2. Scale the pixels to [0, 1] and add the channel axis: (N, 28, 28, 1).
3. Build the mnist-cnn convnet (Conv2D(32)-Pool-Conv2D(64)-Pool-Dense(10)).
4. ``dlpath train`` fits, checkpoints, evaluates and writes the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from dlpath.datasets import fashion_mnist
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe, RecipeConfig
from dlpath.recipes.mnist_cnn import convnet
from dlpath.recipes.registry import register

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]


@dataclass
class Config(RecipeConfig):
    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 1e-3


@register
class FashionMnistCNN(Recipe):
    name = "fashion-mnist-cnn"
    description = "The MNIST convnet on Fashion-MNIST"
    dataset = "Fashion-MNIST"
    expected = {"accuracy": 0.90}
    Config = Config
    image_shape = (28, 28)
    pixel_max = 255.0

    def load_data(self, config):
        # 1. Official train/test; validation carved from train.
        train, test = fashion_mnist.load_data()
        # 2. Limits and scaling (see preprocess).
        return _splits.from_official_split(self, config, train, test, CLASS_NAMES, "image")

    def preprocess(self, config, samples):
        return _splits.scale_images(samples, self.pixel_max, channels=1)  # (N, 28, 28, 1)

    def build_model(self, config, data):
        # 3. The convnet.
        return convnet((28, 28, 1), config.learning_rate)
