"""The few primitive ops the function library adds to the engine's: erf, log1p, prod, cumsum.

Each one is a `Function` with its forward and backward side by side; everything else in
`dlpath.ops` is composed from the engine's primitives.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.engine import Function


class Erf(Function):
    """y = erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt;  dy/dx = 2/sqrt(pi) e^(-x^2)."""

    def forward(self, x):
        from scipy.special import erf  # SciPy loads with the first erf, not at import

        self.x = x
        return erf(x).astype(x.dtype)

    def backward(self, grad):
        return grad * (2 / math.sqrt(math.pi)) * np.exp(-self.x * self.x)


class Log1p(Function):
    """y = ln(1 + x), exact for small x;  dy/dx = 1 / (1 + x)."""

    def forward(self, x):
        self.x = x
        return np.log1p(x)

    def backward(self, grad):
        return grad / (1 + self.x)


class Prod(Function):
    """y = prod_i a_i over one axis;  dy/da_i = prod_{j != i} a_j.

    The product of the others is the exclusive cumulative product from the left times the one
    from the right, so zeros in ``a`` need no division.
    """

    def forward(self, a, axis, keepdims):
        self.a, self.axis, self.keepdims = a, axis, keepdims
        return np.prod(a, axis=axis, keepdims=keepdims)

    def backward(self, grad):
        a, axis = self.a, self.axis
        ones = np.ones_like(np.take(a, [0], axis=axis))
        left = np.cumprod(np.concatenate([ones, np.delete(a, -1, axis=axis)], axis), axis)
        flipped = np.flip(a, axis)
        right = np.cumprod(np.concatenate([ones, np.delete(flipped, -1, axis=axis)], axis),
                           axis)
        others = left * np.flip(right, axis)
        if not self.keepdims:
            grad = np.expand_dims(grad, axis)
        return grad * others


class Cumsum(Function):
    """y_i = sum_{j <= i} a_j along an axis;  dL/da_j = sum_{i >= j} g_i (a reversed cumsum)."""

    def forward(self, a, axis):
        self.axis = axis
        return np.cumsum(a, axis=axis)

    def backward(self, grad):
        return np.flip(np.cumsum(np.flip(grad, self.axis), axis=self.axis), self.axis)


PRIMITIVES = (Erf, Log1p, Prod, Cumsum)
