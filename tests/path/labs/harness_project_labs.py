"""Helpers for testing the project labs: run a lab's checks on a saved model, in this
process (the worker's code, without the subprocess), and make small models quickly."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

import dlpath
from dlpath import keras
from dlpath.path.labs import worker


def run_model(lab_id: str, path: Path, seed: int = 0) -> dict:
    """The worker's result for the model (file or folder) at ``path``."""
    with np.errstate(all="ignore"):
        return worker.run(lab_id, str(path), seed)


def failure_message(result: dict, lang: str = "en") -> str:
    for check in result["checks"]:
        if not check["passed"]:
            return check["message"][lang]
    return ""


def assert_model_rejected(lab_id: str, path: Path, *expected_words: str, seed: int = 0) -> str:
    """The checks fail the model at ``path`` with an English message holding every one of
    ``expected_words`` (case-insensitive) and a non-empty Chinese one; returns the message."""
    result = run_model(lab_id, path, seed)
    assert not result["passed"], f"{lab_id}: {path} passed"
    message = failure_message(result)
    for word in expected_words:
        assert word.lower() in message.lower(), f"{lab_id}: {word!r} not in {message!r}"
    assert failure_message(result, "zh").strip()
    return message


def save(model, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(path))
    return path


def not_a_model(folder: Path, name: str = "model.keras") -> Path:
    """A file with a model's name that holds text, not a saved model."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("these are my notes, not a model\n", encoding="utf-8")
    return path


@functools.lru_cache(maxsize=1)
def mnist() -> tuple:
    """MNIST scaled to [0, 1] float32: ((x_train, y_train), (x_test, y_test)), x (N, 28, 28)."""
    from dlpath.datasets import mnist as mnist_set

    (x, y), (x_test, y_test) = mnist_set.load_data()
    return ((x.astype(np.float32) / 255.0, y.astype(np.int64)),
            (x_test.astype(np.float32) / 255.0, y_test.astype(np.int64)))


def mlp(input_shape=(28, 28), outputs: int = 10, seed: int = 0, hidden: int = 128):
    dlpath.random.set_seed(seed)
    model = keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                              keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(outputs, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def small_cnn(input_shape=(28, 28, 1), outputs: int = 10, seed: int = 0):
    dlpath.random.set_seed(seed)
    layers = keras.layers
    model = keras.Sequential([keras.Input(input_shape),
                              layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
                              layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                              layers.Flatten(), layers.Dense(outputs, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def accuracy_of(model, x, y) -> float:
    return float(np.mean(np.argmax(model.predict(x, batch_size=250, verbose=0), axis=1) == y))
