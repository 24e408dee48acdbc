"""CIFAR-10 with ``keras.applications.MobileNetV2`` trained from scratch
(``weights=None``).

The application is built for 32x32 inputs with 10 classes (``alpha=0.35`` keeps it
small); inputs go through ``mobilenet_v2.preprocess_input`` (scaling to [-1, 1]); the
model is trained with Adam and sparse categorical cross-entropy like any other model.
"""

import os

from dlpath import keras
from dlpath.keras.applications import MobileNetV2
from dlpath.keras.applications.mobilenet_v2 import preprocess_input

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 20))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))

# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = preprocess_input(x_train.astype("float32"))
x_test = preprocess_input(x_test.astype("float32"))

# 2. The application, untrained, with a 10-class head.
model = MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=10)
print(model.name, "params:", model.count_params())

# 3. Train and evaluate.
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=EPOCHS, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {accuracy:.4f}")
