"""Standard tf.keras listings run on dlpath with only the imports changed.

Short versions for CI: the full listings (all epochs, full data) are in examples/ and
benchmarks/keras_listings.py prints their accuracy and wall time.
"""

import warnings

import numpy as np
import pytest

import dlpath as tf
from dlpath.keras import datasets, layers, models
from dlpath.keras.preprocessing.sequence import pad_sequences
from dlpath.random import set_seed

warnings.filterwarnings("ignore", category=UserWarning)


@pytest.fixture(scope="module")
def mnist():
    return datasets.mnist.load_data()


def mlp():
    model = tf.keras.models.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_mnist_mlp_on_raw_pixels_learns(mnist):
    """Raw 0-255 pixels: the fused softmax cross-entropy keeps the gradients alive."""
    set_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist
    model = mlp()
    history = model.fit(x_train[:9600], y_train[:9600], epochs=1, verbose=0)
    assert list(history.history) == ["loss", "accuracy"]
    _, accuracy = model.evaluate(x_test[:2000], y_test[:2000], verbose=0)
    assert accuracy >= 0.80


def test_mnist_mlp_on_scaled_pixels_learns(mnist):
    set_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist
    model = mlp()
    model.fit(x_train[:9600] / 255.0, y_train[:9600], epochs=1, verbose=0)
    _, accuracy = model.evaluate(x_test[:2000] / 255.0, y_test[:2000], verbose=0)
    assert accuracy >= 0.85


def test_mnist_cnn_listing_learns(mnist):
    set_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist
    x_train = x_train[:6400].reshape((6400, 28, 28, 1)) / 255.0
    x_test = x_test[:2000].reshape((2000, 28, 28, 1)) / 255.0
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Flatten())
    model.add(layers.Dense(10, activation="softmax"))
    assert model.count_params() == 34_826
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train[:6400], epochs=1, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test[:2000], verbose=0)
    assert accuracy >= 0.90


def test_cifar10_cnn_listing_learns():
    set_seed(0)
    (train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
    assert train_labels.shape == (50000, 1) and train_labels.dtype == np.uint8
    train_images, test_images = train_images[:12800] / 255.0, test_images[:2000] / 255.0
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dropout(0.5))
    model.add(layers.Dense(10))
    assert model.count_params() == 122_570
    model.compile(optimizer=tf.keras.optimizers.Adam(lr=0.001),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train_images, train_labels[:12800], epochs=1, batch_size=64,
                        validation_data=(test_images, test_labels[:2000]), verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["val_accuracy"][-1] >= 0.30


def test_imdb_lstm_listing_learns():
    set_seed(0)
    max_features, maxlen = 10000, 200
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data(num_words=max_features)
    x_train = pad_sequences(x_train[:3200], maxlen=maxlen)
    x_test = pad_sequences(x_test[:1000], maxlen=maxlen)
    model = models.Sequential()
    model.add(layers.Embedding(max_features, 128, input_length=maxlen))
    model.add(layers.LSTM(64))
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train[:3200], epochs=2, batch_size=64, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test[:1000], verbose=0)
    assert accuracy >= 0.70
