"""Window functions, correlation and pairwise distances, saturating casts, and the complex
number accessors (dlpath tensors are real, so ``real`` is the identity and ``imag`` zero)."""

from __future__ import annotations

import builtins
import math as _math

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops import array
from dlpath.ops._convert import as_dtype, convert_to_tensor, values
from dlpath.ops.math import _float, cast, clip


def _window(values_) -> Tensor:
    return Tensor(np.asarray(values_, dtype=np.float32), dtype=np.float32)


def bartlett(x):
    return _window(np.bartlett(int(values(x))))


def blackman(x):
    return _window(np.blackman(int(values(x))))


def hamming(x):
    return _window(np.hamming(int(values(x))))


def hanning(x):
    return _window(np.hanning(int(values(x))))


def kaiser(x, beta):
    return _window(np.kaiser(int(values(x)), float(values(beta))))


def correlate(x1, x2, mode: str = "valid"):
    """np.correlate of two 1-D tensors: c_k = sum_n x1[n + k] x2[n] (differentiable)."""
    a, v = _float(x1), _float(x2)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"correlate: x1 and x2 must be 1-D, got shapes {a.shape} and "
                         f"{v.shape}")
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: mode must be 'valid', 'same' or 'full', got {mode!r}")
    if a.dtype != v.dtype:
        dtype = np.result_type(a.dtype, v.dtype)
        a, v = eops.cast(a, dtype), eops.cast(v, dtype)
    n, m = a.shape[0], v.shape[0]
    padded = eops.pad(a, [(m - 1, m - 1)], 0.0)  # (n + 2m - 2,)
    windows = eops.getitem(padded, (np.arange(n + m - 1)[:, None] + np.arange(m)[None, :],))
    full = eops.matmul(windows, eops.reshape(v, (m, 1)))
    full = eops.reshape(full, (n + m - 1,))
    if mode == "full":
        return full
    if mode == "same":
        length = builtins.max(n, m)
        excess = n + m - 1 - length  # NumPy centres with the odd one out in front if n < m
        start = (excess + 1) // 2 if n < m else excess // 2
        return eops.getitem(full, (slice(start, start + length),))
    start = m - 1 if n >= m else n - 1
    length = builtins.abs(n - m) + 1
    return eops.getitem(full, (slice(start, start + length),))


def cdist(x1, x2, p=2.0):
    """Pairwise distances: out[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p."""
    a, b = _float(x1), _float(x2)
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(f"cdist: x1 and x2 must be (..., P, M) and (..., R, M), got "
                         f"{a.shape} and {b.shape}")
    diff = eops.reshape(a, a.shape[:-1] + (1, a.shape[-1])) - eops.reshape(
        b, b.shape[:-2] + (1,) + b.shape[-2:])  # (..., P, R, M)
    p = float(p)
    if p == 2.0:
        return eops.sqrt(eops.sum(diff * diff, -1))
    if p == 1.0:
        return eops.sum(eops.abs(diff), -1)
    if _math.isinf(p):
        return eops.max(eops.abs(diff), -1)
    return eops.pow(eops.sum(eops.pow(eops.abs(diff), p), -1), 1.0 / p)


def saturate_cast(x, dtype):
    """``x`` clipped to the range of ``dtype``, then cast (no wrap-around)."""
    dtype = as_dtype(dtype, "saturate_cast")
    x = convert_to_tensor(x)
    info = np.iinfo(dtype) if dtype.kind in "iu" else (
        np.finfo(dtype) if dtype.kind == "f" else None)
    if info is not None and x.dtype.kind in "fiu":
        low = builtins.max(float(info.min), float(_limits(x.dtype)[0]))
        high = builtins.min(float(info.max), float(_limits(x.dtype)[1]))
        x = clip(x, np.asarray(low, x.dtype), np.asarray(high, x.dtype))
    return cast(x, dtype)


def _limits(dtype):
    info = np.iinfo(dtype) if dtype.kind in "iu" else np.finfo(dtype)
    return info.min, info.max


def real(x):
    """The real part: ``x`` itself."""
    return convert_to_tensor(x)


def imag(x):
    """The imaginary part: zeros."""
    return array.zeros_like(x)


def conj(x):
    """The complex conjugate: ``x`` itself."""
    return convert_to_tensor(x)


conjugate = conj


def angle(x):
    """The argument: pi for negative values, else 0 (a constant)."""
    data = values(x)
    out = np.angle(data).astype(data.dtype if data.dtype.kind == "f" else np.float32)
    return Tensor(out, dtype=out.dtype)
