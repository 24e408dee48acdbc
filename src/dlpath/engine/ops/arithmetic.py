"""Arithmetic primitives: add, sub, mul, div, neg, pow.

Inputs may have different (broadcastable) shapes; each backward returns gradients in the
output's shape and the engine sums them back to each input's shape (`unbroadcast`).
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops._coerce import binary


class Add(Function):
    """y = a + b;  dy/da = 1, dy/db = 1."""

    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    """y = a - b;  dy/da = 1, dy/db = -1."""

    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, (-grad if self.needs_grad[1] else None)


class Mul(Function):
    """y = a * b;  dy/da = b, dy/db = a."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        grad_a = grad * self.b if self.needs_grad[0] else None
        grad_b = grad * self.a if self.needs_grad[1] else None
        return grad_a, grad_b


class Div(Function):
    """y = a / b;  dy/da = 1 / b, dy/db = -a / b^2."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        grad_a = grad / self.b if self.needs_grad[0] else None
        grad_b = -grad * self.a / (self.b * self.b) if self.needs_grad[1] else None
        return grad_a, grad_b


class Neg(Function):
    """y = -a;  dy/da = -1."""

    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad


class Pow(Function):
    """y = a ** b;  dy/da = b a^(b-1),  dy/db = a^b ln a  (taken as 0 where a = 0)."""

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = np.power(a, b)
        return self.out

    def backward(self, grad):
        a, b = self.a, self.b
        grad_a = grad_b = None
        if self.needs_grad[0]:
            grad_a = grad * b * np.power(a, b - 1)
        if self.needs_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_a = np.where(a > 0, np.log(np.where(a > 0, a, 1)), np.nan)
            log_a = np.where(a == 0, 0, log_a)
            grad_b = grad * self.out * log_a
        return grad_a, grad_b


def add(a, b):
    return binary(Add, "add", a, b)


def sub(a, b):
    return binary(Sub, "sub", a, b)


def mul(a, b):
    return binary(Mul, "mul", a, b)


def div(a, b):
    return binary(Div, "div", a, b)


def neg(a):
    return Neg.apply(a)


def pow(a, b):  # noqa: A001 - the op's name
    return binary(Pow, "pow", a, b)
