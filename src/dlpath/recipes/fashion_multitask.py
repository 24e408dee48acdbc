"""fashion-multitask: one shared conv trunk, two heads, trained jointly.

A functional model reads a 28x28 image once and answers two questions:

- ``class``: which of the 10 Fashion-MNIST classes (10-way softmax);
- ``group``: which coarse group (tops / bottoms / footwear / bags, 4-way softmax).

Both losses are added with ``loss_weights`` and minimized together; each head is reported
on its own (``class_accuracy`` and ``group_accuracy`` on the test set, in the run's extra
metrics). ``mnist-multitask`` is the same recipe on MNIST, with digit (10-way) and parity
(even/odd) heads: it runs on the MNIST files when Fashion-MNIST's are not at hand. The
``dataset`` setting picks the data set for either name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlpath import keras
from dlpath.datasets import fashion_mnist, mnist, train_val_test_split
from dlpath.recipes._run_outputs import record_extra
from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import register

FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                   "Sneaker", "Bag", "Ankle boot"]
# The coarse group of each Fashion-MNIST class (a dress is worn from the shoulders, so it
# counts as a top).
FASHION_GROUPS = ["tops", "bottoms", "footwear", "bags"]
FASHION_GROUP_OF_CLASS = np.array([0, 1, 0, 0, 0, 2, 0, 2, 3, 2])

MNIST_CLASSES = [str(d) for d in range(10)]
MNIST_GROUPS = ["even", "odd"]
MNIST_GROUP_OF_CLASS = np.arange(10) % 2

# For each data set: loader, class names, group names, group of each class.
DATASETS = {
    "fashion_mnist": (fashion_mnist, FASHION_CLASSES, FASHION_GROUPS, FASHION_GROUP_OF_CLASS),
    "mnist": (mnist, MNIST_CLASSES, MNIST_GROUPS, MNIST_GROUP_OF_CLASS),
}


@dataclass
class Config(RecipeConfig):
    epochs: int = 5
    batch_size: int = 64
    dataset: str = "fashion_mnist"       # or "mnist" (digit + parity)
    class_loss_weight: float = 1.0
    group_loss_weight: float = 0.5
    filters: int = 32
    units: int = 128
    dropout: float = 0.25
    test_limit: int = 0                  # evaluate on this many test images (0: all)


@dataclass
class MultitaskSplits(DataSplits):
    """`DataSplits` whose labels are ``{"class": ..., "group": ...}`` dicts."""

    group_names: list = field(default_factory=list)


def _targets(y: np.ndarray, group_of_class: np.ndarray) -> dict:
    y = y.astype("int64")
    return {"class": y, "group": group_of_class[y].astype("int64")}


@register
class FashionMultitask(Recipe):
    name = "fashion-multitask"
    description = "Two-head CNN: Fashion-MNIST class and coarse group from one trunk"
    dataset = "Fashion-MNIST"
    expected = {"class_accuracy": 0.89, "group_accuracy": 0.97}
    Config = Config

    tuning_monitor = "val_class_accuracy"  # what `dlpath tune` maximizes

    def search_space(self, trial) -> dict:
        """`dlpath tune`'s search space: optimizer, trunk width, dropout, the loss weight."""
        return {
            "learning_rate": trial.suggest_float("learning_rate", 1e-4, 1e-2, log=True),
            "batch_size": trial.suggest_categorical("batch_size", [32, 64, 128]),
            "units": trial.suggest_categorical("units", [64, 128, 256]),
            "dropout": trial.suggest_float("dropout", 0.0, 0.5),
            "group_loss_weight": trial.suggest_float("group_loss_weight", 0.1, 1.0),
        }

    def load_data(self, config) -> MultitaskSplits:
        if config.dataset not in DATASETS:
            raise ValueError(f"recipe '{self.name}': dataset must be one of "
                             f"{', '.join(DATASETS)}, got '{config.dataset}'")
        # 1. The images, scaled to [0, 1], with a channel axis; 10% of training for validation.
        loader, class_names, group_names, group_of_class = DATASETS[config.dataset]
        (x_train, y_train), (x_test, y_test) = loader.load_data()
        x_train = (x_train.astype("float32") / 255.0)[..., None]   # (N, 28, 28, 1)
        x_test = (x_test.astype("float32") / 255.0)[..., None]
        train, validation, _ = train_val_test_split(x_train, y_train, val_size=0.1,
                                                    test_size=0.0, seed=config.seed)
        if config.train_limit:
            train = (train[0][:config.train_limit], train[1][:config.train_limit])
            validation = (validation[0][:config.train_limit],
                          validation[1][:config.train_limit])
        if config.test_limit:
            x_test, y_test = x_test[:config.test_limit], y_test[:config.test_limit]
        # 2. Two targets per image: its class and its class's group.
        return MultitaskSplits(
            train=(train[0], _targets(train[1], group_of_class)),
            validation=(validation[0], _targets(validation[1], group_of_class)),
            test=(x_test, _targets(y_test, group_of_class)),
            class_names=list(class_names), kind="image", group_names=list(group_names))

    def build_model(self, config, data):
        layers = keras.layers
        group_count = len(DATASETS[config.dataset][2])
        # 3. The shared trunk: two conv blocks and a dense layer.
        inputs = keras.Input((28, 28, 1), name="image")
        x = layers.Conv2D(config.filters, 3, activation="relu")(inputs)       # (N, 26, 26, F)
        x = layers.MaxPooling2D()(x)                                          # (N, 13, 13, F)
        x = layers.Conv2D(2 * config.filters, 3, activation="relu")(x)        # (N, 11, 11, 2F)
        x = layers.MaxPooling2D()(x)                                          # (N, 5, 5, 2F)
        x = layers.Flatten()(x)
        x = layers.Dense(config.units, activation="relu")(x)
        x = layers.Dropout(config.dropout)(x)
        # 4. Two heads, named like the targets.
        class_output = layers.Dense(10, activation="softmax", name="class")(x)
        group_output = layers.Dense(group_count, activation="softmax", name="group")(x)
        model = keras.Model(inputs, [class_output, group_output], name="multitask")
        # 5. One loss per head, added with loss_weights; accuracy for each head.
        model.compile(
            optimizer=keras.optimizers.Adam(config.learning_rate),
            loss={"class": "sparse_categorical_crossentropy",
                  "group": "sparse_categorical_crossentropy"},
            loss_weights={"class": config.class_loss_weight,
                          "group": config.group_loss_weight},
            metrics={"class": ["accuracy"], "group": ["accuracy"]})
        return model

    def train(self, run, config, data):
        # 6. Train both heads together with fit, then score each head on the test set.
        history = super().train(run, config, data)
        x_test, y_test = data.test
        logs = run.model.evaluate(x_test, y_test, batch_size=256, verbose=0,
                                  return_dict=True)
        results = {"class_accuracy": logs["class_accuracy"],
                   "group_accuracy": logs["group_accuracy"]}
        print(f"test accuracy: class {results['class_accuracy']:.4f}, "
              f"group {results['group_accuracy']:.4f}")
        record_extra(run, results)
        return history


@register
class MnistMultitask(FashionMultitask):
    name = "mnist-multitask"
    description = "Two-head CNN: MNIST digit and parity from one trunk"
    dataset = "MNIST"
    expected = {"class_accuracy": 0.98, "group_accuracy": 0.98}

    def make_config(self, overrides=None):
        overrides = dict(overrides or {})
        overrides.setdefault("dataset", "mnist")
        return super().make_config(overrides)
