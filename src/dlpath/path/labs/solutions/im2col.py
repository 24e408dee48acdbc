import numpy as np


def im2col(x, kh, kw, stride=1, pad=0):
    """The im2col matrix of an NHWC batch: every kh x kw x C window as one row.

        cols[(n Ho + i) Wo + j, (m kw + q) C + c] = x_pad[n, i s + m, j s + q, c]

    x: (N, H, W, C); kh, kw: the kernel size; stride: int >= 1; pad: int >= 0 zeros on
    every side. Ho = (H + 2 pad - kh) // stride + 1, Wo likewise. Returns cols of shape
    (N Ho Wo, kh kw C) in the dtype of x: rows in (n, i, j) order, columns in (m, q, c)
    order (row-major, the order of kernel.reshape(kh * kw * C, O)).
    """
    n, h, w, c = x.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    ho = (h + 2 * pad - kh) // stride + 1
    wo = (w + 2 * pad - kw) // stride + 1
    cols = np.empty((n, ho, wo, kh, kw, c), dtype=x.dtype)
    for m in range(kh):
        for q in range(kw):
            cols[:, :, :, m, q, :] = xp[:, m:m + stride * (ho - 1) + 1:stride,
                                        q:q + stride * (wo - 1) + 1:stride, :]
    return cols.reshape(n * ho * wo, kh * kw * c)


def conv2d_im2col(x, kernel, bias=None, stride=1, pad=0):
    """conv2d as ONE matrix product: y = im2col(x) @ kernel.reshape(kh kw C, O) + bias.

    x: (N, H, W, C); kernel: (kh, kw, C, O); bias: (O,) or None; stride, pad: ints.
    Returns y: (N, Ho, Wo, O), the cross-correlation of Keras' Conv2D.
    """
    kh, kw, c, o = kernel.shape
    n, h, w, _ = x.shape
    ho = (h + 2 * pad - kh) // stride + 1
    wo = (w + 2 * pad - kw) // stride + 1
    y = im2col(x, kh, kw, stride, pad) @ kernel.reshape(kh * kw * c, o)  # (N Ho Wo, O)
    if bias is not None:
        y = y + bias
    return y.reshape(n, ho, wo, o)
