"""mnist-transfer: features learned on digits 0-4 help to learn digits 5-9 from few labels.

1. pre-train a small CNN on every training image of the digits 0-4;
2. keep its convolutional base, frozen (``trainable = False``), and train a new head on a few
   labelled images of the digits 5-9 (``labels_per_class`` of each);
3. unfreeze the base and fine-tune everything with a low learning rate;
4. train the same architecture from scratch on the same few labels, as long;
5. compare both on the test images of the digits 5-9.

The two test accuracies are recorded as the run's extra metrics ``transfer_test_accuracy``
and ``scratch_test_accuracy``; the run's model is the fine-tuned one (its test set is the
digits 5-9, labelled 0-4 = digit - 5). The run's callbacks (metrics, checkpoint) watch the
pre-training epochs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlpath import keras
from dlpath.datasets import mnist
from dlpath.recipes._run_outputs import record_extra
from dlpath.recipes.base import DataSplits, Recipe, RecipeConfig
from dlpath.recipes.registry import register

SOURCE_DIGITS = (0, 1, 2, 3, 4)
TARGET_DIGITS = (5, 6, 7, 8, 9)


@dataclass
class Config(RecipeConfig):
    epochs: int = 1                      # pre-training epochs on the digits 0-4
    batch_size: int = 64
    learning_rate: float = 1e-3          # pre-training, and the from-scratch baseline
    labels_per_class: int = 50           # labelled images of each digit 5-9
    few_shot_batch_size: int = 32
    head_epochs: int = 10                # phase 1: frozen base, new head
    head_learning_rate: float = 1e-3
    finetune_epochs: int = 10            # phase 2: everything trainable
    finetune_learning_rate: float = 1e-4
    validation_size: int = 2000          # held-out images of the digits 0-4
    test_limit: int = 0                  # evaluate on this many 5-9 test images (0: all)


@dataclass
class TransferSplits(DataSplits):
    """`DataSplits` of the pre-training digits plus the few labelled images of the new ones.

    ``train``/``validation``: digits 0-4; ``test``: digits 5-9 (labels digit - 5);
    ``few_shot``: ``labels_per_class`` training images of each digit 5-9.
    """

    few_shot: tuple = ()


def _images(x: np.ndarray) -> np.ndarray:
    return (x.astype("float32") / 255.0)[..., None]  # (N, 28, 28, 1) in [0, 1]


def build_conv_base() -> keras.Sequential:
    """The part that is transferred: two conv blocks, flattened."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),   # (N, 26, 26, 16)
        layers.MaxPooling2D(),                     # (N, 13, 13, 16)
        layers.Conv2D(32, 3, activation="relu"),   # (N, 11, 11, 32)
        layers.MaxPooling2D(),                     # (N, 5, 5, 32)
        layers.Flatten(),                          # (N, 800)
    ], name="conv_base")


def build_classifier(conv_base, classes: int) -> keras.Sequential:
    """``conv_base`` followed by a new dense head."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        conv_base,
        layers.Dense(64, activation="relu"),
        layers.Dense(classes, activation="softmax"),
    ])


def _compile(model, learning_rate: float) -> None:
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])


@register
class MnistTransfer(Recipe):
    name = "mnist-transfer"
    description = "Transfer learning: a CNN pre-trained on digits 0-4, fine-tuned on 5-9"
    dataset = "MNIST"
    expected = {"transfer_test_accuracy": 0.90}
    Config = Config

    def load_data(self, config) -> TransferSplits:
        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        rng = np.random.default_rng(config.seed)
        # Pre-training data: every training image of the digits 0-4, shuffled, with a
        # held-out part for validation.
        source = np.flatnonzero(np.isin(y_train, SOURCE_DIGITS))
        source = rng.permutation(source)
        validation, source = source[:config.validation_size], source[config.validation_size:]
        if config.train_limit:
            source = source[:config.train_limit]
        # The new digits: a few labelled training images of each digit 5-9 ...
        few = np.concatenate([
            rng.choice(np.flatnonzero(y_train == digit), config.labels_per_class,
                       replace=False)
            for digit in TARGET_DIGITS])
        few = rng.permutation(few)
        # ... and every test image of the digits 5-9, labelled digit - 5.
        test = np.flatnonzero(np.isin(y_test, TARGET_DIGITS))
        if config.test_limit:
            test = rng.permutation(test)[:config.test_limit]
        offset = TARGET_DIGITS[0]
        return TransferSplits(
            train=(_images(x_train[source]), y_train[source].astype("int64")),
            validation=(_images(x_train[validation]), y_train[validation].astype("int64")),
            test=(_images(x_test[test]), y_test[test].astype("int64") - offset),
            class_names=[str(d) for d in TARGET_DIGITS],
            few_shot=(_images(x_train[few]), y_train[few].astype("int64") - offset),
        )

    def build_model(self, config, data):
        """The model of the new digits (5-9): a conv base and a 5-way head.

        ``train`` pre-trains the same conv base (the same layer object) under another head
        on the digits 0-4 first; the run's model is the one that ends fine-tuned on 5-9.
        """
        model = build_classifier(build_conv_base(), len(TARGET_DIGITS))
        _compile(model, config.head_learning_rate)
        return model

    def train(self, run, config, data: TransferSplits):
        verbose = run.verbose
        x_few, y_few = data.few_shot
        x_test, y_test = data.test
        few_fit = {"batch_size": config.few_shot_batch_size, "verbose": verbose}

        # 1. Pre-train the conv base on the digits 0-4, under a head of its own (the run's
        # callbacks log these epochs).
        print("[1/5] pre-training on digits 0-4")
        transfer = run.model
        conv_base = transfer.get_layer("conv_base")
        source_model = build_classifier(conv_base, len(SOURCE_DIGITS))
        _compile(source_model, config.learning_rate)
        x, y = data.train
        history = source_model.fit(x, y, batch_size=config.batch_size, epochs=config.epochs,
                                   validation_data=data.validation, callbacks=run.callbacks,
                                   initial_epoch=run.initial_epoch, verbose=verbose)

        # 2. Phase 1: the pre-trained base, frozen, under the new head for the digits 5-9.
        print(f"[2/5] new head on {len(x_few)} labelled images of 5-9, base frozen")
        conv_base.trainable = False
        _compile(transfer, config.head_learning_rate)
        transfer.fit(x_few, y_few, epochs=config.head_epochs, **few_fit)

        # 3. Phase 2: unfreeze the base, fine-tune everything with a low learning rate
        # (compile again so that the optimizer sees the new trainable weights).
        print("[3/5] fine-tuning everything")
        conv_base.trainable = True
        _compile(transfer, config.finetune_learning_rate)
        transfer.fit(x_few, y_few, epochs=config.finetune_epochs, **few_fit)

        # 4. Baseline: the same architecture from scratch on the same labels, as many epochs.
        print("[4/5] the same CNN from scratch on the same labels")
        scratch = build_classifier(build_conv_base(), len(TARGET_DIGITS))
        _compile(scratch, config.learning_rate)
        scratch.fit(x_few, y_few, epochs=config.head_epochs + config.finetune_epochs,
                    **few_fit)

        # 5. Compare on the test images of the digits 5-9.
        results = {}
        for label, model in (("transfer", transfer), ("scratch", scratch)):
            logs = model.evaluate(x_test, y_test, batch_size=256, verbose=0,
                                  return_dict=True)
            results[f"{label}_test_accuracy"] = logs["accuracy"]
        print(f"[5/5] test accuracy on digits 5-9: transfer "
              f"{results['transfer_test_accuracy']:.4f}, from scratch "
              f"{results['scratch_test_accuracy']:.4f}")
        record_extra(run, results)
        return history
