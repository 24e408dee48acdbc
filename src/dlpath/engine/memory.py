"""Keep the memory NumPy frees inside the process, for the next training step to reuse.

Every training step allocates and frees the same large arrays (im2col matrices,
activations, their gradients: several MB each). By default glibc's malloc gives freed
memory at the top of its heap back to the kernel as soon as more than ``M_TRIM_THRESHOLD``
bytes are free there, and serves large requests with fresh ``mmap`` pages that are unmapped
on free. Either way the next step page-faults, and the kernel zeroes, every page again: on
the CIFAR CNN of ``benchmarks/bench_cnn.py`` that was about 6,800 page faults and 19 ms of
kernel time per step, a third of the step.

`retain_freed_memory` raises both thresholds (``mallopt``), so freed blocks stay in the
heap and are handed out again without a fault. The price is that the process keeps its
peak working set (up to ``trim_threshold`` bytes of free memory) instead of shrinking
between steps, as the caching allocators of deep learning frameworks also do. It changes
the whole process, so it is called explicitly (the benchmarks, ``fit``, ``evaluate`` and
``predict`` do). It does nothing outside Linux with glibc.

`scratch` hands out a reusable buffer for a temporary that dies inside one op (the im2col
matrix of a convolution that is not recorded for backward): at batch 256 that matrix is
larger than glibc's largest heap block (32 MiB), so without reuse every call maps and
page-faults fresh memory for it.
"""

from __future__ import annotations

import ctypes
import math
import sys
import threading

import numpy as np

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3


def retain_freed_memory(trim_threshold: int = 1 << 30, mmap_threshold: int = 32 << 20) -> bool:
    """Let glibc keep up to ``trim_threshold`` bytes of freed memory, and serve requests of
    up to ``mmap_threshold`` bytes (glibc's maximum, 32 MiB) from its heap.

    Returns True when both settings were applied. Applying the same settings again does
    nothing (a prediction loop asks on every call).
    """
    key = (int(trim_threshold), int(mmap_threshold))
    if key in _applied:
        return _applied[key]
    _applied[key] = _apply(*key)
    return _applied[key]


_applied: dict = {}  # (trim_threshold, mmap_threshold) -> whether mallopt took them


def _apply(trim_threshold: int, mmap_threshold: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    applied = mallopt(M_MMAP_THRESHOLD, int(mmap_threshold))
    applied &= mallopt(M_TRIM_THRESHOLD, int(trim_threshold))
    return bool(applied)


_scratch = threading.local()
SCRATCH_LIMIT = 64 << 20  # bytes a thread's reused buffer may grow to


def scratch(shape: tuple, dtype) -> np.ndarray:
    """An uninitialized array of ``shape`` and ``dtype`` in this thread's reusable buffer.

    Only for a temporary that is dead before the next call of `scratch` in the same thread
    (the buffer is shared). The buffer grows to the largest size asked for, up to
    ``SCRATCH_LIMIT`` bytes, and is kept: the price is that much memory per thread that ran
    such an op. A larger request gets an array of its own.
    """
    dtype = np.dtype(dtype)
    size = math.prod(shape) * dtype.itemsize
    if size > SCRATCH_LIMIT:
        return np.empty(shape, dtype)
    buffer = getattr(_scratch, "buffer", None)
    if buffer is None or buffer.nbytes < size:
        buffer = _scratch.buffer = np.empty(max(size, 1), dtype=np.uint8)
    return buffer[:size].view(dtype).reshape(shape)
