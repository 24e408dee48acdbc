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


# ------------------------------------------------------------------ short-time transforms
def _stft_window(window, sequence_length: int, fft_length: int, dtype, owner: str) -> Tensor:
    """The window of ``sequence_length`` (a scipy name such as 'hann', a tensor, or None for
    ones), zero-padded to ``fft_length`` on both sides equally, as Keras does."""
    if sequence_length > fft_length:
        raise ValueError(f"{owner}: sequence_length ({sequence_length}) must be <= "
                         f"fft_length ({fft_length})")
    if window is None:
        win = np.ones(sequence_length)
    elif isinstance(window, str):
        from scipy.signal import get_window  # SciPy's windows load only when named

        win = get_window(window, sequence_length)
    else:
        win = np.asarray(getattr(window, "data", window), dtype=np.float64)
        if win.shape != (sequence_length,):
            raise ValueError(f"{owner}: window must have shape ({sequence_length},), got "
                             f"{win.shape}")
    left = (fft_length - sequence_length) // 2
    win = np.pad(win, (left, fft_length - sequence_length - left))
    return Tensor(win.astype(dtype), dtype=dtype)


def stft(x, sequence_length: int, sequence_stride: int, fft_length: int, window="hann",
         center: bool = True):
    """The short-time Fourier transform over the last axis: frames of ``fft_length`` every
    ``sequence_stride`` samples (after reflect-padding fft_length // 2 each side when
    ``center``), times the window, then rfft; returns (real, imag) of shape
    (..., frames, fft_length // 2 + 1)."""
    from dlpath.ops.padding import pad

    x = _float(x)
    if center:
        x = pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)], "reflect")
    n = x.shape[-1]
    if n < fft_length:
        raise ValueError(f"stft: the signal ({n} samples) is shorter than fft_length "
                         f"({fft_length})")
    frames = 1 + (n - fft_length) // int(sequence_stride)
    index = np.arange(frames)[:, None] * int(sequence_stride) + np.arange(fft_length)
    framed = x[..., index]  # (..., frames, fft_length)
    win = _stft_window(window, int(sequence_length), int(fft_length), x.dtype, "stft")
    return rfft(framed * win, fft_length)


def istft(x, sequence_length: int, sequence_stride: int, fft_length: int, length=None,
          window="hann", center: bool = True):
    """The inverse of `stft`: irfft of each frame, times the window, overlap-added and divided
    by the overlapped squared window; ``center`` drops the padding ``stft`` added and
    ``length`` cuts or zero-pads the result."""
    from dlpath.ops.primitives_more import ScatterAdd

    frames = irfft(x, fft_length)  # (..., frames, fft_length)
    count = frames.shape[-2]
    win = _stft_window(window, int(sequence_length), int(fft_length), frames.dtype, "istft")
    stride = int(sequence_stride)
    total = (count - 1) * stride + int(fft_length)
    positions = (np.arange(count)[:, None] * stride + np.arange(fft_length)).reshape(-1)
    lead = frames.shape[:-2]
    windowed = eops.reshape(frames * win, (-1, count * int(fft_length)))  # (B, F * L)
    moved = eops.transpose(windowed, (1, 0))  # (F * L, B)
    summed = ScatterAdd.apply(moved, index=(positions,), shape=(total, moved.shape[1]))
    signal = eops.reshape(eops.transpose(summed, (1, 0)), lead + (total,))
    norm = np.zeros(total)
    np.add.at(norm, positions, np.tile(win.data.astype(np.float64) ** 2, count))
    signal = signal / Tensor(np.where(norm > 1e-11, norm, 1.0).astype(signal.dtype),
                             dtype=signal.dtype)
    start = int(fft_length) // 2 if center else 0
    if length is not None:
        return _fit_last(signal[..., start:], int(length))
    return signal[..., start: total - start]
