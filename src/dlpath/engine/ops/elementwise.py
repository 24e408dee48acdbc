"""Element-wise math primitives: exp, log, sqrt, abs, maximum, minimum, where, clip, cast."""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import binary, check_broadcast, pair, to_tensor


class Exp(Function):
    """y = e^a;  dy/da = e^a = y."""

    def forward(self, a):
        self.out = np.exp(a)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Function):
    """y = ln a;  dy/da = 1 / a."""

    def forward(self, a):
        self.a = a
        return np.log(a)

    def backward(self, grad):
        return grad / self.a


class Sqrt(Function):
    """y = sqrt(a);  dy/da = 1 / (2 sqrt(a)) = 1 / (2 y)."""

    def forward(self, a):
        self.out = np.sqrt(a)
        return self.out

    def backward(self, grad):
        return grad / (2 * self.out)


class Abs(Function):
    """y = |a|;  dy/da = sign(a)  (0 at a = 0)."""

    def forward(self, a):
        self.a = a
        return np.abs(a)

    def backward(self, grad):
        return grad * np.sign(self.a)


class Maximum(Function):
    """y = max(a, b);  the gradient goes to the larger input, split in half on ties."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.maximum(a, b)

    def backward(self, grad):
        share_a = (self.a > self.b) + 0.5 * (self.a == self.b)
        grad_a = grad * share_a if self.needs_grad[0] else None
        grad_b = grad * (1 - share_a) if self.needs_grad[1] else None
        return grad_a, grad_b


class Minimum(Function):
    """y = min(a, b);  the gradient goes to the smaller input, split in half on ties."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return np.minimum(a, b)

    def backward(self, grad):
        share_a = (self.a < self.b) + 0.5 * (self.a == self.b)
        grad_a = grad * share_a if self.needs_grad[0] else None
        grad_b = grad * (1 - share_a) if self.needs_grad[1] else None
        return grad_a, grad_b


class Where(Function):
    """y = a where cond else b;  dy/da = cond, dy/db = not cond  (cond has no gradient)."""

    def forward(self, a, b, cond):
        self.cond = cond
        return np.where(cond, a, b)

    def backward(self, grad):
        zero = np.zeros((), dtype=grad.dtype)
        grad_a = np.where(self.cond, grad, zero) if self.needs_grad[0] else None
        grad_b = np.where(self.cond, zero, grad) if self.needs_grad[1] else None
        return grad_a, grad_b


class Clip(Function):
    """y = min(max(a, low), high);  dy/da = 1 where low <= a <= high, else 0."""

    def forward(self, a, low, high):
        self.inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            self.inside &= a >= low
        if high is not None:
            self.inside &= a <= high
        return np.clip(a, low, high)

    def backward(self, grad):
        return grad * self.inside


class Cast(Function):
    """y = a as another dtype;  dy/da = 1 (the gradient is cast back)."""

    def forward(self, a, dtype):
        self.dtype = a.dtype
        return a.astype(dtype)

    def backward(self, grad):
        return grad.astype(self.dtype)


def exp(a):
    return Exp.apply(to_tensor(a))


def log(a):
    return Log.apply(to_tensor(a))


def sqrt(a):
    return Sqrt.apply(to_tensor(a))


def abs(a):  # noqa: A001 - the op's name
    return Abs.apply(to_tensor(a))


def maximum(a, b):
    return binary(Maximum, "maximum", a, b)


def minimum(a, b):
    return binary(Minimum, "minimum", a, b)


def where(cond, a, b):
    """Element-wise choice: ``a`` where ``cond`` is true, else ``b``."""
    a, b = pair(a, b)
    check_broadcast("where", a, b)
    cond = np.asarray(cond.data if hasattr(cond, "data") else cond, dtype=bool)
    return Where.apply(a, b, cond=cond)


def clip(a, low=None, high=None):
    if low is None and high is None:
        raise ValueError("clip: give at least one of low and high")
    return Clip.apply(to_tensor(a), low=low, high=high)


def cast(a, dtype):
    return Cast.apply(to_tensor(a), dtype=np.dtype(dtype))
