"""Simple MNIST convnet (the keras.io example of that name).

Two Conv2D/MaxPooling2D blocks, Flatten, Dropout and a softmax classifier; channels are
added with ``np.expand_dims``. Keras reports about 0.99 test accuracy after 15 epochs.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras import layers

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 15))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
num_classes = 10
input_shape = (28, 28, 1)

# 1. Data: scale images to the [0, 1] range and give them a channel axis.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
print("x_train shape:", x_train.shape)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

# 2. Model.
model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()

# 3. Train.
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=EPOCHS, validation_split=0.1, verbose=2)

# 4. Evaluate.
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print(f"test accuracy: {score[1]:.4f}")
