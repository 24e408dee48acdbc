"""Splitting one labelled dataset into training, validation and test parts."""

import numbers

import numpy as np


def train_val_test_split(x, y, val_size=0.15, test_size=0.15, stratify=True, seed=0):
    """Split ``(x, y)`` into ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``.

    The test part is split off first, then the validation part from the rest,
    both with scikit-learn's ``train_test_split``; with ``stratify=True`` each
    class keeps its share of samples in every part.

    Args:
        x: array of samples, first axis is the sample axis.
        y: array of labels, ``len(y) == len(x)``.
        val_size: fraction of all samples for validation, in [0, 1).
        test_size: fraction of all samples for testing, in [0, 1).
        stratify: keep class proportions (``y`` must be class labels).
        seed: seed of the shuffles.

    Returns:
        Three ``(x, y)`` pairs. A part of size 0 is an empty array.

    Raises:
        ValueError: sizes out of range, summing to 1 or more, or x and y of
            different lengths.
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"splits.py: x has {len(x)} samples but y has {len(y)}")
    for name, size in (("val_size", val_size), ("test_size", test_size)):
        if not isinstance(size, numbers.Real) or isinstance(size, bool) or not 0 <= size < 1:
            raise ValueError(f"splits.py: {name} must be a fraction in [0, 1), got {size!r}")
    if val_size + test_size >= 1:
        raise ValueError(
            f"splits.py: val_size + test_size must be < 1 to leave training data, "
            f"got {val_size} + {test_size} = {val_size + test_size}"
        )
    x_rest, y_rest, x_test, y_test = _split(x, y, test_size, stratify, seed)
    # The validation fraction is of all samples, so rescale it to the remainder.
    val_of_rest = val_size / (1 - test_size)
    x_train, y_train, x_val, y_val = _split(x_rest, y_rest, val_of_rest, stratify, seed)
    return (x_train, y_train), (x_val, y_val), (x_test, y_test)


def _split(x, y, fraction, stratify, seed):
    """``x_keep, y_keep, x_part, y_part`` with ``fraction`` of the samples in the part."""
    if fraction == 0:
        return x, y, x[:0], y[:0]
    # scikit-learn is imported here: it is slow to import and only splitting needs it.
    from sklearn.model_selection import train_test_split

    x_keep, x_part, y_keep, y_part = train_test_split(
        x, y, test_size=fraction, random_state=seed, stratify=y if stratify else None
    )
    return x_keep, y_keep, x_part, y_part
