"""cifar10-resnet: a small residual network with batch normalization and data augmentation.

1. Load CIFAR-10; hold out 15% of the official training set for validation; keep the
   official test set. Pixels scaled to [0, 1].
2. Augment each training batch in NumPy: pad by 4 pixels, crop a random 32x32 window and
   flip half of the images left-right (the ResNet paper's CIFAR recipe). The random numbers
   come from dlpath's generator, so a seeded run (and its resume) is reproducible.
3. Build a ResNet: Conv-BN-ReLU stem, three stages of basic blocks (16, 32, 64 filters;
   stride 2 between stages, 1x1 projections), global average pooling, Dense(10, softmax).
4. Train with SGD + momentum and a step-free cosine schedule. A full run (about 30 epochs)
   takes hours on a CPU; ``--set train_limit=... --epochs 1`` checks that it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.random import generator
from dlpath.recipes import _splits
from dlpath.recipes.base import Recipe, RecipeConfig
from dlpath.recipes.cifar10_cnn import load_cifar10
from dlpath.recipes.registry import register


@dataclass
class Config(RecipeConfig):
    epochs: int = 30
    batch_size: int = 128
    learning_rate: float = 0.1
    momentum: float = 0.9
    blocks_per_stage: int = 2
    padding: int = 4
    augment: bool = True


class AugmentedBatches:
    """Shuffled, randomly cropped and flipped batches of ``(x, y)``; one pass per epoch."""

    def __init__(self, x, y, batch_size: int, padding: int):
        self.x, self.y, self.batch_size, self.padding = x, y, batch_size, padding

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def __iter__(self):
        rng = generator()
        order = rng.permutation(len(self.x))
        for begin in range(0, len(order), self.batch_size):
            rows = order[begin:begin + self.batch_size]
            yield augment(self.x[rows], rng, self.padding), self.y[rows]


def augment(images: np.ndarray, rng, padding: int) -> np.ndarray:
    """Random ``padding``-pixel shifts (zero padding, then a crop) and horizontal flips."""
    n, height, width, _ = images.shape
    p = padding
    padded = np.pad(images, ((0, 0), (p, p), (p, p), (0, 0)))  # (N, H+2p, W+2p, C)
    tops = rng.integers(0, 2 * p + 1, size=n)
    lefts = rng.integers(0, 2 * p + 1, size=n)
    flips = rng.random(n) < 0.5
    out = np.empty_like(images)
    for i in range(n):
        crop = padded[i, tops[i]:tops[i] + height, lefts[i]:lefts[i] + width]
        out[i] = crop[:, ::-1] if flips[i] else crop
    return out


def residual_block(x, filters: int, stride: int):
    """conv-BN-ReLU-conv-BN plus the shortcut (a 1x1 projection when the shape changes)."""
    shortcut = x
    y = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = keras.layers.BatchNormalization()(y)
    y = keras.layers.Activation("relu")(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = keras.layers.BatchNormalization()(y)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = keras.layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
        shortcut = keras.layers.BatchNormalization()(shortcut)
    return keras.layers.Activation("relu")(keras.layers.Add()([y, shortcut]))


@register
class Cifar10ResNet(Recipe):
    name = "cifar10-resnet"
    description = "Small ResNet + BatchNorm + crop/flip augmentation on CIFAR-10"
    dataset = "CIFAR-10"
    expected = {"accuracy": 0.85}
    Config = Config
    image_shape = (32, 32, 3)
    pixel_max = 255.0

    def load_data(self, config):
        # 1. Official train/test, validation carved from train, pixels scaled.
        return load_cifar10(self, config)

    def preprocess(self, config, samples):
        return _splits.scale_images(samples, self.pixel_max, channels=3)  # (N, 32, 32, 3)

    def build_model(self, config, data):
        # 3. The ResNet.
        inputs = keras.Input(shape=(32, 32, 3))
        x = keras.layers.Conv2D(16, 3, padding="same", use_bias=False)(inputs)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.Activation("relu")(x)
        for stage, filters in enumerate((16, 32, 64)):
            for block in range(config.blocks_per_stage):
                stride = 2 if stage > 0 and block == 0 else 1
                x = residual_block(x, filters, stride)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        steps = -(-len(data.train[0]) // config.batch_size) * config.epochs
        schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, steps)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule,
                                                     momentum=config.momentum),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def train(self, run, config, data):
        # 2 and 4. Fit on freshly augmented batches each epoch.
        if not config.augment:
            return super().train(run, config, data)
        x, y = data.train
        batches = AugmentedBatches(x, y, config.batch_size, config.padding)
        return run.model.fit(batches, epochs=config.epochs, validation_data=data.validation,
                             callbacks=run.callbacks, initial_epoch=run.initial_epoch,
                             verbose=run.verbose)
