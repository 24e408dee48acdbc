"""Activation functions, each stable for inputs of any size (no overflow at +-1000).

The element-wise activations are primitives: each has a one-line derivative in terms of its
input or output, and computing it in one pass is both faster and free of the inf * 0 traps
that compositions through ``exp`` hit (e.g. ``where(x > 0, x, exp(x) - 1)`` has a NaN gradient
at x = 1000). Softmax and log-softmax are written twice: from primitives (`softmax_composite`,
`log_softmax_composite`, the reference) and fused (`softmax`, `log_softmax`, used everywhere);
tests check that both agree.
"""

from __future__ import annotations

import math

import numpy as np

from dlpath.engine.function import Function
from dlpath.engine.ops import clip, exp, log, max as reduce_max, split, sqrt, sum as reduce_sum
from dlpath.engine.ops import where
from dlpath.engine.ops._coerce import to_tensor


class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 if x > 0 else 0."""

    def forward(self, x):
        self.positive = x > 0
        return np.maximum(x, x.dtype.type(0))  # 15x faster than np.where with a 0-d zero

    def backward(self, grad):
        return grad * self.positive


class LeakyRelu(Function):
    """y = x if x > 0 else s x;  dy/dx = 1 if x > 0 else s  (s = negative slope)."""

    def forward(self, x, slope):
        self.positive, self.slope = x > 0, slope
        return np.where(self.positive, x, x * np.asarray(slope, x.dtype))

    def backward(self, grad):
        return np.where(self.positive, grad, grad * np.asarray(self.slope, grad.dtype))


class Elu(Function):
    """y = x if x > 0 else alpha (e^x - 1);  dy/dx = 1 if x > 0 else alpha e^x  (Clevert 2015)."""

    def forward(self, x, alpha):
        self.positive = x > 0
        self.alpha_exp = np.asarray(alpha, x.dtype) * np.exp(np.minimum(x, 0))
        return np.where(self.positive, x, self.alpha_exp - np.asarray(alpha, x.dtype))

    def backward(self, grad):
        return np.where(self.positive, grad, grad * self.alpha_exp)


class Gelu(Function):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016).

    Exact:  y = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2;  dy/dx = Phi(x) + x phi(x).
    Tanh approximation:  y = x (1 + tanh(u)) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3);
    dy/dx = (1 + tanh u) / 2 + x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2) / 2.
    """

    def forward(self, x, approximate):
        self.x, self.approximate = x, approximate
        if approximate:
            self.t = np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))
            return 0.5 * x * (1 + self.t)
        from scipy.special import erf  # SciPy loads with the first exact GELU, not at import

        self.cdf = 0.5 * (1 + erf(x / math.sqrt(2))).astype(x.dtype)
        return x * self.cdf

    def backward(self, grad):
        x = self.x
        if self.approximate:
            du = math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2)
            return grad * (0.5 * (1 + self.t) + 0.5 * x * (1 - self.t**2) * du)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (self.cdf + x * pdf)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y).  Computed from e^-|x| so nothing overflows."""

    def forward(self, x):
        z = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self.out

    def backward(self, grad):
        return grad * self.out * (1 - self.out)


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - y^2."""

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out * self.out)


class Softplus(Function):
    """y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|);  dy/dx = sigmoid(x)."""

    def forward(self, x):
        self.x = x
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def backward(self, grad):
        z = np.exp(-np.abs(self.x))
        return grad * np.where(self.x >= 0, 1 / (1 + z), z / (1 + z))


class Softmax(Function):
    """y_i = e^(x_i - m) / sum_j e^(x_j - m), m = max_j x_j;  dL/dx = y (g - sum_j g_j y_j).

    The logits are kept so that a cross-entropy taken of this output can be computed from
    them instead (see `dlpath.engine.losses`).
    """

    def forward(self, x, axis):
        self.axis, self.logits = axis, x
        shifted = np.exp(x - x.max(axis=axis, keepdims=True))
        self.out = shifted / shifted.sum(axis=axis, keepdims=True)
        return self.out

    def backward(self, grad):
        y = self.out
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True))


class Sparsemax(Function):
    """Sparsemax (Martins & Astudillo 2016): the Euclidean projection of x onto the simplex,

        y = argmin_{p in simplex} ||p - x||^2 = max(x - tau, 0),

    with tau such that sum_j y_j = 1: sort z = x descending, k(x) = max{k : 1 + k z_k >
    sum_{j<=k} z_j}, tau = (sum_{j<=k(x)} z_j - 1) / k(x). On the support S = {y > 0} the
    Jacobian is I - 1 1^T / |S|, so dL/dx = s (g - sum_j s_j g_j / |S|), s = [y > 0].
    """

    def forward(self, x, axis):
        self.axis = axis
        z = -np.sort(-x, axis=axis)                                   # descending
        shape = [1] * x.ndim
        shape[axis] = x.shape[axis]
        k = np.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
        cumulative = np.cumsum(z, axis=axis)
        in_support = 1 + k * z > cumulative
        support_size = in_support.sum(axis=axis, keepdims=True)      # k(x) >= 1
        top_sum = np.take_along_axis(cumulative, support_size - 1, axis=axis)
        tau = (top_sum - 1) / support_size.astype(x.dtype)
        out = np.maximum(x - tau, 0)
        self.support = out > 0
        return out

    def backward(self, grad):
        s = self.support
        count = s.sum(axis=self.axis, keepdims=True)
        mean = (grad * s).sum(axis=self.axis, keepdims=True) / count
        return s * (grad - mean)


class LogSoftmax(Function):
    """y_i = x_i - m - ln sum_j e^(x_j - m);  dL/dx = g - softmax(x) sum_j g_j."""

    def forward(self, x, axis):
        self.axis = axis
        shifted = x - x.max(axis=axis, keepdims=True)
        self.out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        return self.out

    def backward(self, grad):
        return grad - np.exp(self.out) * grad.sum(axis=self.axis, keepdims=True)


def relu(x):
    return Relu.apply(to_tensor(x))


def leaky_relu(x, negative_slope: float = 0.2):
    """Keras' functional default slope (0.2); the LeakyReLU layer's default is 0.3."""
    return LeakyRelu.apply(to_tensor(x), slope=float(negative_slope))


def elu(x, alpha: float = 1.0):
    return Elu.apply(to_tensor(x), alpha=float(alpha))


def gelu(x, approximate: bool = False):
    return Gelu.apply(to_tensor(x), approximate=bool(approximate))


def sigmoid(x):
    return Sigmoid.apply(to_tensor(x))


def tanh(x):
    return Tanh.apply(to_tensor(x))


def softplus(x):
    return Softplus.apply(to_tensor(x))


def softmax(x, axis: int = -1):
    return Softmax.apply(to_tensor(x), axis=axis)


def log_softmax(x, axis: int = -1):
    return LogSoftmax.apply(to_tensor(x), axis=axis)


def linear(x):
    """The identity, Keras' 'linear' activation."""
    return to_tensor(x)


def sparsemax(x, axis: int = -1):
    """Sparsemax along ``axis``: a softmax whose outputs can be exactly 0 (see `Sparsemax`)."""
    x = to_tensor(x)
    if x.ndim == 0:
        raise ValueError("sparsemax: expected an input of rank >= 1, got a scalar")
    return Sparsemax.apply(x, axis=axis % x.ndim)


# ------------------------------------------------------------------ composites
# Piecewise-linear and smooth activations written from the primitives above and the
# element-wise ops; none of them goes through exp of an unbounded input.

def celu(x, alpha: float = 1.0):
    """celu(x) = x if x > 0 else alpha (e^(x / alpha) - 1) = alpha elu(x / alpha)
    (Barron 2017, "Continuously Differentiable Exponential Linear Units")."""
    alpha = float(alpha)
    if alpha == 0:
        raise ValueError("celu: alpha must be non-zero, got 0")
    return elu(to_tensor(x) * (1.0 / alpha)) * alpha


def glu(x, axis: int = -1):
    """glu(x) = a sigmoid(b), [a, b] the two halves of x along ``axis`` (Dauphin et al.
    2017, "Language Modeling with Gated Convolutional Networks")."""
    x = to_tensor(x)
    size = x.shape[axis] if x.ndim else 0
    if x.ndim == 0 or size % 2:
        raise ValueError(f"glu: axis {axis} must have an even size, got shape {x.shape}")
    a, b = split(x, 2, axis=axis)
    return a * sigmoid(b)


def hard_tanh(x):
    """hard_tanh(x) = clip(x, -1, 1)."""
    return clip(to_tensor(x), -1.0, 1.0)


def hard_shrink(x, threshold: float = 0.5):
    """hard_shrink(x) = x if |x| > threshold else 0."""
    x = to_tensor(x)
    return where(np.abs(x.data) > threshold, x, 0.0)


def soft_shrink(x, threshold: float = 0.5):
    """soft_shrink(x) = x - t if x > t, x + t if x < -t, else 0 = x - clip(x, -t, t)."""
    x = to_tensor(x)
    return x - clip(x, -float(threshold), float(threshold))


def threshold(x, threshold: float, default_value: float):
    """threshold(x) = x if x > threshold else default_value."""
    x = to_tensor(x)
    return where(x.data > threshold, x, float(default_value))


def log_sigmoid(x):
    """log_sigmoid(x) = ln sigmoid(x) = -softplus(-x), stable for any x."""
    return -softplus(-to_tensor(x))


def sparse_plus(x):
    """sparse_plus(x) = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1 (a
    piecewise-quadratic softplus)."""
    x = to_tensor(x)
    middle = clip(x, -1.0, 1.0) + 1.0
    return where(x.data >= 1, x, middle * middle * 0.25)


def sparse_sigmoid(x):
    """sparse_sigmoid(x) = clip((x + 1) / 2, 0, 1) (a piecewise-linear sigmoid)."""
    return clip((to_tensor(x) + 1.0) * 0.5, 0.0, 1.0)


def squareplus(x, b: float = 4.0):
    """squareplus(x) = (x + sqrt(x^2 + b)) / 2 (Barron 2021), b >= 0."""
    if b < 0:
        raise ValueError(f"squareplus: b must be >= 0, got {b}")
    x = to_tensor(x)
    return (x + sqrt(x * x + float(b))) * 0.5


def tanh_shrink(x):
    """tanh_shrink(x) = x - tanh(x)."""
    x = to_tensor(x)
    return x - tanh(x)


def softmax_composite(x, axis: int = -1):
    """softmax from primitives: e^(x - max x) / sum e^(x - max x); the reference for `softmax`."""
    x = to_tensor(x)
    shifted = exp(x - reduce_max(x, axis, keepdims=True).detach())
    return shifted / reduce_sum(shifted, axis, keepdims=True)


def sparsemax_composite(x, axis: int = -1):
    """sparsemax from primitives, the reference for `sparsemax`: with the support
    S = {x_i > tau} found once (a constant mask), tau = (sum_S x - 1) / |S| and
    y = where(S, x - tau, 0)."""
    x = to_tensor(x)
    support = Sparsemax().forward(x.data, axis % x.ndim) > 0
    count = support.sum(axis=axis, keepdims=True).astype(x.dtype)
    tau = (reduce_sum(where(support, x, 0.0), axis, keepdims=True) - 1.0) / count
    return where(support, x - tau, 0.0)


def log_softmax_composite(x, axis: int = -1):
    """log-softmax from primitives: (x - max x) - ln sum e^(x - max x)."""
    x = to_tensor(x)
    shifted = x - reduce_max(x, axis, keepdims=True).detach()
    return shifted - log(reduce_sum(exp(shifted), axis, keepdims=True))
