"""3-D convolution of NDHWC volumes (video, medical scans), fused and composite.

The same im2col idea as `dlpath.engine.conv`, one axis more: the k_d x k_h x k_w x C
window under every output position is one row of a matrix, read through a strided view of
the padded input and copied once, so the convolution is a single matrix product

    cols[(n, a, i, j), (r, p, q, c)] = x_pad[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w, c]
    y = cols @ K.reshape(kd kh kw C, O) + b                      # (N Do Ho Wo, O)

and, with G = dL/dy reshaped to (N Do Ho Wo, O),

    dL/dK = cols^T G,   dL/db = sum_rows G,
    dL/dx_pad[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w, :] += G[n, a, i, j, :] K[r, p, q]^T

the last one product per window offset (r, p, q) (col2im), each added to its strided place
in one pass. No Python loop runs over pixels.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from dlpath.engine.conv import conv_pads, element_strides, output_size
from dlpath.engine.function import Function
from dlpath.engine.ops import getitem, matmul, pad
from dlpath.engine.ops._coerce import to_tensor


def triple_of(value, name: str, op_name: str) -> tuple:
    """``value`` (an int or three ints) as a triple of positive ints."""
    if isinstance(value, (int, np.integer)):
        value = (int(value),) * 3
    value = tuple(int(v) for v in value)
    if len(value) != 3 or min(value) < 1:
        raise ValueError(f"{op_name}: {name} must be a positive int or a triple of them, "
                         f"got {value}")
    return value


def volume_pads(spatial: tuple, kernel: tuple, strides: tuple, dilation: tuple,
                padding) -> tuple:
    """((front, back), (top, bottom), (left, right)) for 'valid', 'same' or explicit pairs."""
    if isinstance(padding, str) and padding.lower() == "valid":
        return ((0, 0),) * 3
    pads = conv_pads(spatial, kernel, strides, dilation, padding)
    if len(pads) != 3:
        raise ValueError(f"explicit padding must give 3 (before, after) pairs, got {padding}")
    return pads


def pad_spatial(x: np.ndarray, pads: tuple, value: float = 0.0) -> np.ndarray:
    """``x`` (N, *spatial, C) with ``pads`` ((before, after) per spatial axis) of ``value``."""
    if all(p == (0, 0) for p in pads):
        return x
    return np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), constant_values=value)


def crop_spatial(xp: np.ndarray, pads: tuple, spatial: tuple) -> np.ndarray:
    """The inverse of `pad_spatial`: the ``spatial`` block after the ``before`` paddings."""
    index = tuple(slice(lo, lo + size) for (lo, _), size in zip(pads, spatial))
    return xp[(slice(None),) + index]


def offset_slices(offsets: tuple, strides: tuple, out: tuple) -> tuple:
    """The strided slices of one window offset: x_pad[:, o_d :: s_d, o_h :: s_h, ...]."""
    return (slice(None),) + tuple(slice(o, o + s * (n - 1) + 1, s)
                                  for o, s, n in zip(offsets, strides, out))


def volume_windows(xp: np.ndarray, kernel: tuple, strides: tuple, dilation: tuple,
                   out: tuple) -> np.ndarray:
    """Read-only strided view (N, Do, Ho, Wo, kd, kh, kw, C) of every window; no copy."""
    sn, sd, sh, sw, sc = element_strides(xp)
    shape = (xp.shape[0],) + tuple(out) + tuple(kernel) + (xp.shape[-1],)
    step = (sd, sh, sw)
    strides_ = ((sn,) + tuple(a * s for a, s in zip(step, strides))
                + tuple(a * d for a, d in zip(step, dilation)) + (sc,))
    return as_strided(xp, shape, strides_, writeable=False)


class Conv3d(Function):
    """Cross-correlation of NDHWC ``x`` with ``kernel`` (kd, kh, kw, C, O), plus ``bias``:

    y[n, a, i, j, o] = b[o] + sum_{r, p, q, c}
                       x_pad[n, a s_d + r d_d, i s_h + p d_h, j s_w + q d_w, c] K[r, p, q, c, o]

    As matrices (module docstring): y = cols K + b; dL/dK = cols^T G, dL/db = sum_rows G,
    dL/dx = col2im(G K^T) with the padding cut away.
    """

    def forward(self, x, kernel, *bias, strides, pads, dilation):
        kd, kh, kw, c, o = kernel.shape
        out = tuple(output_size(n, k, s, d, *p) for n, k, s, d, p in
                    zip(x.shape[1:4], kernel.shape[:3], strides, dilation, pads))
        xp = np.ascontiguousarray(pad_spatial(x, pads))
        view = volume_windows(xp, kernel.shape[:3], strides, dilation, out)
        cols = np.ascontiguousarray(view).reshape(-1, kd * kh * kw * c)  # (N Do Ho Wo, k C)
        y = cols @ kernel.reshape(-1, o)  # (N Do Ho Wo, O)
        if bias:
            y += bias[0]
        self.cols, self.kernel, self.padded_shape = cols, kernel, xp.shape
        self.spatial, self.out, self.has_bias = x.shape[1:4], out, bool(bias)
        self.strides, self.pads, self.dilation = strides, pads, dilation
        return y.reshape((x.shape[0],) + out + (o,))

    def backward(self, grad):
        o = self.kernel.shape[-1]
        g = grad.reshape(-1, o)  # (N Do Ho Wo, O)
        dx = dk = db = None
        if self.needs_grad[1]:
            dk = (self.cols.T @ g).reshape(self.kernel.shape)
        if self.has_bias and self.needs_grad[2]:
            db = g.sum(axis=0)
        if self.needs_grad[0]:
            dxp = np.zeros(self.padded_shape, grad.dtype)
            block_shape = grad.shape[:-1] + (self.kernel.shape[3],)  # (N, Do, Ho, Wo, C)
            for offset in np.ndindex(*self.kernel.shape[:3]):
                start = tuple(r * d for r, d in zip(offset, self.dilation))
                block = g @ self.kernel[offset].T  # (N Do Ho Wo, C)
                dxp[offset_slices(start, self.strides, self.out)] += block.reshape(block_shape)
            dx = crop_spatial(dxp, self.pads, self.spatial)
        self.cols = None
        return (dx, dk, db) if self.has_bias else (dx, dk)


def _geometry(x, kernel, strides, padding, dilation_rate):
    op = "conv3d"
    if x.ndim != 5:
        raise ValueError(f"{op}: expected an NDHWC input of rank 5, got shape {x.shape}")
    if kernel.ndim != 5:
        raise ValueError(f"{op}: expected a kernel of rank 5 (kd, kh, kw, in, out), got "
                         f"shape {kernel.shape}")
    if kernel.shape[3] != x.shape[-1]:
        raise ValueError(f"{op}: the input has {x.shape[-1]} channels (shape {x.shape}) but "
                         f"the kernel of shape {kernel.shape} expects {kernel.shape[3]}")
    strides = triple_of(strides, "strides", op)
    dilation = triple_of(dilation_rate, "dilation_rate", op)
    pads = volume_pads(x.shape[1:4], kernel.shape[:3], strides, dilation, padding)
    out = tuple(output_size(n, k, s, d, *p) for n, k, s, d, p in
                zip(x.shape[1:4], kernel.shape[:3], strides, dilation, pads))
    if min(out) < 1:
        raise ValueError(f"{op}: the input of shape {x.shape} is smaller than the dilated "
                         f"kernel {kernel.shape[:3]} (dilation {dilation}) with padding {pads}")
    return strides, dilation, pads, out


def _bias(bias, channels: int):
    if bias is None:
        return ()
    bias = to_tensor(bias)
    if bias.shape != (channels,):
        raise ValueError(f"conv3d: expected a bias of shape ({channels},), got {bias.shape}")
    return (bias,)


def conv3d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """3-D convolution of NDHWC ``x`` with ``kernel`` (kd, kh, kw, C, O) (Keras' layout).

    ``padding``: 'valid', 'same' (ceil(size / stride) outputs, the odd pad after) or
    explicit ((front, back), (top, bottom), (left, right)).
    """
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides, dilation, pads, _ = _geometry(x, kernel, strides, padding, dilation_rate)
    bias = _bias(bias, kernel.shape[4])
    return Conv3d.apply(x, kernel, *bias, strides=strides, pads=pads, dilation=dilation)


def conv3d_composite(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """conv3d from primitives, the reference for `Conv3d`:
    y = sum_{r, p, q} x_pad[:, r d_d :: s_d, p d_h :: s_h, q d_w :: s_w, :] @ K[r, p, q] (+ b)."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides, dilation, pads, out = _geometry(x, kernel, strides, padding, dilation_rate)
    xp = pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    y = None
    for offset in np.ndindex(*kernel.shape[:3]):
        start = tuple(r * d for r, d in zip(offset, dilation))
        patch = getitem(xp, offset_slices(start, strides, out))  # (N, Do, Ho, Wo, C)
        term = matmul(patch, getitem(kernel, offset))  # (N, Do, Ho, Wo, O)
        y = term if y is None else y + term
    return y if bias is None else y + bias


__all__ = ["Conv3d", "conv3d", "conv3d_composite", "triple_of", "volume_pads"]
