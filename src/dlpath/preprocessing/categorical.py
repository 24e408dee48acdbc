"""One-hot encoding of class labels, as ``tf.keras.utils.to_categorical``."""

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Convert integer class labels to a one-hot matrix.

    The class axis is added last. Labels of shape ``(n, 1)`` (like CIFAR-10's)
    give ``(n, num_classes)``, not ``(n, 1, num_classes)``: a trailing axis of
    size 1 is dropped first, as Keras does.

    >>> to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)

    Args:
        y: array-like of integer labels in ``0 .. num_classes - 1`` (floats
            are truncated to integers, as ``np.array(y, dtype=int)`` does).
        num_classes: number of classes; None for ``max(y) + 1``.
        dtype: dtype of the result.

    Returns:
        An array of shape ``y.shape + (num_classes,)`` (trailing 1 dropped).

    Raises:
        ValueError: empty ``y`` without ``num_classes``, or a label outside
            ``0 .. num_classes - 1``.
    """
    y = np.array(y, dtype="int")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    y = y.reshape(-1)
    if not num_classes:
        if y.size == 0:
            raise ValueError("to_categorical: `y` is empty; pass `num_classes`.")
        num_classes = int(np.max(y)) + 1
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must be in 0..{num_classes - 1}, "
            f"got values from {y.min()} to {y.max()}"
        )
    count = y.shape[0]
    categorical = np.zeros((count, num_classes), dtype=dtype)
    categorical[np.arange(count), y] = 1
    return np.reshape(categorical, input_shape + (num_classes,))
