"""The one place the family modules turn their inputs into a matching pair of Tensors."""

from __future__ import annotations

from dlpath.engine.losses import _check_same_shape
from dlpath.losses import _aligned


def aligned_pair(name: str, y_true, y_pred):
    """(y_true, y_pred) as Tensors of y_pred's float dtype and of one shape.

    Ranks that differ by a trailing axis of size 1 are aligned as Keras does; any other
    mismatch is a ValueError naming the loss and both shapes (never a silent broadcast).
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    _check_same_shape(name, y_true, y_pred)
    return y_true, y_pred
