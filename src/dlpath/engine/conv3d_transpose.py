"""Transposed 3-D convolution of NDHWC volumes: the adjoint of `conv3d.Conv3d`.

With x (N, D, H, W, C) and the Keras Conv3DTranspose kernel K (kd, kh, kw, O, C), the full
transposed output (before Keras' crop) adds one product per kernel offset (r, p, q):

    y_full[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w, :] += x[n, a, i, j, :] K[r, p, q]^T

then y = y_full[crop] + b (the crop is the padding of the conv3d it is the adjoint of; an
``output_padding`` may ask for planes past y_full, which stay zero before the bias). With
G = dL/dy zero-padded back to the full buffer (G_full):

    dL/dx[n, a, i, j, :] = sum_{r, p, q} G_full[n, a s_d + r d_d, ...] K[r, p, q]   (a conv3d)
    dL/dK[r, p, q] = sum_{n, a, i, j} G_full[n, a s_d + r d_d, ...]^T x[n, a, i, j]
    dL/db = sum G
"""

from __future__ import annotations

import numpy as np

from dlpath.engine.conv import transpose_output_size
from dlpath.engine.conv3d import crop_spatial, offset_slices, pad_spatial, triple_of
from dlpath.engine.function import Function
from dlpath.engine.ops import getitem, matmul, pad, reshape
from dlpath.engine.ops._coerce import to_tensor


class Conv3dTranspose(Function):
    """y = crop(sum_offsets place(x K[offset]^T)) + b; backward as in the module docstring.

    ``out`` is the output size per spatial axis, ``tops`` the planes cropped before it.
    """

    def forward(self, x, kernel, *bias, strides, dilation, out, tops):
        n, o = x.shape[0], kernel.shape[3]
        spatial = x.shape[1:4]
        full = tuple((m - 1) * s + (k - 1) * d + 1 for m, k, s, d in
                     zip(spatial, kernel.shape[:3], strides, dilation))
        size = tuple(max(f, t + m) for f, t, m in zip(full, tops, out))
        ybuf = np.zeros((n,) + size + (o,), np.result_type(x, kernel))
        rows = x.reshape(-1, x.shape[-1])  # (N D H W, C)
        for offset in np.ndindex(*kernel.shape[:3]):
            start = tuple(r * d for r, d in zip(offset, dilation))
            block = (rows @ kernel[offset].T).reshape(x.shape[:4] + (o,))  # (N, D, H, W, O)
            ybuf[offset_slices(start, strides, spatial)] += block
        self.pads = tuple((t, b - t - m) for t, b, m in zip(tops, size, out))
        y = np.ascontiguousarray(crop_spatial(ybuf, self.pads, out))
        if bias:
            y += bias[0]
        self.x, self.kernel, self.strides, self.dilation = x, kernel, strides, dilation
        return y

    def backward(self, grad):
        x, kernel = self.x, self.kernel
        gp = pad_spatial(grad, self.pads)  # (N, buffer..., O)
        rows = x.reshape(-1, x.shape[-1])
        dx = np.zeros_like(x) if self.needs_grad[0] else None
        dk = np.zeros_like(kernel) if self.needs_grad[1] else None
        for offset in np.ndindex(*kernel.shape[:3]):
            start = tuple(r * d for r, d in zip(offset, self.dilation))
            window = gp[offset_slices(start, self.strides, x.shape[1:4])]  # (N, D, H, W, O)
            flat = window.reshape(-1, kernel.shape[3])
            if dx is not None:
                dx += (flat @ kernel[offset]).reshape(x.shape)
            if dk is not None:
                dk[offset] = flat.T @ rows
        db = grad.reshape(-1, grad.shape[-1]).sum(axis=0) if len(self.needs_grad) > 2 and \
            self.needs_grad[2] else None
        return (dx, dk) if len(self.needs_grad) == 2 else (dx, dk, db)


def _geometry(x, kernel, strides, padding, output_padding, dilation_rate) -> tuple:
    """(strides, dilation, output sizes, top crops), or an error naming the op."""
    op = "conv3d_transpose"
    if x.ndim != 5 or kernel.ndim != 5:
        raise ValueError(f"{op}: expected an NDHWC input and a kernel of rank 5, got shapes "
                         f"{x.shape} and {kernel.shape}")
    if kernel.shape[4] != x.shape[-1]:
        raise ValueError(f"{op}: the input has {x.shape[-1]} channels (shape {x.shape}) but "
                         f"the kernel of shape {kernel.shape} expects {kernel.shape[4]}")
    strides = triple_of(strides, "strides", op)
    dilation = triple_of(dilation_rate, "dilation_rate", op)
    extra = (None,) * 3
    if output_padding is not None:
        extra = (output_padding,) * 3 if isinstance(output_padding, (int, np.integer)) \
            else tuple(int(a) for a in output_padding)
        if len(extra) != 3 or not all(0 <= a < s for a, s in zip(extra, strides)):
            raise ValueError(f"{op}: output_padding {output_padding} must be 3 non-negative "
                             f"ints smaller than the strides {strides}")
    sizes = [transpose_output_size(x.shape[1 + a], kernel.shape[a], strides[a], dilation[a],
                                   padding, extra[a]) for a in range(3)]
    return strides, dilation, tuple(n for n, _ in sizes), tuple(t for _, t in sizes)


def _checked_bias(bias, channels: int) -> tuple:
    if bias is None:
        return ()
    bias = to_tensor(bias)
    if bias.shape != (channels,):
        raise ValueError(f"conv3d_transpose: expected a bias of shape ({channels},), got "
                         f"{bias.shape}")
    return (bias,)


def conv3d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                     dilation_rate=1):
    """Transposed 3-D convolution of NDHWC ``x`` with ``kernel`` (kd, kh, kw, O, C), Keras'
    Conv3DTranspose layout; output sizes as Keras (see `conv.transpose_output_size`)."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides, dilation, out, tops = _geometry(x, kernel, strides, padding, output_padding,
                                             dilation_rate)
    bias = _checked_bias(bias, kernel.shape[3])
    return Conv3dTranspose.apply(x, kernel, *bias, strides=strides, dilation=dilation,
                                 out=out, tops=tops)


def conv3d_transpose_composite(x, kernel, bias=None, strides=1, padding="valid",
                               output_padding=None, dilation_rate=1):
    """The transposed conv3d from primitives, the reference for `Conv3dTranspose`: dilate x
    by the strides (reshape, pad, slice), then y_full = sum_{r, p, q} pad(x_dil K[r, p, q]^T
    at offset (r d_d, p d_h, q d_w)), crop to Keras' size, + b."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides, dilation, out, tops = _geometry(x, kernel, strides, padding, output_padding,
                                             dilation_rate)
    n, d, h, w, c = x.shape
    grid = reshape(x, (n, d, 1, h, 1, w, 1, c))
    grid = pad(grid, ((0, 0), (0, 0), (0, strides[0] - 1), (0, 0), (0, strides[1] - 1),
                      (0, 0), (0, strides[2] - 1), (0, 0)))
    xd = reshape(grid, (n, d * strides[0], h * strides[1], w * strides[2], c))
    dilated = tuple((m - 1) * s + 1 for m, s in zip((d, h, w), strides))
    xd = getitem(xd, (slice(None),) + tuple(slice(0, m) for m in dilated))
    full = tuple(m + (k - 1) * r for m, k, r in zip(dilated, kernel.shape[:3], dilation))
    size = tuple(max(f, t + m) for f, t, m in zip(full, tops, out))
    y = None
    for offset in np.ndindex(*kernel.shape[:3]):
        term = matmul(xd, getitem(kernel, offset).T)  # (N, Dd, Hd, Wd, O)
        starts = tuple(r * q for r, q in zip(offset, dilation))
        term = pad(term, ((0, 0),) + tuple((a, z - a - m) for a, z, m in
                                           zip(starts, size, dilated)) + ((0, 0),))
        y = term if y is None else y + term
    y = getitem(y, (slice(None),) + tuple(slice(t, t + m) for t, m in zip(tops, out)))
    return y if bias is None else y + bias


__all__ = ["Conv3dTranspose", "conv3d_transpose", "conv3d_transpose_composite"]
