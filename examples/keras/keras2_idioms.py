"""A tf.keras 2.x program in the style of 2017-2019 tutorials.

Idioms that tf.keras 2 still accepts: ``input_dim=``/``input_shape=`` on the first
layer, optimizers built with ``lr=``, ``compile`` with positional arguments in its
(optimizer, loss, metrics) order, ``metrics=["acc"]``, ``model.fit_generator`` /
``evaluate_generator`` / ``predict_generator`` over a Python generator and a
``keras.utils.Sequence``, and ``nb_epoch``-free ``epochs=``. Data: Fashion-MNIST-shaped
MNIST digits as flat vectors.
"""

import os

import numpy as np

from dlpath import keras
from dlpath.keras.layers import Activation, Dense, Dropout
from dlpath.keras.models import Sequential
from dlpath.keras.optimizers import SGD
from dlpath.keras.utils import Sequence

EPOCHS = int(os.environ.get("KERAS_EXAMPLE_EPOCHS", 10))
LIMIT = int(os.environ.get("KERAS_EXAMPLE_LIMIT", 0))
batch_size = 64

# 1. Data.
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
if LIMIT:
    x_train, y_train = x_train[:LIMIT], y_train[:LIMIT]
    x_test, y_test = x_test[:LIMIT], y_test[:LIMIT]
x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255
x_test = x_test.reshape(len(x_test), 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)


def batch_generator(x, y, batch_size):
    """An endless generator of shuffled batches, as the tutorials wrote them."""
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            index = order[start:start + batch_size]
            yield x[index], y[index]


class TestBatches(Sequence):
    """The test set as a Sequence: len() batches, indexable."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / float(self.batch_size)))

    def __getitem__(self, idx):
        window = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.x[window], self.y[window]


# 2. Model, Keras 2 style.
model = Sequential()
model.add(Dense(256, input_dim=784))
model.add(Activation("relu"))
model.add(Dropout(0.3))
model.add(Dense(128, input_shape=(256,)))
model.add(Activation("relu"))
model.add(Dense(10))
model.add(Activation("softmax"))
sgd = SGD(lr=0.05, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(sgd, "categorical_crossentropy", ["acc"])

# 3. The *_generator methods.
model.fit_generator(batch_generator(x_train, y_train, batch_size),
                    steps_per_epoch=len(x_train) // batch_size, epochs=EPOCHS, verbose=2)
test_batches = TestBatches(x_test, y_test, batch_size)
probabilities = model.predict_generator(test_batches)
print("predictions:", probabilities.shape)
loss, accuracy = model.evaluate_generator(test_batches)
print("agrees with predict:", np.isclose(accuracy, np.mean(
    probabilities.argmax(axis=1) == y_test.argmax(axis=1)), atol=1e-3))
print(f"test accuracy: {accuracy:.4f}")
