"""1-D variants of the image convolutions: transposed and depthwise conv1d on (N, T, C).

Each is the 2-D fused primitive on an image of height 1, as `conv.conv1d` is: the sequence
becomes (N, 1, T, C), the kernel gains a leading axis of size 1, and the output loses it
again. The forward and backward rules are those of `conv.Conv2dTranspose` and
`conv.DepthwiseConv2d` (their docstrings give the formulas); along the time axis they read

    transposed:  y[n, t s + p d, o] += x[n, t, c] K[p, o, c]   (then Keras' crop), + b[o]
    depthwise:   y[n, t, c m + k] = b + sum_p x_pad[n, t s + p d, c] K[p, c, k]
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.conv import conv2d_transpose, depthwise_conv2d
from dlpath.engine.ops import reshape
from dlpath.engine.ops._coerce import to_tensor


def _one(value, name: str, op_name: str) -> int:
    """An int or a 1-tuple as an int."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ValueError(f"{op_name}: {name} must be an int or 1 int, got {value!r}")
        value = value[0]
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{op_name}: {name} must be an int, got {value!r}")
    return int(value)


def _check_ranks(op_name: str, x, kernel) -> None:
    if x.ndim != 3:
        raise ValueError(f"{op_name}: expected an input of rank 3 (batch, steps, channels), "
                         f"got shape {x.shape}")
    if kernel.ndim != 3:
        raise ValueError(f"{op_name}: expected a kernel of rank 3, got shape {kernel.shape}")


def conv1d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                     dilation_rate=1):
    """Transposed 1-D convolution of ``x`` (N, T, C) with ``kernel`` (k, O, C), Keras'
    Conv1DTranspose layout (filters before input channels).

    Output length, k' = (k - 1) d + 1: 'valid' T s + max(k' - s, 0); 'same' T s; with
    ``output_padding`` a: (T - 1) s + k' - 2 pad + a, pad = k' // 2 ('same') or 0.
    """
    x, kernel = to_tensor(x), to_tensor(kernel)
    _check_ranks("conv1d_transpose", x, kernel)
    stride = _one(strides, "strides", "conv1d_transpose")
    dilation = _one(dilation_rate, "dilation_rate", "conv1d_transpose")
    extra = None if output_padding is None else (
        0, _one(output_padding, "output_padding", "conv1d_transpose"))
    out = conv2d_transpose(reshape(x, (x.shape[0], 1) + x.shape[1:]),
                           reshape(kernel, (1,) + kernel.shape), bias, (1, stride), padding,
                           extra, (1, dilation))  # (N, 1, T', O)
    return reshape(out, (out.shape[0],) + out.shape[2:])


def depthwise_conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise 1-D convolution of ``x`` (N, T, C) with ``kernel`` (k, C, m): every channel
    c gets its own m filters, output channel c m + k. ``padding``: 'valid', 'same' (Keras'
    ceil(T / s) outputs) or 'causal' ((k - 1) d zeros before the sequence only)."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    _check_ranks("depthwise_conv1d", x, kernel)
    stride = _one(strides, "strides", "depthwise_conv1d")
    dilation = _one(dilation_rate, "dilation_rate", "depthwise_conv1d")
    if isinstance(padding, str) and padding.lower() == "causal":
        pads = ((0, 0), ((kernel.shape[0] - 1) * dilation, 0))
    elif isinstance(padding, str):
        pads = padding
    else:
        pads = ((0, 0), tuple(padding))
    out = depthwise_conv2d(reshape(x, (x.shape[0], 1) + x.shape[1:]),
                           reshape(kernel, (1,) + kernel.shape), bias, (1, stride), pads,
                           (1, dilation))  # (N, 1, T', C m)
    return reshape(out, (out.shape[0],) + out.shape[2:])


__all__ = ["conv1d_transpose", "depthwise_conv1d"]
