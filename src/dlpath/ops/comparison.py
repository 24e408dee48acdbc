"""Comparisons and logic: element-wise, broadcast, boolean Tensors with no gradient."""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.ops._convert import values


def _compare(fn, name, x, y) -> Tensor:
    a, b = values(x), values(y)
    try:
        return Tensor(fn(a, b))
    except ValueError:
        raise ValueError(f"{name}: shapes {a.shape} and {b.shape} cannot be broadcast "
                         f"together") from None


def equal(x, y):
    return _compare(np.equal, "equal", x, y)


def not_equal(x, y):
    return _compare(np.not_equal, "not_equal", x, y)


def greater(x, y):
    return _compare(np.greater, "greater", x, y)


def greater_equal(x, y):
    return _compare(np.greater_equal, "greater_equal", x, y)


def less(x, y):
    return _compare(np.less, "less", x, y)


def less_equal(x, y):
    return _compare(np.less_equal, "less_equal", x, y)


def logical_and(x, y):
    return _compare(np.logical_and, "logical_and", x, y)


def logical_or(x, y):
    return _compare(np.logical_or, "logical_or", x, y)


def logical_xor(x, y):
    return _compare(np.logical_xor, "logical_xor", x, y)


def logical_not(x):
    return Tensor(np.logical_not(values(x)))
