"""Rebuild the model files that labs ship with (``src/dlpath/path/labs/assets/``).

``mnist-classifier.keras``: the small MNIST convnet that the project-gan lab uses to label the
images a learner's generator draws. It is trained here with dlpath on the official MNIST
training set and checked on the official test set::

    DLPATH_DATA=../shared/data .venv/bin/python tests/path/labs/build_lab_assets.py

Input (N, 28, 28, 1) float32 in [0, 1]; output (N, 10) softmax probabilities.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import dlpath
from dlpath import keras
from dlpath.datasets import mnist

ASSETS = Path(__file__).resolve().parents[3] / "src" / "dlpath" / "path" / "labs" / "assets"
CLASSIFIER = ASSETS / "mnist-classifier.keras"
SEED = 0
EPOCHS = 4
MIN_TEST_ACCURACY = 0.985
MAX_BYTES = 1 << 20


def build_classifier() -> keras.Sequential:
    """Conv2D(16)-Pool-Conv2D(32)-Pool-Flatten-Dropout-Dense(10): about 13,000 weights."""
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),   # (N, 26, 26, 16)
        layers.MaxPooling2D(),                     # (N, 13, 13, 16)
        layers.Conv2D(32, 3, activation="relu"),   # (N, 11, 11, 32)
        layers.MaxPooling2D(),                     # (N, 5, 5, 32)
        layers.Flatten(),                          # (N, 800)
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ], name="mnist_classifier")
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> int:
    dlpath.random.set_seed(SEED)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = (x_train.astype("float32") / 255.0)[..., None]
    x_test = (x_test.astype("float32") / 255.0)[..., None]
    model = build_classifier()
    model.fit(x_train, y_train, batch_size=64, epochs=EPOCHS, verbose=2)
    probabilities = model.predict(x_test, batch_size=500, verbose=0)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
    confident = float(np.mean(probabilities.max(axis=1) >= 0.9))
    print(f"test accuracy {accuracy:.4f}; test images labelled with p >= 0.9: {confident:.4f}")
    if accuracy < MIN_TEST_ACCURACY:
        print(f"below {MIN_TEST_ACCURACY}: not saved")
        return 1
    ASSETS.mkdir(parents=True, exist_ok=True)
    model.save(CLASSIFIER, include_optimizer=False)
    size = CLASSIFIER.stat().st_size
    print(f"saved {CLASSIFIER} ({size} bytes)")
    return 0 if size < MAX_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
