"""``normalize``: scale vectors to unit :math:`L_p` norm along an axis (tf.keras 2)."""

from __future__ import annotations

import numpy as np


def normalize(x, axis=-1, order=2):
    r"""``x`` divided by its ``order``-norm along ``axis``:
    :math:`x / \max(\lVert x \rVert_p, \epsilon)` with zero norms left as zeros.

    Args:
        x: an array-like of numbers.
        axis: the axis along which to normalize.
        order: the norm's order (2 for L2), as ``np.linalg.norm``'s ``ord``.
    """
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.number):
        raise TypeError(f"normalize: x must hold numbers, got dtype {array.dtype}")
    if array.ndim == 0:
        raise ValueError("normalize: x must have at least one dimension, got a scalar")
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(f"normalize: axis {axis} is out of range for an array of "
                         f"{array.ndim} dimension(s)")
    norms = np.atleast_1d(np.linalg.norm(array, order, axis))
    norms[norms == 0] = 1
    return array / np.expand_dims(norms, axis)
