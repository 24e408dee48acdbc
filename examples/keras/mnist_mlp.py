"""MNIST multilayer perceptron with Dropout and an EarlyStopping callback.

The classic Keras 2 ``mnist_mlp.py``: two hidden layers of 512 units with dropout,
RMSprop, categorical cross-entropy on one-hot labels. Keras reaches about 0.98 test
accuracy after 20 epochs.
"""

import os

import numpy as np

import dlpath as tf
from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 20))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
batch_size = 128
num_classes = 10

# 1. Data: flatten the images, scale to [0, 1], one-hot labels.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
print(x_train.shape[0], "train samples")
print(x_test.shape[0], "test samples")
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

# 2. Model.
model = keras.Sequential([
    layers.Dense(512, activation="relu", input_shape=(784,)),
    layers.Dropout(0.2),
    layers.Dense(512, activation="relu"),
    layers.Dropout(0.2),
    layers.Dense(num_classes, activation="softmax"),
])
model.summary()

# 3. Train, stopping when the validation loss stops improving.
model.compile(loss="categorical_crossentropy",
              optimizer=keras.optimizers.RMSprop(),
              metrics=["accuracy"])
early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                               restore_best_weights=True)
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=EPOCHS, verbose=2,
                    validation_split=0.1, callbacks=[early_stopping])
print("epochs run:", len(history.history["loss"]))

# 4. Evaluate.
score = model.evaluate(x_test, y_test, verbose=0)
print("test loss:", score[0])
print(f"test accuracy: {score[1]:.4f}")
