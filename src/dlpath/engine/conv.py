"""Convolutions on NHWC images: conv2d, conv1d, transposed conv2d and depthwise conv2d.

Each is a fused primitive (a `Function` with forward and backward side by side) built on one
idea, im2col (Chellapilla et al. 2006, "High Performance Convolutional Neural Networks for
Document Processing"): the k_h x k_w x C window under every output position is copied into a
row of a matrix, so the whole convolution is a single matrix product

    cols[(n, i, j), (p, q, c)] = x_pad[n, i s_h + p d_h, j s_w + q d_w, c]    # (N Ho Wo, kh kw C)
    y = cols @ K.reshape(kh kw C, O)                                          # (N Ho Wo, O)

and, with G = dL/dy reshaped to (N Ho Wo, O),

    dL/dK    = cols^T G                       (one matrix product)
    dL/dcols = G K^T,   dL/dx = col2im(dL/dcols)   (the adjoint of the copy: add each window
                                                     back in place)

The windows are read through a strided view of the padded input (no index arrays), and
NHWC makes the product's output already the NHWC result, so no layout transpose is needed.
A bias rides along as a column of ones in cols (so neither the forward add nor the backward
sum is a pass of its own), and col2im computes G K[p, q]^T one window offset at a time, so
each block it adds back is contiguous.

The transposed convolution is the adjoint of conv2d: its forward is conv2d's input
gradient, its input gradient is conv2d's forward. Each fused op has a composite twin built
from primitive ops (pad, slicing, matmul, sum), used by the tests as the reference.
"""

from __future__ import annotations

import mmap

import numpy as np
from numpy.lib.stride_tricks import as_strided

from dlpath.engine.function import Function
from dlpath.engine.memory import scratch
from dlpath.engine.ops import getitem, matmul, pad, reshape
from dlpath.engine.ops._coerce import to_tensor


# ---------------------------------------------------------------------------------- sizes
def pair_of(value, name: str, op_name: str) -> tuple:
    """``value`` (an int or a pair) as a pair of positive ints."""
    if isinstance(value, (int, np.integer)):
        value = (int(value), int(value))
    value = tuple(int(v) for v in value)
    if len(value) != 2 or min(value) < 1:
        raise ValueError(f"{op_name}: {name} must be a positive int or a pair of them, "
                         f"got {value}")
    return value


def same_pads(size: int, kernel: int, stride: int, dilation: int = 1) -> tuple:
    """Keras/TensorFlow 'same' padding of one axis: (before, after), the extra one after.

    out = ceil(size / stride);  total = max((out - 1) stride + (kernel - 1) dilation + 1 - size, 0)
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def conv_pads(shape: tuple, kernel: tuple, strides: tuple, dilation: tuple, padding) -> tuple:
    """((top, bottom), (left, right)) for 'valid', 'same' or explicit pairs."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return (0, 0), (0, 0)
        if mode == "same":
            return tuple(same_pads(n, k, s, d) for n, k, s, d in
                         zip(shape, kernel, strides, dilation))
        raise ValueError(f"padding must be 'valid' or 'same', got '{padding}'")
    return tuple((int(lo), int(hi)) for lo, hi in padding)


def output_size(size: int, kernel: int, stride: int, dilation: int, before: int,
                after: int) -> int:
    """floor((size + before + after - (kernel - 1) dilation - 1) / stride) + 1."""
    return (size + before + after - (kernel - 1) * dilation - 1) // stride + 1


# ---------------------------------------------------------------------------------- im2col
def pad_nhwc(x: np.ndarray, pads: tuple, value: float = 0.0) -> np.ndarray:
    """``x`` (N, H, W, C) with ``pads`` rows/columns of ``value`` around H and W."""
    (top, bottom), (left, right) = pads
    if top == bottom == left == right == 0:
        return x
    n, h, w, c = x.shape
    out = np.empty((n, h + top + bottom, w + left + right, c), dtype=x.dtype)
    if value == 0:
        out[:, :top] = 0
        out[:, top + h:] = 0
        out[:, top:top + h, :left] = 0
        out[:, top:top + h, left + w:] = 0
    else:
        out[:, :top] = value
        out[:, top + h:] = value
        out[:, top:top + h, :left] = value
        out[:, top:top + h, left + w:] = value
    out[:, top:top + h, left:left + w] = x
    return out


def element_strides(xp: np.ndarray) -> tuple:
    """The strides of ``xp``'s axes, in bytes, that window views may combine.

    NumPy calls an array C-contiguous whatever the stride of an axis of size 1, and
    ``x[..., None]`` gives the new channel axis a stride of 0; a view that merges the
    (kw, C) axes into one run must use the true element stride, so contiguous arrays get
    their canonical strides.
    """
    if not xp.flags.c_contiguous:
        return xp.strides
    strides, step = [], xp.itemsize
    for size in reversed(xp.shape):
        strides.append(step)
        step *= size
    return tuple(reversed(strides))


def windows(xp: np.ndarray, kernel: tuple, strides: tuple, dilation: tuple,
            out_hw: tuple) -> np.ndarray:
    """Read-only strided view (N, Ho, Wo, kh, kw, C) of every window of ``xp``; no copy."""
    n, _, _, c = xp.shape
    sn, sh, sw, sc = element_strides(xp)
    shape = (n, out_hw[0], out_hw[1], kernel[0], kernel[1], c)
    strides_ = (sn, sh * strides[0], sw * strides[1], sh * dilation[0], sw * dilation[1], sc)
    return as_strided(xp, shape, strides_, writeable=False)


def im2col(xp: np.ndarray, kernel: tuple, strides: tuple, dilation: tuple, out_hw: tuple,
           out: np.ndarray | None = None) -> np.ndarray:
    """The windows of ``xp`` as rows: (N Ho Wo, kh kw C), C-contiguous (copied once).

    ``out`` may be given with one more column than that: the column is then set to ones,
    so that a bias stacked under the kernel rides along in the same matrix products:
    [cols 1] [K; b] = cols K + b  and  [cols 1]^T G = [dL/dK; dL/db].
    """
    n, _, _, c = xp.shape
    kh, kw = kernel
    width = kh * kw * c
    if out is None:
        out = np.empty((n * out_hw[0] * out_hw[1], width), dtype=xp.dtype)
    if out.shape[1] > width:
        out[:, width] = 1
    cols = out[:, :width].reshape(n, out_hw[0], out_hw[1], kh, kw * c)
    if dilation[1] == 1 and xp.flags.c_contiguous:
        # The kw C values of one window row are contiguous: copy them as one run.
        # A view made straight on xp's buffer (as_strided costs ~5 us more per call).
        sn, sh, sw, sc = element_strides(xp)
        view = np.ndarray(cols.shape, xp.dtype, buffer=xp, strides=(
            sn, sh * strides[0], sw * strides[1], sh * dilation[0], sc))
        np.copyto(cols, view)
    else:
        np.copyto(cols.reshape(n, out_hw[0], out_hw[1], kh, kw, c),
                  windows(xp, kernel, strides, dilation, out_hw))
    return out


def col2im(grad: np.ndarray, kernel: np.ndarray, dxp: np.ndarray, strides: tuple,
           dilation: tuple) -> np.ndarray:
    """The adjoint of `im2col` applied to G K^T, added into ``dxp`` (N, Hp, Wp, C) without
    forming G K^T (N Ho Wo, kh kw C):

        dL/dx_pad[n, i s_h + p d_h, j s_w + q d_w, :] += G[n, i, j, :] K[p, q]^T

    one matrix product per window offset (p, q), each giving a contiguous (N, Ho, Wo, C)
    block that is added to its strided place in one pass.
    """
    n, ho, wo, o = grad.shape
    kh, kw, c, _ = kernel.shape
    g = grad.reshape(-1, o)  # (N Ho Wo, O)
    block = np.empty((g.shape[0], c), dtype=dxp.dtype)  # (N Ho Wo, C)
    sh, sw = strides
    for p in range(kh):
        rows = slice(p * dilation[0], p * dilation[0] + sh * (ho - 1) + 1, sh)
        for q in range(kw):
            cols = slice(q * dilation[1], q * dilation[1] + sw * (wo - 1) + 1, sw)
            np.matmul(g, kernel[p, q].T, out=block)
            dxp[:, rows, cols, :] += block.reshape(n, ho, wo, c)
    return dxp


_zero_map: dict = {"buffer": None}


def relu_in_place(y: np.ndarray) -> np.ndarray:
    """y = max(y, 0), written into ``y``.

    ``np.maximum(y, 0)`` runs NumPy's loop for an array and a scalar, about 3.5 times
    slower than its loop for two arrays (NumPy 2.4). So the zeros come as an array: a
    read-only view of one anonymous memory map that is never written, whose pages are all
    the kernel's shared zero page (no RAM is used, and reading it stays in cache).
    """
    buffer = _zero_map["buffer"]
    size = 0 if buffer is None else len(buffer)
    if size < y.nbytes:
        buffer = _zero_map["buffer"] = mmap.mmap(-1, max(y.nbytes, 2 * size))
    zeros = np.frombuffer(buffer, dtype=y.dtype, count=y.size).reshape(y.shape)
    return np.maximum(y, zeros, out=y)


def crop_nhwc(xp: np.ndarray, pads: tuple, hw: tuple) -> np.ndarray:
    """The inverse of `pad_nhwc`: the (H, W) = ``hw`` block at offset (top, left)."""
    (top, _), (left, _) = pads
    if xp.shape[1:3] == tuple(hw):
        return xp
    return xp[:, top:top + hw[0], left:left + hw[1], :]


# ---------------------------------------------------------------------------------- conv2d
# An unrecorded conv2d builds cols for a block of images at a time, of about this many bytes
# (a core's L2 cache), in one reused buffer: each block's im2col, product and ReLU then run
# while the block is in cache instead of streaming a matrix of tens of MB through memory.
INFERENCE_BLOCK_BYTES = 1 << 20


def conv2d_unrecorded(xp, weights, kernel_hw, strides, dilation, out_hw, relu) -> np.ndarray:
    """Conv2d's forward when backward will not run: y = cols K (+ b), block by block.

    ``xp`` is the padded input (N, Hp, Wp, C), ``weights`` the kernel (kh kw C, O) with the
    bias as its last row when there is one. The blocks' products are the rows of the whole
    product, equal to it up to float rounding (a BLAS may order its sums by matrix size).
    """
    n, per_image = xp.shape[0], out_hw[0] * out_hw[1]
    width = weights.shape[0]
    dtype = np.result_type(xp, weights)
    block = max(1, INFERENCE_BLOCK_BYTES // (per_image * width * dtype.itemsize))
    y = np.empty((n * per_image, weights.shape[1]), dtype)  # (N Ho Wo, O)
    for start in range(0, n, block):
        images = xp[start:start + block]
        rows = y[start * per_image:(start + len(images)) * per_image]
        cols = scratch((len(rows), width), dtype)  # dead once the product is taken
        im2col(images, kernel_hw, strides, dilation, out_hw, out=cols)
        np.matmul(cols, weights, out=rows)
        if relu:
            relu_in_place(rows)
    return y.reshape(n, out_hw[0], out_hw[1], weights.shape[1])


class Conv2d(Function):
    """Cross-correlation of NHWC ``x`` with ``kernel`` (kh, kw, C, O), plus ``bias`` (O,),
    optionally followed by a ReLU fused into the same op (``relu=True``).

    z[n, i, j, o] = b[o] + sum_{p, q, c} x_pad[n, i s_h + p d_h, j s_w + q d_w, c] K[p, q, c, o]
    y = z, or y = max(z, 0) with ``relu``

    As matrices (see the module docstring): z = cols K + b and, with G = dL/dz (for the
    ReLU, G = dL/dy * [y > 0]): dL/dK = cols^T G, dL/db = sum_rows G,
    dL/dx = col2im(G K^T) with the padding cut away. Fusing the ReLU applies it in place to
    the product's output and keeps no extra array: its mask is read back from y. Unrecorded
    (inference), nothing is kept and the product runs by blocks (`conv2d_unrecorded`).
    """

    def forward(self, x, kernel, *bias, strides, pads, dilation, relu=False):
        kh, kw, c, o = kernel.shape
        n, h, w, _ = x.shape
        out_hw = (output_size(h, kh, strides[0], dilation[0], *pads[0]),
                  output_size(w, kw, strides[1], dilation[1], *pads[1]))
        xp = pad_nhwc(x, pads)
        weights = kernel.reshape(kh * kw * c, o)  # (kh kw C, O)
        if bias:
            weights = np.concatenate([weights, bias[0][None, :]])  # (kh kw C + 1, O)
        if not self.recording:
            return conv2d_unrecorded(xp, weights, (kh, kw), strides, dilation, out_hw, relu)
        rows = n * out_hw[0] * out_hw[1]
        cols = np.empty((rows, weights.shape[0]), np.result_type(x, kernel))
        im2col(xp, (kh, kw), strides, dilation, out_hw, out=cols)  # (N Ho Wo, kh kw C [+ 1])
        y = cols @ weights  # (N Ho Wo, O): cols K + b
        if relu:
            relu_in_place(y)
        self.cols, self.kernel, self.padded_shape = cols, kernel, xp.shape
        self.x_hw, self.out_hw, self.has_bias = (h, w), out_hw, bool(bias)
        self.strides, self.pads, self.dilation = strides, pads, dilation
        self.out = y if relu else None
        return y.reshape(n, out_hw[0], out_hw[1], o)

    def backward(self, grad):
        kh, kw, c, o = self.kernel.shape
        if self.out is not None:  # through the ReLU: dL/dz = dL/dy [y > 0]
            grad = grad * (self.out > 0).reshape(grad.shape)
        dx = dk = db = None
        if self.needs_grad[1] or self.has_bias and self.needs_grad[2]:
            stacked = self.cols.T @ grad.reshape(-1, o)  # (kh kw C [+ 1], O): [dK; db]
            dk = stacked[:kh * kw * c].reshape(self.kernel.shape)
            db = stacked[-1] if self.has_bias else None
        if self.needs_grad[0]:
            dxp = col2im(grad, self.kernel, np.zeros(self.padded_shape, grad.dtype),
                         self.strides, self.dilation)
            dx = crop_nhwc(dxp, self.pads, self.x_hw)
        self.cols = self.out = None
        return (dx, dk, db) if self.has_bias else (dx, dk)


class Conv2dTranspose(Function):
    """Transposed convolution: the adjoint of `Conv2d` (Dumoulin & Visin 2016, "A guide to
    convolution arithmetic for deep learning").

    With the conv2d kernel K (kh, kw, O, C) that maps O channels to C, and x (N, H, W, C):

        y = col2im(x K^T)[crop] + b          (a conv2d input gradient)
        dL/dx = im2col(pad(G)) K             (a conv2d forward)
        dL/dK = im2col(pad(G))^T x,  dL/db = sum G

    ``out_hw`` is the output size and ``tops`` the rows/columns cropped at the top/left of
    the full transposed output, i.e. the top/left padding of the conv2d it is the adjoint of.
    """

    def forward(self, x, kernel, *bias, strides, dilation, out_hw, tops):
        kh, kw, o, c = kernel.shape
        n, h, w, _ = x.shape
        full = tuple((size - 1) * s + (k - 1) * d + 1 for size, k, s, d in
                     zip((h, w), (kh, kw), strides, dilation))
        buffer_hw = tuple(max(f, t + size) for f, t, size in zip(full, tops, out_hw))
        ybuf = col2im(x, kernel, np.zeros((n, full[0], full[1], o), np.result_type(x, kernel)),
                      strides, dilation)
        # A Keras output_padding may ask for rows past the full output: they stay zero.
        ybuf = pad_nhwc(ybuf, ((0, buffer_hw[0] - full[0]), (0, buffer_hw[1] - full[1])))
        self.pads = ((tops[0], buffer_hw[0] - tops[0] - out_hw[0]),
                     (tops[1], buffer_hw[1] - tops[1] - out_hw[1]))
        y = crop_nhwc(ybuf, self.pads, out_hw)
        y = y if y is ybuf else np.ascontiguousarray(y)
        if bias:
            y += bias[0]
        self.x, self.kernel = x, kernel
        self.strides, self.dilation, self.x_hw = strides, dilation, (h, w)
        return y

    def backward(self, grad):
        kh, kw, o, c = self.kernel.shape
        gp = pad_nhwc(grad, self.pads)
        # The buffer may extend past the full output: those rows are read by no window.
        cols = im2col(gp, (kh, kw), self.strides, self.dilation, self.x_hw)  # (N H W, kh kw O)
        dx = dk = db = None
        if self.needs_grad[0]:
            dx = (cols @ self.kernel.reshape(kh * kw * o, c)).reshape(self.x.shape)
        if self.needs_grad[1]:
            dk = (cols.T @ self.x.reshape(-1, c)).reshape(self.kernel.shape)
        if len(self.needs_grad) > 2 and self.needs_grad[2]:
            db = grad.reshape(-1, o).sum(axis=0)
        return (dx, dk) if len(self.needs_grad) == 2 else (dx, dk, db)


class DepthwiseConv2d(Function):
    """Depthwise convolution (Chollet 2017, Xception): every input channel c is convolved
    with its own ``m`` filters, kernel (kh, kw, C, m), output channel c m + k.

    y[n, i, j, c, k] = b[c, k] + sum_{p, q} x_pad[n, i s_h + p d_h, j s_w + q d_w, c] K[p, q, c, k]
    dL/dK[p, q, c, k] = sum_{n, i, j} x_pad[n, i s_h + p d_h, j s_w + q d_w, c] G[n, i, j, c, k]
    dL/dx_pad[n, i s_h + p d_h, j s_w + q d_w, c] += sum_k G[n, i, j, c, k] K[p, q, c, k]

    One window offset (p, q) at a time: kh kw element-wise passes, no im2col copy.
    """

    def forward(self, x, kernel, *bias, strides, pads, dilation):
        kh, kw, c, m = kernel.shape
        n, h, w, _ = x.shape
        out_hw = (output_size(h, kh, strides[0], dilation[0], *pads[0]),
                  output_size(w, kw, strides[1], dilation[1], *pads[1]))
        xp = pad_nhwc(x, pads)
        view = windows(xp, (kh, kw), strides, dilation, out_hw)  # (N, Ho, Wo, kh, kw, C)
        y = np.zeros((n, out_hw[0], out_hw[1], c, m), dtype=np.result_type(x, kernel))
        term = np.empty_like(y)
        for p in range(kh):
            for q in range(kw):
                np.multiply(view[:, :, :, p, q, :, None], kernel[p, q], out=term)
                y += term
        y = y.reshape(n, out_hw[0], out_hw[1], c * m)
        if bias:
            y += bias[0]
        self.xp, self.kernel, self.x_hw, self.out_hw = xp, kernel, (h, w), out_hw
        self.strides, self.pads, self.dilation = strides, pads, dilation
        return y

    def backward(self, grad):
        kh, kw, c, m = self.kernel.shape
        n = grad.shape[0]
        g = grad.reshape(n, self.out_hw[0], self.out_hw[1], c, m)
        view = windows(self.xp, (kh, kw), self.strides, self.dilation, self.out_hw)
        dx = dk = db = None
        if self.needs_grad[1]:
            dk = np.empty_like(self.kernel)
            for p in range(kh):
                for q in range(kw):
                    dk[p, q] = np.einsum("nijc,nijck->ck", view[:, :, :, p, q, :], g)
        if len(self.needs_grad) > 2 and self.needs_grad[2]:
            db = grad.reshape(-1, c * m).sum(axis=0)
        if self.needs_grad[0]:
            dxp = np.zeros(self.xp.shape, dtype=grad.dtype)
            sh, sw = self.strides
            for p in range(kh):
                rows = slice(p * self.dilation[0], p * self.dilation[0] +
                             sh * (self.out_hw[0] - 1) + 1, sh)
                for q in range(kw):
                    cols = slice(q * self.dilation[1], q * self.dilation[1] +
                                 sw * (self.out_hw[1] - 1) + 1, sw)
                    if m == 1:
                        dxp[:, rows, cols, :] += g[..., 0] * self.kernel[p, q, :, 0]
                    else:
                        dxp[:, rows, cols, :] += np.einsum("nijck,ck->nijc", g,
                                                           self.kernel[p, q])
            dx = crop_nhwc(dxp, self.pads, self.x_hw)
        return (dx, dk) if len(self.needs_grad) == 2 else (dx, dk, db)


# ---------------------------------------------------------------------------------- checks
def _check_image(op_name: str, x, kernel, channel_axis: int) -> None:
    if x.ndim != 4:
        raise ValueError(f"{op_name}: expected an NHWC input of rank 4, got shape {x.shape}")
    if kernel.ndim != 4:
        raise ValueError(f"{op_name}: expected a kernel of rank 4 (kh, kw, in, out), got "
                         f"shape {kernel.shape}")
    if kernel.shape[channel_axis] != x.shape[-1]:
        raise ValueError(f"{op_name}: the input has {x.shape[-1]} channels (shape {x.shape}) "
                         f"but the kernel of shape {kernel.shape} expects "
                         f"{kernel.shape[channel_axis]}")


def _check_bias(op_name: str, bias, channels: int):
    if bias is None:
        return ()
    bias = to_tensor(bias)
    if bias.shape != (channels,):
        raise ValueError(f"{op_name}: expected a bias of shape ({channels},), got {bias.shape}")
    return (bias,)


def _check_output(op_name: str, x_shape, kernel, pads, strides, dilation) -> tuple:
    out = tuple(output_size(size, k, s, d, *p) for size, k, s, d, p in
                zip(x_shape[1:3], kernel, strides, dilation, pads))
    if min(out) < 1:
        raise ValueError(f"{op_name}: the input of shape {tuple(x_shape)} is smaller than the "
                         f"dilated kernel {kernel} (dilation {dilation}) with padding {pads}")
    return out


# ---------------------------------------------------------------------------------- functional
def conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1,
           relu: bool = False):
    """2-D convolution of NHWC ``x`` with ``kernel`` (kh, kw, C, O) (Keras' layout).

    ``padding``: 'valid', 'same' (Keras: ceil(size / stride) outputs, the odd pixel of
    padding at the bottom/right) or explicit ((top, bottom), (left, right)).
    ``relu=True`` fuses max(y, 0) into the op (equal to ``relu(conv2d(...))``).
    """
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides, dilation, pads = _conv2d_geometry(x, kernel, strides, padding, dilation_rate)
    bias = _check_bias("conv2d", bias, kernel.shape[3])
    return Conv2d.apply(x, kernel, *bias, strides=strides, pads=pads, dilation=dilation,
                        relu=bool(relu))


_GEOMETRIES: dict = {}  # checked conv2d arguments -> (strides, dilation, pads)


def remembered(cache: dict, key: tuple, work, *args):
    """``work(*args)``, worked out once per ``key`` (at most 4096 kept): a network called
    again and again on one shape pays a dictionary lookup for its checks and geometry.
    A key with unhashable parts (arguments given as lists) is worked out on every call."""
    try:
        return cache[key]
    except KeyError:
        pass
    except TypeError:
        return work(*args)
    value = work(*args)
    if len(cache) < 4096:
        cache[key] = value
    return value


def _conv2d_geometry(x, kernel, strides, padding, dilation_rate) -> tuple:
    """conv2d's checks and its (strides, dilation, pads), remembered per shapes and
    arguments."""
    return remembered(_GEOMETRIES, (x.shape, kernel.shape, strides, padding, dilation_rate),
                      _checked_conv2d_geometry, x, kernel, strides, padding, dilation_rate)


def _checked_conv2d_geometry(x, kernel, strides, padding, dilation_rate) -> tuple:
    _check_image("conv2d", x, kernel, channel_axis=2)
    strides = pair_of(strides, "strides", "conv2d")
    dilation = pair_of(dilation_rate, "dilation_rate", "conv2d")
    pads = conv_pads(x.shape[1:3], kernel.shape[:2], strides, dilation, padding)
    _check_output("conv2d", x.shape, kernel.shape[:2], pads, strides, dilation)
    return strides, dilation, pads


def conv1d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1,
           relu: bool = False):
    """1-D convolution of ``x`` (N, T, C) with ``kernel`` (k, C, O): a conv2d of height 1.

    ``padding`` may also be 'causal': (k - 1) d zeros before the sequence, none after, so
    that y[t] sees only x[<= t] (van den Oord et al. 2016, WaveNet).
    """
    x, kernel = to_tensor(x), to_tensor(kernel)
    if x.ndim != 3:
        raise ValueError(f"conv1d: expected an input of rank 3 (batch, steps, channels), got "
                         f"shape {x.shape}")
    if kernel.ndim != 3:
        raise ValueError(f"conv1d: expected a kernel of rank 3 (k, in, out), got shape "
                         f"{kernel.shape}")
    stride = pair_of(strides if isinstance(strides, (int, np.integer)) else strides[0],
                     "strides", "conv1d")[0]
    dilation = pair_of(dilation_rate if isinstance(dilation_rate, (int, np.integer))
                       else dilation_rate[0], "dilation_rate", "conv1d")[0]
    k = kernel.shape[0]
    if isinstance(padding, str) and padding.lower() == "causal":
        pads = ((0, 0), ((k - 1) * dilation, 0))
    elif isinstance(padding, str):
        pads = ((0, 0), conv_pads((x.shape[1],), (k,), (stride,), (dilation,), padding)[0])
    else:
        pads = ((0, 0), tuple(padding))
    out = conv2d(reshape(x, (x.shape[0], 1) + x.shape[1:]),
                 reshape(kernel, (1,) + kernel.shape), bias, (1, stride), pads,
                 (1, dilation), relu)  # (N, 1, T', O)
    return reshape(out, (out.shape[0],) + out.shape[2:])


def transpose_output_size(size: int, kernel: int, stride: int, dilation: int, padding: str,
                          output_padding=None) -> tuple:
    """(output length, top crop) of a transposed convolution, as Keras computes them.

    With k' = (k - 1) d + 1 and output_padding None: 'valid' gives size s + max(k' - s, 0),
    'same' gives size s (and crops the conv2d 'same' top padding of that length). With an
    output_padding a: (size - 1) s + k' - 2 pad + a, pad = k' // 2 for 'same', 0 for 'valid'.
    """
    k_eff = (kernel - 1) * dilation + 1
    mode = padding.lower()
    if mode not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got '{padding}'")
    if output_padding is None:
        if mode == "valid":
            return size * stride + max(k_eff - stride, 0), 0
        return size * stride, same_pads(size * stride, kernel, stride, dilation)[0]
    if mode == "valid":
        return (size - 1) * stride + k_eff + output_padding, 0
    length = (size - 1) * stride + k_eff - 2 * (k_eff // 2) + output_padding
    pad_len = k_eff + k_eff % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, k_eff - 1)
    return length, k_eff - 1 - left


def _transpose_geometry(op_name, x, kernel, strides, padding, output_padding, dilation):
    strides = pair_of(strides, "strides", op_name)
    dilation = pair_of(dilation, "dilation_rate", op_name)
    if output_padding is not None:
        output_padding = (output_padding, output_padding) if isinstance(
            output_padding, (int, np.integer)) else tuple(int(a) for a in output_padding)
        for a, s in zip(output_padding, strides):
            if not 0 <= a < s:
                raise ValueError(f"{op_name}: output_padding {output_padding} must be "
                                 f"non-negative and smaller than the strides {strides}")
    sizes = [transpose_output_size(x.shape[1 + axis], kernel.shape[axis], strides[axis],
                                   dilation[axis], padding,
                                   None if output_padding is None else output_padding[axis])
             for axis in range(2)]
    return strides, dilation, tuple(s for s, _ in sizes), tuple(t for _, t in sizes)


def conv2d_transpose(x, kernel, bias=None, strides=1, padding="valid", output_padding=None,
                     dilation_rate=1):
    """Transposed 2-D convolution of NHWC ``x`` with ``kernel`` (kh, kw, O, C), Keras' layout
    (filters before input channels); output sizes as Keras' Conv2DTranspose."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    _check_image("conv2d_transpose", x, kernel, channel_axis=3)
    strides = pair_of(strides, "strides", "conv2d_transpose")
    dilation = pair_of(dilation_rate, "dilation_rate", "conv2d_transpose")
    _, _, out_hw, tops = _transpose_geometry("conv2d_transpose", x, kernel, strides, padding,
                                             output_padding, dilation)
    bias = _check_bias("conv2d_transpose", bias, kernel.shape[2])
    return Conv2dTranspose.apply(x, kernel, *bias, strides=strides, dilation=dilation,
                                 out_hw=out_hw, tops=tops)


def depthwise_conv2d(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise 2-D convolution of NHWC ``x`` with ``kernel`` (kh, kw, C, m) -> C m channels."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    _check_image("depthwise_conv2d", x, kernel, channel_axis=2)
    strides = pair_of(strides, "strides", "depthwise_conv2d")
    dilation = pair_of(dilation_rate, "dilation_rate", "depthwise_conv2d")
    pads = conv_pads(x.shape[1:3], kernel.shape[:2], strides, dilation, padding)
    _check_output("depthwise_conv2d", x.shape, kernel.shape[:2], pads, strides, dilation)
    bias = _check_bias("depthwise_conv2d", bias, kernel.shape[2] * kernel.shape[3])
    return DepthwiseConv2d.apply(x, kernel, *bias, strides=strides, pads=pads,
                                 dilation=dilation)


# ---------------------------------------------------------------------------------- composites
def _window_slice(offset: int, stride: int, count: int) -> slice:
    return slice(offset, offset + stride * (count - 1) + 1, stride)


def conv2d_composite(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """conv2d from primitives, the reference for `Conv2d`:
    y = sum_{p, q} x_pad[:, p d_h :: s_h, q d_w :: s_w, :] @ K[p, q]  (+ b)."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides = pair_of(strides, "strides", "conv2d")
    dilation = pair_of(dilation_rate, "dilation_rate", "conv2d")
    kh, kw = kernel.shape[:2]
    pads = conv_pads(x.shape[1:3], (kh, kw), strides, dilation, padding)
    out_hw = _check_output("conv2d", x.shape, (kh, kw), pads, strides, dilation)
    xp = pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    y = None
    for p in range(kh):
        for q in range(kw):
            patch = getitem(xp, (slice(None), _window_slice(p * dilation[0], strides[0],
                                                            out_hw[0]),
                                 _window_slice(q * dilation[1], strides[1], out_hw[1])))
            term = matmul(patch, getitem(kernel, (p, q)))  # (N, Ho, Wo, O)
            y = term if y is None else y + term
    return y if bias is None else y + bias


def _dilate(x, strides: tuple):
    """Insert s - 1 zeros between neighbouring pixels (pad + reshape + slice)."""
    sh, sw = strides
    n, h, w, c = x.shape
    x6 = reshape(x, (n, h, 1, w, 1, c))
    x6 = pad(x6, ((0, 0), (0, 0), (0, sh - 1), (0, 0), (0, sw - 1), (0, 0)))
    full = reshape(x6, (n, h * sh, w * sw, c))
    return getitem(full, (slice(None), slice(0, (h - 1) * sh + 1), slice(0, (w - 1) * sw + 1)))


def conv2d_transpose_composite(x, kernel, bias=None, strides=1, padding="valid",
                               output_padding=None, dilation_rate=1):
    """Transposed conv2d from primitives, the reference for `Conv2dTranspose`: dilate x by
    the strides, then y_full = sum_{p, q} pad(x_dil @ K[p, q]^T, at offset (p d_h, q d_w)),
    and crop to Keras' output size."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides = pair_of(strides, "strides", "conv2d_transpose")
    dilation = pair_of(dilation_rate, "dilation_rate", "conv2d_transpose")
    _, _, out_hw, tops = _transpose_geometry("conv2d_transpose", x, kernel, strides, padding,
                                             output_padding, dilation)
    kh, kw = kernel.shape[:2]
    xd = _dilate(x, strides)  # (N, (H-1) s_h + 1, (W-1) s_w + 1, C)
    full = tuple(xd.shape[1 + a] + (kernel.shape[a] - 1) * dilation[a] for a in range(2))
    size = tuple(max(f, t + o) for f, t, o in zip(full, tops, out_hw))
    y = None
    for p in range(kh):
        for q in range(kw):
            term = matmul(xd, getitem(kernel, (p, q)).T)  # (N, Hd, Wd, O)
            top, left = p * dilation[0], q * dilation[1]
            term = pad(term, ((0, 0), (top, size[0] - top - xd.shape[1]),
                              (left, size[1] - left - xd.shape[2]), (0, 0)))
            y = term if y is None else y + term
    y = getitem(y, (slice(None), slice(tops[0], tops[0] + out_hw[0]),
                    slice(tops[1], tops[1] + out_hw[1])))
    return y if bias is None else y + bias


def depthwise_conv2d_composite(x, kernel, bias=None, strides=1, padding="valid",
                               dilation_rate=1):
    """Depthwise conv2d from primitives, the reference for `DepthwiseConv2d`:
    y[..., c, k] = sum_{p, q} x_pad[window (p, q)][..., c] K[p, q, c, k]."""
    x, kernel = to_tensor(x), to_tensor(kernel)
    strides = pair_of(strides, "strides", "depthwise_conv2d")
    dilation = pair_of(dilation_rate, "dilation_rate", "depthwise_conv2d")
    kh, kw, c, m = kernel.shape
    pads = conv_pads(x.shape[1:3], (kh, kw), strides, dilation, padding)
    out_hw = _check_output("depthwise_conv2d", x.shape, (kh, kw), pads, strides, dilation)
    xp = pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    y = None
    for p in range(kh):
        for q in range(kw):
            patch = getitem(xp, (slice(None), _window_slice(p * dilation[0], strides[0],
                                                            out_hw[0]),
                                 _window_slice(q * dilation[1], strides[1], out_hw[1])))
            term = reshape(patch, patch.shape + (1,)) * getitem(kernel, (p, q))
            y = term if y is None else y + term
    y = reshape(y, (x.shape[0],) + out_hw + (c * m,))
    return y if bias is None else y + bias


__all__ = [
    "Conv2d", "Conv2dTranspose", "DepthwiseConv2d",
    "conv2d", "conv1d", "conv2d_transpose", "depthwise_conv2d",
    "conv2d_composite", "conv2d_transpose_composite", "depthwise_conv2d_composite",
    "same_pads", "conv_pads", "output_size", "transpose_output_size",
]
