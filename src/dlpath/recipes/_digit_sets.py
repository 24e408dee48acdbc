"""The MNIST digits that composed inputs (lines to read, scenes to search) are made of.

Training and validation digits split the official training set, the test digits are the
official test set, so that no test input holds a digit the model saw while training.
"""

from __future__ import annotations

import numpy as np

from dlpath.datasets import mnist

VALIDATION_DIGITS = 6000  # official training digits kept for the validation inputs


def digit_sets(seed: int, indices: bool = False) -> list:
    """The digits of the training, validation and test inputs: ``[(images, labels)] * 3``.

    ``VALIDATION_DIGITS`` of the official training digits, drawn with ``seed``, are kept
    for validation. With ``indices``: the index arrays into the official sets instead.
    """
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    order = np.random.default_rng(seed).permutation(len(x_train))
    held, kept = order[:VALIDATION_DIGITS], order[VALIDATION_DIGITS:]
    if indices:
        return [kept, held, np.arange(len(x_test))]
    return [(x_train[kept], y_train[kept]), (x_train[held], y_train[held]), (x_test, y_test)]
