r"""More element-wise math: trigonometry, logarithms in other bases, special functions,
safe divisions, and the NumPy predicates (isclose, signbit, ...).

Differentiable ones are composed from engine ops or the primitives of
`dlpath.ops.primitives_more`; piecewise-constant ones (trunc, floor_divide, signbit, the
predicates) return constants, as in TensorFlow.
"""

from __future__ import annotations

import math as _math

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor, values
from dlpath.ops.math import _binary_operands, _constant, _float, divide, softplus
from dlpath.ops.primitives_more import (
    Arcsin, Arctan, Arctan2, Cos, Digamma, Erfinv, Expm1, Lgamma, Sin,
)


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype (float64 stays float64)."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _tensors(x, y, owner: str):
    """Both operands as float Tensors of one dtype (a Python number takes its partner's)."""
    if isinstance(x, np.ndarray):
        x = convert_to_tensor(x)
    if isinstance(y, np.ndarray):
        y = convert_to_tensor(y)
    x, y = _binary_operands(x, y)
    if isinstance(x, Tensor):
        x = _float(x)
    if isinstance(y, Tensor):
        y = _float(y)
    if not isinstance(x, Tensor):
        x = _keep(np.asarray(x, dtype=y.dtype))
    if not isinstance(y, Tensor):
        y = _keep(np.asarray(y, dtype=x.dtype))
    if x.dtype != y.dtype:
        dtype = np.result_type(x.dtype, y.dtype)
        x, y = eops.cast(x, dtype), eops.cast(y, dtype)
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(f"{owner}: shapes {x.shape} and {y.shape} do not broadcast") from None
    return x, y


def _zero_safe(mask: np.ndarray, x: Tensor, fill: float) -> Tensor:
    """``x`` with ``fill`` where ``mask``: a value whose gradient is 0 there, not nan."""
    return eops.where(mask, _keep(np.asarray(fill, dtype=x.dtype)), x)


# ------------------------------------------------------------------ trigonometry
def sin(x):
    """sin x;  d/dx = cos x."""
    return Sin.apply(_float(x))


def cos(x):
    """cos x;  d/dx = -sin x."""
    return Cos.apply(_float(x))


def tan(x):
    """tan x = sin x / cos x;  d/dx = 1 / cos^2 x."""
    x = _float(x)
    return eops.div(sin(x), cos(x))


def arcsin(x):
    """arcsin x on [-1, 1];  d/dx = 1 / sqrt(1 - x^2)."""
    return Arcsin.apply(_float(x))


def arccos(x):
    """arccos x = pi/2 - arcsin x;  d/dx = -1 / sqrt(1 - x^2)."""
    return eops.sub(_math.pi / 2, arcsin(x))


def arctan(x):
    """arctan x;  d/dx = 1 / (1 + x^2)."""
    return Arctan.apply(_float(x))


def arctan2(x1, x2):
    """atan2(x1, x2): the angle of the point (x2, x1), in (-pi, pi]."""
    y, x = _tensors(x1, x2, "arctan2")
    return Arctan2.apply(y, x)


def sinh(x):
    """sinh x = (e^x - e^-x) / 2."""
    x = _float(x)
    return (eops.exp(x) - eops.exp(-x)) * 0.5


def cosh(x):
    """cosh x = (e^x + e^-x) / 2."""
    x = _float(x)
    return (eops.exp(x) + eops.exp(-x)) * 0.5


def arcsinh(x):
    """arsinh x = sign(x) ln(|x| + sqrt(x^2 + 1)) (odd, so exact for large negative x)."""
    x = _float(x)
    a = eops.abs(x)
    out = eops.log(a + eops.sqrt(a * a + 1.0))
    return eops.where(x.data < 0, -out, out)


def arccosh(x):
    """arcosh x = ln(x + sqrt(x^2 - 1)) for x >= 1."""
    x = _float(x)
    return eops.log(x + eops.sqrt(x * x - 1.0))


def arctanh(x):
    """artanh x = (ln(1 + x) - ln(1 - x)) / 2 on (-1, 1)."""
    from dlpath.ops.math import log1p

    x = _float(x)
    return (log1p(x) - log1p(-x)) * 0.5


def deg2rad(x):
    """x pi / 180."""
    return _float(x) * (_math.pi / 180)


def rad2deg(x):
    """x 180 / pi."""
    return _float(x) * (180 / _math.pi)


def hypot(x1, x2):
    """sqrt(x1^2 + x2^2)."""
    x, y = _tensors(x1, x2, "hypot")
    return eops.sqrt(x * x + y * y)


# ------------------------------------------------------------------ exponentials and logs
def expm1(x):
    """e^x - 1, exact for small x."""
    return Expm1.apply(_float(x))


def exp2(x):
    """2^x = e^(x ln 2)."""
    return eops.exp(_float(x) * _math.log(2))


def log2(x):
    """log_2 x = ln x / ln 2."""
    return eops.log(_float(x)) * (1 / _math.log(2))


def log10(x):
    """log_10 x = ln x / ln 10."""
    return eops.log(_float(x)) * (1 / _math.log(10))


def cbrt(x):
    """The real cube root sign(x) |x|^(1/3)."""
    x = _float(x)
    root = eops.pow(eops.abs(x), 1 / 3)
    return eops.where(x.data < 0, -root, root)


def logaddexp(x1, x2):
    """ln(e^x1 + e^x2) = m + ln(e^(x1 - m) + e^(x2 - m)), m = max(x1, x2) (no overflow)."""
    x, y = _tensors(x1, x2, "logaddexp")
    top = _keep(np.maximum(x.data, y.data))  # a constant shift
    top = _keep(np.where(np.isfinite(top.data), top.data, 0).astype(x.dtype))
    return eops.log(eops.exp(x - top) + eops.exp(y - top)) + top


def logaddexp2(x1, x2):
    """log_2(2^x1 + 2^x2) = logaddexp(x1 ln 2, x2 ln 2) / ln 2."""
    x, y = _tensors(x1, x2, "logaddexp2")
    ln2 = _math.log(2)
    return logaddexp(x * ln2, y * ln2) * (1 / ln2)


def xlogy(x, y):
    """x ln y, and 0 where x == 0 (even where y == 0), as tf.math.xlogy."""
    x, y = _tensors(x, y, "xlogy")
    zero = np.broadcast_to(x.data == 0, np.broadcast_shapes(x.shape, y.shape))
    safe_y = _zero_safe(zero, eops.broadcast_to(y, zero.shape), 1.0)
    return eops.where(zero, _keep(np.zeros((), x.dtype)), x * eops.log(safe_y))


def xdivy(x, y):
    """x / y, and 0 where x == 0 (even where y == 0), as tf.math.xdivy."""
    x, y = _tensors(x, y, "xdivy")
    zero = np.broadcast_to(x.data == 0, np.broadcast_shapes(x.shape, y.shape))
    safe_y = _zero_safe(zero, eops.broadcast_to(y, zero.shape), 1.0)
    return eops.where(zero, _keep(np.zeros((), x.dtype)), x / safe_y)


def log_sigmoid(x):
    """ln sigmoid(x) = -softplus(-x)."""
    return -softplus(-_float(x))


def softsign(x):
    """x / (1 + |x|)."""
    x = _float(x)
    return x / (eops.abs(x) + 1.0)


# ------------------------------------------------------------------ special functions
def erfc(x):
    """1 - erf(x)."""
    from dlpath.ops.math import erf

    return 1.0 - erf(x)


def erfinv(x):
    """The inverse of erf on (-1, 1);  d/dx = sqrt(pi)/2 e^(erfinv(x)^2)."""
    return Erfinv.apply(_float(x))


def lgamma(x):
    """ln |Gamma(x)|;  d/dx = digamma(x)."""
    return Lgamma.apply(_float(x))


def digamma(x):
    """psi(x) = d/dx ln Gamma(x)."""
    return Digamma.apply(_float(x))


# ------------------------------------------------------------------ division and rounding
def floor_divide(x1, x2):
    """floor(x1 / x2) in the operands' dtype (a constant, as tf.math.floordiv)."""
    a, b = values(x1), values(x2)
    _check_broadcast(a, b, "floor_divide")
    return _keep(np.floor_divide(*_like(x1, x2, a, b)))


def true_divide(x1, x2):
    """x1 / x2 (floats, even for integers)."""
    return divide(x1, x2)


def fmod(x1, x2):
    """x1 - trunc(x1 / x2) x2: the remainder with the sign of x1 (C's fmod)."""
    return _remainder(x1, x2, np.trunc, "fmod")


def mod(x1, x2):
    """x1 - floor(x1 / x2) x2: the remainder with the sign of x2 (Python's %, tf.math.mod)."""
    return _remainder(x1, x2, np.floor, "mod")


def _remainder(x1, x2, rounding, owner):
    a, b = values(x1), values(x2)
    _check_broadcast(a, b, owner)
    a, b = _like(x1, x2, a, b)
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        fn = np.fmod if rounding is np.trunc else np.mod
        return _keep(fn(a, b))
    x, y = _tensors(x1, x2, owner)
    quotient = _keep(rounding(x.data / y.data).astype(x.dtype))  # constant almost everywhere
    return x - quotient * y


def _like(x1, x2, a, b):
    """A Python number takes the dtype of an array partner (an int any partner's, a float a
    float partner's); two Python numbers follow TF (int32, float32)."""
    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if number(x1) and number(x2):
        return convert_to_tensor(x1).data, convert_to_tensor(x2).data
    if number(x2) and (isinstance(x2, int) or a.dtype.kind == "f"):
        b = np.asarray(x2, dtype=a.dtype)
    if number(x1) and (isinstance(x1, int) or b.dtype.kind == "f"):
        a = np.asarray(x1, dtype=b.dtype)
    return a, b


def _check_broadcast(a, b, owner):
    try:
        np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise ValueError(f"{owner}: shapes {np.shape(a)} and {np.shape(b)} do not "
                         f"broadcast") from None


def divide_no_nan(x, y):
    """x / y, and 0 where y == 0."""
    x, y = _tensors(x, y, "divide_no_nan")
    zero = np.broadcast_to(y.data == 0, np.broadcast_shapes(x.shape, y.shape))
    safe_y = _zero_safe(zero, eops.broadcast_to(y, zero.shape), 1.0)
    return eops.where(zero, _keep(np.zeros((), x.dtype)), x / safe_y)


def multiply_no_nan(x, y):
    """x y, and 0 where y == 0 (even where x is inf or nan)."""
    x, y = _tensors(x, y, "multiply_no_nan")
    zero = np.broadcast_to(y.data == 0, np.broadcast_shapes(x.shape, y.shape))
    safe_x = _zero_safe(zero, eops.broadcast_to(x, zero.shape), 0.0)
    return eops.where(zero, _keep(np.zeros((), x.dtype)), safe_x * y)


def trunc(x):
    """Round toward zero (a constant)."""
    return _constant(np.trunc, x)


def rint(x):
    """Round to the nearest integer, halves to even (a constant)."""
    return _constant(np.rint, x)


def fabs(x):
    """|x| as a float."""
    return eops.abs(_float(x))


def copysign(x1, x2):
    """|x1| with the sign of x2;  d/dx1 = sign(x1) sign(x2)."""
    x, y = _tensors(x1, x2, "copysign")
    magnitude = eops.abs(x)
    negative = np.broadcast_to(np.signbit(y.data), np.broadcast_shapes(x.shape, y.shape))
    return eops.where(negative, -magnitude, magnitude)


def fmax(x1, x2):
    """max(x1, x2), ignoring a nan operand (np.fmax)."""
    return _nan_ignoring(x1, x2, eops.maximum, "fmax")


def fmin(x1, x2):
    """min(x1, x2), ignoring a nan operand (np.fmin)."""
    return _nan_ignoring(x1, x2, eops.minimum, "fmin")


def _nan_ignoring(x1, x2, fn, owner):
    x, y = _tensors(x1, x2, owner)
    shape = np.broadcast_shapes(x.shape, y.shape)
    x, y = eops.broadcast_to(x, shape), eops.broadcast_to(y, shape)
    out = fn(x, y)
    out = eops.where(np.isnan(y.data), x, out)
    return eops.where(np.isnan(x.data), y, out)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with nan, +inf and -inf replaced (by 0 and the dtype's largest and smallest
    finite values unless given); the gradient flows through the kept values."""
    x = convert_to_tensor(x)
    if x.dtype.kind != "f":
        return x
    info = np.finfo(x.dtype)
    replacements = ((np.isnan(x.data), nan),
                    (np.isposinf(x.data), info.max if posinf is None else posinf),
                    (np.isneginf(x.data), info.min if neginf is None else neginf))
    for mask, value in replacements:
        x = eops.where(mask, _keep(np.asarray(value, dtype=x.dtype)), x)
    return x


# ------------------------------------------------------------------ predicates (constants)
def heaviside(x1, x2):
    """0 for x1 < 0, x2 for x1 == 0, 1 for x1 > 0 (np.heaviside)."""
    a, b = values(x1), values(x2)
    _check_broadcast(a, b, "heaviside")
    return _keep(np.heaviside(*_like(x1, x2, a, b)))


def signbit(x):
    """Whether the sign bit is set (True for -0.0)."""
    return _keep(np.signbit(values(x)))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """|x1 - x2| <= atol + rtol |x2| element-wise."""
    a, b = values(x1), values(x2)
    _check_broadcast(a, b, "isclose")
    return _keep(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether every element is close (`isclose`), as a 0-d bool Tensor."""
    return _keep(np.all(isclose(x1, x2, rtol, atol, equal_nan).data))
