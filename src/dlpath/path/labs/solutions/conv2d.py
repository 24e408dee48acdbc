import numpy as np


def conv_output_size(size, kernel_size, stride=1, pad=0):
    """Length of one output axis: floor((size + 2 pad - kernel_size) / stride) + 1.

    size, kernel_size, stride (>= 1), pad (>= 0): Python ints; returns an int.
    """
    return (size + 2 * pad - kernel_size) // stride + 1


def same_padding(size, kernel_size, stride=1):
    """Keras' 'same' padding of one axis: (before, after).

    The output has ceil(size / stride) positions; the padding needed for that is
    total = max((out - 1) stride + kernel_size - size, 0), split as
    before = total // 2, after = total - before (the odd pixel goes after).
    """
    out = -(-size // stride)  # ceil(size / stride)
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def conv2d(x, kernel, bias=None, stride=1, padding="valid"):
    """2-D convolution (cross-correlation) of NHWC images, as Keras' Conv2D computes it.

        y[n, i, j, o] = b[o] + sum_{m, q, c} x_pad[n, i s + m, j s + q, c] K[m, q, c, o]

    x: (N, H, W, C); kernel: (kh, kw, C, O); bias: (O,) or None; stride: int >= 1;
    padding: 'valid' (none), 'same' (same_padding on each axis) or an int p (p zeros on
    every side). Returns y: (N, Ho, Wo, O) in the dtype of x (float32 stays float32), with
    Ho = floor((H + pad_top + pad_bottom - kh) / s) + 1 and the same for Wo.
    """
    n, h, w, _ = x.shape
    kh, kw, _, o = kernel.shape
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        pads = (same_padding(h, kh, stride), same_padding(w, kw, stride))
    else:
        pads = ((padding, padding), (padding, padding))
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    ho = (xp.shape[1] - kh) // stride + 1
    wo = (xp.shape[2] - kw) // stride + 1
    y = np.zeros((n, ho, wo, o), dtype=np.result_type(x, kernel))
    for m in range(kh):
        for q in range(kw):
            # x_pad[n, i s + m, j s + q, :] for every output (i, j): one strided slice.
            patch = xp[:, m:m + stride * (ho - 1) + 1:stride,
                       q:q + stride * (wo - 1) + 1:stride, :]
            y += patch @ kernel[m, q]  # (N, Ho, Wo, C) @ (C, O)
    if bias is not None:
        y += bias
    return y
