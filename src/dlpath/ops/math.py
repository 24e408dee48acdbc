r"""Element-wise math, reductions and sorting over Tensors, differentiable where math allows.

Every function takes Tensors, Variables, NumPy arrays or Python numbers and returns a Tensor.
Functions whose derivative is zero almost everywhere (sign, floor, ceil, round, argmax, the
predicates) return constants: a gradient asked through them is None, as in TensorFlow.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from dlpath.engine import Tensor, activations
from dlpath.engine import ops as eops
from dlpath.engine.ops.reduce import normalize_axes
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.primitives import Cumsum, Erf, Log1p, Prod


def _t(x) -> Tensor:
    return convert_to_tensor(x)


def _binary_operands(a, b):
    """Numbers take a Tensor partner's dtype (the engine's rule); two non-Tensors follow TF."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        return convert_to_tensor(a), convert_to_tensor(b)
    return a, b


def _axis(axis):
    if isinstance(axis, Tensor):
        axis = axis.data.tolist()
    if isinstance(axis, np.ndarray):
        axis = axis.tolist()
    return axis


# ------------------------------------------------------------------ arithmetic
def add(x, y):
    """x + y (broadcast)."""
    return eops.add(*_binary_operands(x, y))


def subtract(x, y):
    """x - y (broadcast)."""
    return eops.sub(*_binary_operands(x, y))


def multiply(x, y):
    """x * y (broadcast)."""
    return eops.mul(*_binary_operands(x, y))


def divide(x, y):
    """x / y (true division; integers give floats)."""
    x, y = _binary_operands(x, y)
    if values(x).dtype.kind in "iub" and values(y).dtype.kind in "iub":
        return Tensor(values(x) / values(y))
    return eops.div(x, y)


def pow(x, y):  # noqa: A001 - TF's name
    """x ** y;  d/dx = y x^(y-1), d/dy = x^y ln x."""
    return eops.pow(*_binary_operands(x, y))


def negative(x):
    """-x."""
    return eops.neg(_t(x))


def reciprocal(x):
    """1 / x;  d/dx = -1 / x^2."""
    return eops.div(1.0, _t(x))


def square(x):
    """x^2;  d/dx = 2x."""
    x = _t(x)
    return eops.mul(x, x)


def squared_difference(x, y):
    """(x - y)^2."""
    return square(subtract(x, y))


def sqrt(x):
    """sqrt(x);  d/dx = 1 / (2 sqrt x)."""
    return eops.sqrt(_t(x))


def rsqrt(x):
    """1 / sqrt(x)."""
    return eops.div(1.0, eops.sqrt(_t(x)))


def exp(x):
    """e^x."""
    return eops.exp(_t(x))


def log(x):
    """ln x."""
    return eops.log(_t(x))


def log1p(x):
    """ln(1 + x), accurate for small x;  d/dx = 1 / (1 + x)."""
    return Log1p.apply(_float(x))


def abs(x):  # noqa: A001 - TF's name
    """|x|;  d/dx = sign(x)."""
    return eops.abs(_t(x))


def erf(x):
    """erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt."""
    return Erf.apply(_float(x))


def maximum(x, y):
    """max(x, y) element-wise (the gradient goes to the larger one)."""
    return eops.maximum(*_binary_operands(x, y))


def minimum(x, y):
    """min(x, y) element-wise."""
    return eops.minimum(*_binary_operands(x, y))


def clip(x, low=None, high=None):
    """min(max(x, low), high);  d/dx = 1 inside [low, high], else 0."""
    low = None if low is None else values(low)
    high = None if high is None else values(high)
    return eops.clip(_t(x), low, high)


def sigmoid(x):
    """1 / (1 + e^-x)."""
    return activations.sigmoid(_float(x))


def tanh(x):
    """tanh x."""
    return activations.tanh(_float(x))


def softplus(x):
    """ln(1 + e^x)."""
    return activations.softplus(_float(x))


def _float(x) -> Tensor:
    x = _t(x)
    return x if x.dtype.kind == "f" else Tensor(x.data, dtype=np.float32)


def _constant(fn, x, dtype=None) -> Tensor:
    out = fn(values(x))
    return Tensor(out, dtype=dtype or out.dtype)


def sign(x):
    """-1, 0 or 1 (a constant: its derivative is 0 almost everywhere)."""
    return _constant(np.sign, x)


def floor(x):
    return _constant(np.floor, x)


def ceil(x):
    return _constant(np.ceil, x)


def round(x):  # noqa: A001 - TF's name
    """Round half to even, as TensorFlow and NumPy do."""
    return _constant(np.round, x)


def is_nan(x):
    return _constant(np.isnan, x)


def is_finite(x):
    return _constant(np.isfinite, x)


def is_inf(x):
    return _constant(np.isinf, x)


def cast(x, dtype):
    """``x`` as ``dtype``: floats to floats stay differentiable; to integers truncate toward
    zero and to bool test != 0, as tf.cast does (no gradient through them)."""
    x = _t(x)
    dtype = as_dtype(dtype, "cast")
    if x.dtype == dtype:
        return x
    if dtype.kind == "f" and x.dtype.kind == "f":
        return eops.cast(x, dtype)
    if dtype.kind == "b":
        return Tensor(x.data != 0)
    return Tensor(x.data.astype(dtype), dtype=dtype)


# ------------------------------------------------------------------ linear algebra
def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False):
    """A B, batched over leading axes;  optional transposes of the last two axes."""
    a, b = _t(a), _t(b)
    if transpose_a:
        a = _swap_last(a)
    if transpose_b:
        b = _swap_last(b)
    return eops.matmul(a, b)


def _swap_last(x: Tensor) -> Tensor:
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return eops.transpose(x, tuple(axes))


def dot(x, y):
    """np.dot: a sum product over the last axis of x and the second-to-last of y."""
    x, y = _t(x), _t(y)
    if x.ndim == 0 or y.ndim == 0:
        return multiply(x, y)
    if y.ndim <= 2:
        return eops.matmul(x, y)
    # (..., k) . (a, b, k, n) -> (..., a, b, n)
    moved = eops.transpose(y, tuple(range(y.ndim - 2)) + (y.ndim - 1, y.ndim - 2))
    flat = eops.reshape(moved, (-1, y.shape[-2]))  # (a*b*n, k)
    out = eops.matmul(x, eops.transpose(flat, None))  # (..., a*b*n)
    return eops.reshape(out, x.shape[:-1] + y.shape[:-2] + (y.shape[-1],))


def norm(x, ord=None, axis=None, keepdims: bool = False):  # noqa: A002 - NumPy's name
    r"""Vector norms over ``axis`` (all axes by default, i.e. Frobenius for matrices):
    ord None/2/'fro': :math:`\sqrt{\sum x^2}`; 1: :math:`\sum |x|`; inf: :math:`\max |x|`."""
    x = _float(x)
    axis = _axis(axis)
    if isinstance(axis, (list, tuple)) and len(axis) == 2 and ord not in (None, "fro"):
        raise ValueError(f"norm: matrix norm ord={ord!r} is not supported (use ord=None or "
                         f"'fro' over two axes, or one axis for vector norms)")
    if ord in (None, 2, "fro", "euclidean"):
        return sqrt(eops.sum(x * x, axis, keepdims))
    if ord == 1:
        return eops.sum(eops.abs(x), axis, keepdims)
    if ord in (np.inf, "inf"):
        return eops.max(eops.abs(x), axis, keepdims)
    raise ValueError(f"norm: ord must be None, 1, 2, 'fro' or inf, got {ord!r}")


# ------------------------------------------------------------------ reductions
def sum(x, axis=None, keepdims: bool = False):  # noqa: A001 - NumPy's name
    """sum over ``axis`` (all axes when None)."""
    x = _t(x)
    if x.dtype.kind in "iub":
        dtype = x.dtype if x.dtype.kind in "iu" else np.int32
        return Tensor(np.sum(x.data, axis=_tuple_axis(axis), keepdims=keepdims, dtype=dtype))
    return eops.sum(x, _axis(axis), keepdims)


def mean(x, axis=None, keepdims: bool = False):
    """(1/n) sum over ``axis``; integers give float32."""
    return eops.mean(_float(x), _axis(axis), keepdims)


def max(x, axis=None, keepdims: bool = False):  # noqa: A001 - NumPy's name
    """max over ``axis`` (the gradient is shared among ties)."""
    x = _t(x)
    if x.dtype.kind in "iub":
        return Tensor(np.max(x.data, axis=_tuple_axis(axis), keepdims=keepdims))
    return eops.max(x, _axis(axis), keepdims)


def min(x, axis=None, keepdims: bool = False):  # noqa: A001 - NumPy's name
    x = _t(x)
    if x.dtype.kind in "iub":
        return Tensor(np.min(x.data, axis=_tuple_axis(axis), keepdims=keepdims))
    return eops.min(x, _axis(axis), keepdims)


def _tuple_axis(axis):
    axis = _axis(axis)
    return tuple(axis) if isinstance(axis, list) else axis


def prod(x, axis=None, keepdims: bool = False):
    """prod over ``axis``;  d/dx_i = prod_{j != i} x_j (exact with zeros)."""
    x = _t(x)
    if x.dtype.kind in "iub":
        return Tensor(np.prod(x.data, axis=_tuple_axis(axis), keepdims=keepdims))
    axes = normalize_axes(_axis(axis), x.ndim, "prod")
    if not axes:
        return x
    # Bring the reduced axes together at the end, then one product over the merged axis.
    kept = [a for a in range(x.ndim) if a not in axes]
    moved = eops.transpose(x, tuple(kept + list(axes)))
    merged = eops.reshape(moved, tuple(x.shape[a] for a in kept) + (-1,))
    out = Prod.apply(merged, axis=-1, keepdims=False)
    if keepdims:
        out = eops.reshape(out, tuple(1 if a in axes else n for a, n in enumerate(x.shape)))
    return out


def var(x, axis=None, keepdims: bool = False):
    """(1/n) sum (x - mean)^2 (the biased variance, as TF and Keras)."""
    x = _float(x)
    centred = x - eops.mean(x, _axis(axis), True)
    return eops.mean(centred * centred, _axis(axis), keepdims)


def std(x, axis=None, keepdims: bool = False):
    return sqrt(var(x, axis, keepdims))


def logsumexp(x, axis=None, keepdims: bool = False):
    """ln sum e^x, computed as m + ln sum e^(x - m) with m = max x (no overflow)."""
    x = _float(x)
    axis = _axis(axis)
    top = Tensor(np.max(x.data, axis=_tuple_axis(axis), keepdims=True))  # a constant shift
    out = eops.log(eops.sum(eops.exp(x - top), axis, True)) + top
    if not keepdims:
        out = eops.reshape(out, np.sum(x.data, axis=_tuple_axis(axis)).shape)
    return out


def any(x, axis=None, keepdims: bool = False):  # noqa: A001 - NumPy's name
    return Tensor(np.any(values(x), axis=_tuple_axis(axis), keepdims=keepdims))


def all(x, axis=None, keepdims: bool = False):  # noqa: A001 - NumPy's name
    return Tensor(np.all(values(x), axis=_tuple_axis(axis), keepdims=keepdims))


def argmax(x, axis=None, keepdims: bool = False, dtype="int64"):
    """The index of the largest value along ``axis`` (of the flattened array when None)."""
    return _arg(np.argmax, x, axis, keepdims, dtype)


def argmin(x, axis=None, keepdims: bool = False, dtype="int64"):
    return _arg(np.argmin, x, axis, keepdims, dtype)


def _arg(fn, x, axis, keepdims, dtype):
    data = values(x)
    out = fn(data, axis=_axis(axis), keepdims=keepdims)
    return Tensor(np.asarray(out, dtype=as_dtype(dtype, fn.__name__)))


def cumsum(x, axis=None):
    """y_i = sum_{j <= i} x_j (over the flattened array when ``axis`` is None)."""
    x = _t(x)
    if axis is None:
        x, axis = eops.reshape(x, (-1,)), 0
    if x.dtype.kind in "iub":
        return Tensor(np.cumsum(x.data, axis=axis))
    return Cumsum.apply(x, axis=int(axis) % builtins.max(x.ndim, 1))


# ------------------------------------------------------------------ sorting
def argsort(x, axis: int = -1, descending: bool = False):
    """Indices that sort ``x`` along ``axis`` (stable)."""
    data = values(x)
    order = np.argsort(-data if descending else data, axis=axis, kind="stable")
    return Tensor(order.astype(np.int32))


def sort(x, axis: int = -1, descending: bool = False):
    """``x`` sorted along ``axis``; the gradient goes back to where each value came from."""
    x = _t(x)
    order = argsort(x, axis, descending)
    return eops.take_along_axis(x, order.data.astype(np.int64), axis)


TopK = namedtuple("TopK", ["values", "indices"])


def top_k(x, k: int = 1, sorted: bool = True):  # noqa: A002 - TF's name
    """The ``k`` largest entries along the last axis and their indices (values, indices)."""
    x = _t(x)
    if not 1 <= int(k) <= x.shape[-1]:
        raise ValueError(f"top_k: k must lie in [1, {x.shape[-1]}] for a last axis of size "
                         f"{x.shape[-1]}, got {k}")
    order = np.argsort(-x.data, axis=-1, kind="stable")[..., : int(k)]
    return TopK(eops.take_along_axis(x, order, -1), Tensor(order.astype(np.int32)))


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype="int32"):
    """C[i, j] = number (or total weight) of samples of label i predicted as j."""
    labels = values(labels).astype(np.int64).reshape(-1)
    predictions = values(predictions).astype(np.int64).reshape(-1)
    if labels.shape != predictions.shape:
        raise ValueError(f"confusion_matrix: labels and predictions must have the same "
                         f"size, got {labels.size} and {predictions.size}")
    if labels.size and builtins.min(labels.min(), predictions.min()) < 0:
        raise ValueError("confusion_matrix: labels and predictions must be non-negative")
    if num_classes is None:
        num_classes = int(builtins.max(labels.max(initial=-1), predictions.max(initial=-1))) + 1
    if labels.size and builtins.max(labels.max(), predictions.max()) >= num_classes:
        raise ValueError(f"confusion_matrix: a label or prediction is >= num_classes "
                         f"({num_classes})")
    weights = np.ones(labels.size) if weights is None else values(weights).reshape(-1)
    out = np.zeros((num_classes, num_classes), dtype=as_dtype(dtype, "confusion_matrix"))
    np.add.at(out, (labels, predictions), weights.astype(out.dtype))
    return Tensor(out, dtype=out.dtype)
