"""Customizing what happens in ``fit()`` (the keras.io guide of that name).

A ``keras.Model`` subclass overrides ``train_step`` with its own GradientTape step and
``test_step`` with its own evaluation, tracking the loss in a ``keras.metrics.Mean`` and
the accuracy in a ``SparseCategoricalAccuracy``, listed in ``metrics`` so ``fit`` resets
them each epoch. ``fit`` keeps everything else: batching, callbacks, validation, History.
"""

import os

import numpy as np

import dlpath as tf
from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 5))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))

loss_fn = keras.losses.SparseCategoricalCrossentropy()


class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.acc_metric = keras.metrics.SparseCategoricalAccuracy(name="accuracy")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # forward pass
            loss = loss_fn(y, y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.acc_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "accuracy": self.acc_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(loss_fn(y, y_pred))
        self.acc_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        # Listed here, the metrics are reset at the start of each epoch and evaluation.
        return [self.loss_tracker, self.acc_metric]


# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255

# 2. A functional graph wrapped in the custom model class.
inputs = keras.Input(shape=(784,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(10, activation="softmax")(x)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam")  # no loss here: train_step computes it

# 3. Train and evaluate with the usual fit/evaluate.
history = model.fit(x_train, y_train, epochs=EPOCHS, batch_size=64, validation_split=0.1,
                    verbose=2)
print(sorted(history.history))
results = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
print(f"test accuracy: {results['accuracy']:.4f}")
