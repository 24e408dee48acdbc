"""Keras 3's Fourier transforms: ``fft``, ``fft2``, ``ifft2`` on (real, imag) pairs, and
``rfft`` / ``irfft`` for real signals, over the last axis (or the last two).

dlpath tensors are real, so a complex tensor is a (real, imag) pair, as Keras passes it.
Everything is differentiable: the DFT is the `FFT` primitive of
`dlpath.ops.primitives_more`; rfft and irfft are composed from it.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import ops as eops
from dlpath.ops.math import _float
from dlpath.ops.primitives_more import FFT


def _pair(x, owner: str):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise TypeError(f"{owner}: x must be a (real, imag) pair of tensors, got "
                        f"{type(x).__name__}")
    real, imag = _float(x[0]), _float(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"{owner}: real and imag must have one shape, got {real.shape} and "
                         f"{imag.shape}")
    if imag.dtype != real.dtype:
        imag = eops.cast(imag, real.dtype)
    return real, imag


def _transform(real: Tensor, imag: Tensor, last: int, inverse: bool, owner: str):
    if real.ndim < last:
        raise ValueError(f"{owner}: x must have at least {last} axes, got shape {real.shape}")
    axes = tuple(range(real.ndim - last, real.ndim))
    out = FFT.apply(real, imag, axes=axes, inverse=inverse)
    return out[0], out[1]


def fft(x):
    """The DFT over the last axis: X_k = sum_n x_n e^(-2 pi i k n / N)."""
    return _transform(*_pair(x, "fft"), 1, False, "fft")


def fft2(x):
    """The DFT over the last two axes."""
    return _transform(*_pair(x, "fft2"), 2, False, "fft2")


def ifft2(x):
    """The inverse DFT over the last two axes (normalized by 1/(M N))."""
    return _transform(*_pair(x, "ifft2"), 2, True, "ifft2")


def _fit_last(x: Tensor, length: int) -> Tensor:
    """``x`` cut or zero-padded to ``length`` along the last axis."""
    n = x.shape[-1]
    if n >= length:
        return x[..., :length]
    return eops.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, length - n)], 0.0)


def rfft(x, fft_length=None):
    """The DFT of a real signal over the last axis, non-negative frequencies only:
    ``fft_length // 2 + 1`` of them (the input is cut or zero-padded to ``fft_length``)."""
    x = _float(x)
    n = x.shape[-1] if fft_length is None else int(fft_length)
    x = _fit_last(x, n)
    zeros = Tensor(np.zeros(x.shape, dtype=x.dtype), dtype=x.dtype)
    real, imag = _transform(x, zeros, 1, False, "rfft")
    return real[..., : n // 2 + 1], imag[..., : n // 2 + 1]


def irfft(x, fft_length=None):
    """The real signal of length ``fft_length`` (2 (m - 1) by default) whose rfft is the
    (real, imag) pair ``x`` of m frequencies: the inverse DFT of its Hermitian extension."""
    real, imag = _pair(x, "irfft")
    m = real.shape[-1]
    n = 2 * (m - 1) if fft_length is None else int(fft_length)
    if n < 1:
        raise ValueError(f"irfft: fft_length must be >= 1, got {n}")
    half = n // 2 + 1
    real, imag = _fit_last(real, half), _fit_last(imag, half)
    mirror = slice(n - half, 0, -1)  # X[n - k] for k = half .. n - 1
    full_real = eops.concatenate([real, real[..., mirror]], axis=-1)
    full_imag = eops.concatenate([imag, -imag[..., mirror]], axis=-1)
    return _transform(full_real, full_imag, 1, True, "irfft")[0]
