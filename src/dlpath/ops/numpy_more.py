"""The rest of NumPy's functions that Keras 3's ``keras.ops`` and ``tf.math`` name: nan-aware
scans and order statistics, differences and integrals, polynomials, Bessel and incomplete
gamma/beta functions, integer bit operations and number-theory helpers.

Differentiable ones are composed from engine ops and `dlpath.ops.primitives_more`; integer,
predicate and index results are constants.
"""

from __future__ import annotations

import builtins
import math as _math

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.math import _float, cumsum, sum
from dlpath.ops.math_more import _tensors, lgamma, sin
from dlpath.ops.primitives_more import Betainc, BesselI0, BesselI1, Igamma
from dlpath.ops.reductions_more import _moved_last, cumprod, interpolation_points


def _keep(data) -> Tensor:
    """A constant Tensor that keeps ``data``'s dtype."""
    data = np.asarray(data)
    return Tensor(data, dtype=data.dtype)


def _ints(x, owner: str) -> np.ndarray:
    data = convert_to_tensor(x).data if isinstance(x, (int, bool)) else values(x)
    if data.dtype.kind not in "iub":
        raise TypeError(f"{owner}: expected integers or booleans, got dtype {data.dtype}")
    return data


# ------------------------------------------------------------------ predicates and indices
def isneginf(x):
    return _keep(np.isneginf(values(x)))


def isposinf(x):
    return _keep(np.isposinf(values(x)))


def isreal(x):
    """True everywhere: dlpath tensors hold real numbers."""
    return _keep(np.isreal(values(x)))


def isin(x1, x2, assume_unique: bool = False, invert: bool = False):
    """Whether each element of ``x1`` occurs in ``x2``."""
    return _keep(np.isin(values(x1), values(x2), assume_unique=assume_unique, invert=invert))


def nanargmax(x, axis=None, keepdims: bool = False):
    return _keep(np.nanargmax(values(x), axis=axis, keepdims=keepdims).astype(np.int32))


def nanargmin(x, axis=None, keepdims: bool = False):
    return _keep(np.nanargmin(values(x), axis=axis, keepdims=keepdims).astype(np.int32))


def argpartition(x, kth, axis: int = -1):
    """Indices that put the kth element in its sorted place, smaller ones before it."""
    return _keep(np.argpartition(values(x), kth, axis=axis).astype(np.int32))


def unravel_index(indices, shape) -> tuple:
    """The coordinates of flat ``indices`` in an array of ``shape``, one Tensor per axis."""
    coords = np.unravel_index(values(indices).astype(np.int64), tuple(int(n) for n in shape))
    return tuple(_keep(c.astype(np.int32)) for c in coords)


def invert_permutation(x):
    """y[x[i]] = i."""
    perm = _ints(x, "invert_permutation").astype(np.int64)
    if perm.ndim != 1 or not np.array_equal(np.sort(perm), np.arange(perm.size)):
        raise ValueError(f"invert_permutation: x must be a permutation of 0..n-1, got "
                         f"{perm.tolist()}")
    out = np.empty_like(perm)
    out[perm] = np.arange(perm.size)
    return _keep(out.astype(values(x).dtype))


def histogram(x, bins: int = 10, range=None):  # noqa: A002 - NumPy's name
    """(counts, bin edges) of the values of ``x``."""
    counts, edges = np.histogram(values(x), bins=int(bins), range=range)
    return _keep(counts.astype(np.int32)), _keep(edges.astype(np.float32))


# ------------------------------------------------------------------ integers and bits
def gcd(x1, x2):
    return _keep(np.gcd(_ints(x1, "gcd"), _ints(x2, "gcd")))


def lcm(x1, x2):
    return _keep(np.lcm(_ints(x1, "lcm"), _ints(x2, "lcm")))


def bitwise_and(x, y):
    return _keep(np.bitwise_and(_ints(x, "bitwise_and"), _ints(y, "bitwise_and")))


def bitwise_or(x, y):
    return _keep(np.bitwise_or(_ints(x, "bitwise_or"), _ints(y, "bitwise_or")))


def bitwise_xor(x, y):
    return _keep(np.bitwise_xor(_ints(x, "bitwise_xor"), _ints(y, "bitwise_xor")))


def bitwise_invert(x):
    return _keep(np.invert(_ints(x, "bitwise_invert")))


def bitwise_left_shift(x, y):
    return _keep(np.left_shift(_ints(x, "left_shift"), _ints(y, "left_shift")))


def bitwise_right_shift(x, y):
    return _keep(np.right_shift(_ints(x, "right_shift"), _ints(y, "right_shift")))


def nextafter(x1, x2):
    """The next float after x1 toward x2 (a constant)."""
    a, b = _tensors(x1, x2, "nextafter")
    return _keep(np.nextafter(a.data, b.data))


# ------------------------------------------------------------------ constants made from nothing
def empty(shape, dtype="float32"):
    """A tensor of ``shape`` (filled with zeros: dlpath never hands out garbage)."""
    return array.zeros(shape, dtype)


def empty_like(x, dtype=None):
    return array.zeros_like(x, dtype)


def logspace(start, stop, num: int = 50, endpoint: bool = True, base=10.0, dtype=None,
             axis: int = 0):
    """base ** linspace(start, stop, num)."""
    out = np.logspace(values(start), values(stop), int(num), endpoint, values(base), axis=axis)
    return _keep(out.astype(as_dtype(dtype or "float32", "logspace")))


def geomspace(start, stop, num: int = 50, endpoint: bool = True, dtype=None, axis: int = 0):
    """A geometric progression from ``start`` to ``stop``."""
    out = np.geomspace(values(start), values(stop), int(num), endpoint, axis=axis)
    return _keep(out.astype(as_dtype(dtype or "float32", "geomspace")))


# ------------------------------------------------------------------ differentiable helpers
def _without_nan(x, fill):
    x = _float(x)
    return eops.where(np.isnan(x.data), _keep(np.asarray(fill, dtype=x.dtype)), x)


def nancumsum(x, axis=None, dtype=None):
    """The cumulative sum with nan counted as 0."""
    return cumsum(_without_nan(convert_to_tensor(x, dtype), 0), axis)


def nancumprod(x, axis=None, dtype=None):
    """The cumulative product with nan counted as 1."""
    return cumprod(_without_nan(convert_to_tensor(x, dtype), 1), axis)


def nanquantile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    """The quantiles of the values that are not nan (nan where all are); the gradient goes
    to the sorted values the result lies between."""
    if method not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise ValueError(f"nanquantile: method must be linear, lower, higher, midpoint or "
                         f"nearest, got {method!r}")
    qs = np.asarray(values(q), dtype=np.float64)
    x = _float(x)
    moved, axis_int = _moved_last(x, axis)
    # nan sorts last; count the real values of each row.
    order = np.argsort(np.where(np.isnan(moved.data), np.inf, moved.data), axis=-1,
                       kind="stable")
    ordered = eops.take_along_axis(moved, order, -1)  # (..., n)
    valid = np.sum(~np.isnan(moved.data), axis=-1)  # (...)
    position = qs.reshape((-1,) + (1,) * valid.ndim) * np.maximum(valid - 1, 0)  # (q, ...)
    low, high, weight = interpolation_points(position, method)
    rows = []
    for i in builtins.range(position.shape[0]):
        lo = eops.take_along_axis(ordered, low[i][..., None], -1)
        hi = eops.take_along_axis(ordered, high[i][..., None], -1)
        w = _keep(weight[i][..., None].astype(x.dtype))
        rows.append(eops.reshape(lo + (hi - lo) * w, valid.shape))
    out = array.stack(rows)  # (q, ...)
    out = eops.where(np.broadcast_to(valid == 0, out.shape),
                     _keep(np.asarray(np.nan, x.dtype)), out)
    if keepdims:
        kept = (1,) * x.ndim if axis_int is None else (
            valid.shape[:axis_int] + (1,) + valid.shape[axis_int:])
        out = eops.reshape(out, (out.shape[0],) + tuple(kept))
    return eops.reshape(out, qs.shape + out.shape[1:])


def nanpercentile(x, q, axis=None, method: str = "linear", keepdims: bool = False):
    return nanquantile(x, np.asarray(values(q), dtype=np.float64) / 100, axis, method,
                       keepdims)


def nanmedian(x, axis=None, keepdims: bool = False):
    return nanquantile(x, 0.5, axis, "linear", keepdims)


def diff(a, n: int = 1, axis: int = -1):
    """The n-th forward difference along ``axis``: a[i + 1] - a[i], n times."""
    x = convert_to_tensor(a)
    axis = int(axis) % builtins.max(x.ndim, 1)
    for _ in builtins.range(int(n)):
        length = x.shape[axis]
        head = (slice(None),) * axis
        x = eops.getitem(x, head + (slice(1, length),)) - eops.getitem(
            x, head + (slice(0, length - 1),))
    return x


def trapezoid(y, x=None, dx: float = 1.0, axis: int = -1):
    """The trapezoidal-rule integral of ``y`` over ``x`` (or spacing ``dx``) along ``axis``."""
    y = _float(y)
    axis = int(axis) % builtins.max(y.ndim, 1)
    n = y.shape[axis]
    head = (slice(None),) * axis
    mids = (eops.getitem(y, head + (slice(1, n),)) + eops.getitem(y, head + (slice(0, n - 1),)))
    if x is None:
        return sum(mids, axis) * (float(dx) / 2)
    steps = diff(_float(x), 1, -1 if np.ndim(values(x)) == 1 else axis)
    if steps.ndim == 1 and y.ndim > 1:
        shape = [1] * y.ndim
        shape[axis] = n - 1
        steps = eops.reshape(steps, tuple(shape))
    return sum(mids * steps, axis) * 0.5


def vander(x, N=None, increasing: bool = False):  # noqa: N803 - NumPy's name
    """The Vandermonde matrix: columns x^(N-1), ..., x, 1 (reversed when ``increasing``)."""
    x = _float(x)
    if x.ndim != 1:
        raise ValueError(f"vander: x must be 1-D, got shape {x.shape}")
    n = x.shape[0] if N is None else int(N)
    columns = [eops.broadcast_to(_keep(np.ones((), x.dtype)), x.shape)]
    for _ in builtins.range(n - 1):
        columns.append(columns[-1] * x)
    columns = columns[:n]
    return array.stack(columns if increasing else columns[::-1], 1)


def polyval(coeffs, x):
    """c_0 x^(n-1) + ... + c_(n-1), by Horner's rule (tf.math.polyval)."""
    coeffs = list(coeffs)
    if not coeffs:
        return array.zeros_like(_float(x))
    out = _float(coeffs[0]) if isinstance(coeffs[0], Tensor) else convert_to_tensor(coeffs[0])
    x = _float(x)
    out = out + x * 0.0
    for c in coeffs[1:]:
        out = out * x + c
    return out


def corrcoef(x):
    """Pearson correlation of the rows of ``x`` (each row a variable)."""
    x = _float(x)
    if x.ndim == 1:
        x = eops.reshape(x, (1, -1))
    centred = x - eops.mean(x, 1, True)
    cov = eops.matmul(centred, eops.transpose(centred, None))
    scale = eops.sqrt(eops.sum(centred * centred, 1, True))  # (n, 1)
    return cov / eops.matmul(scale, eops.transpose(scale, None))


def ldexp(x1, x2):
    """x1 2^x2."""
    x = _float(x1)
    return x * _keep(np.exp2(values(x2)).astype(x.dtype))


def sinc(x):
    """sin(pi x) / (pi x), and 1 at x = 0."""
    x = _float(x)
    zero = x.data == 0
    safe = eops.where(zero, _keep(np.ones((), x.dtype)), x) * _math.pi
    return eops.where(zero, _keep(np.ones((), x.dtype)), sin(safe) / safe)


def scalar_mul(scalar, x):
    """scalar * x (tf.math.scalar_mul)."""
    from dlpath.ops.math import multiply

    return multiply(scalar, x)


# ------------------------------------------------------------------ special functions
def i0(x):
    """The modified Bessel function I_0;  d/dx = I_1."""
    return BesselI0.apply(_float(x))


def bessel_i1(x):
    """The modified Bessel function I_1."""
    return BesselI1.apply(_float(x))


def igamma(a, x):
    """P(a, x), the regularized lower incomplete gamma function (differentiable in x)."""
    x = _float(x)
    return Igamma.apply(x, a=np.asarray(values(a), dtype=x.dtype))


def gammainc(x1, x2):
    """keras.ops.gammainc(x1, x2) = P(x1, x2)."""
    return igamma(x1, x2)


def betainc(a, b, x):
    """I_x(a, b), the regularized incomplete beta function (differentiable in x)."""
    x = _float(x)
    return Betainc.apply(x, a=np.asarray(values(a), dtype=x.dtype),
                         b=np.asarray(values(b), dtype=x.dtype))


def lbeta(x):
    """ln |B(x)| = sum_i ln Gamma(x_i) - ln Gamma(sum_i x_i) over the last axis."""
    x = _float(x)
    return sum(lgamma(x), -1) - lgamma(sum(x, -1))


def ndtri(x):
    """The inverse of the standard normal CDF: sqrt(2) erfinv(2x - 1)."""
    from dlpath.ops.math_more import erfinv

    return erfinv(_float(x) * 2.0 - 1.0) * _math.sqrt(2)


def zeta(x, q):
    """The Hurwitz zeta function sum_k (k + q)^-x (a constant)."""
    from scipy.special import zeta as _zeta

    a, b = _tensors(x, q, "zeta")
    return _keep(_zeta(a.data, b.data).astype(a.dtype))
