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


def conv3d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                     dilation_rate=1):
    """Transposed 3-D convolution of NDHWC ``x`` with ``kernel`` (kd, kh, kw, O, C), Keras'
    Conv3DTranspose layout; output sizes as Keras (see `conv.transpose_output_size`)."""
    op = "conv3d_transpose"
    x, kernel = to_tensor(x), to_tensor(kernel)
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
    if bias is not None:
        bias = to_tensor(bias)
        if bias.shape != (kernel.shape[3],):
            raise ValueError(f"{op}: expected a bias of shape ({kernel.shape[3]},), got "
                             f"{bias.shape}")
    return Conv3dTranspose.apply(x, kernel, *(() if bias is None else (bias,)),
                                 strides=strides, dilation=dilation,
                                 out=tuple(s for s, _ in sizes), tops=tuple(t for _, t in sizes))


__all__ = ["Conv3dTranspose", "conv3d_transpose"]
