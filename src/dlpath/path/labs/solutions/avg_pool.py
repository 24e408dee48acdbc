import numpy as np


def avg_pool_forward(x, pool_size=2, stride=None, padding="valid"):
    """Average pooling of NHWC images, as Keras' AveragePooling2D.

        y[n, i, j, c] = (1 / n_ij) sum_{(r, t) in window (i, j)} x[n, r, t, c]

    x: (N, H, W, C); pool_size k: int; stride s: int, None means s = k; padding:
    'valid': Ho = (H - k) // s + 1, window (i, j) = rows i s .. i s + k - 1 (and columns
             j s .. j s + k - 1), n_ij = k²;
    'same':  Ho = ceil(H / s), top = max((Ho - 1) s + k - H, 0) // 2 (left likewise), the
             window starts at row i s - top, and only its elements INSIDE the image are
             averaged: n_ij counts them (the padding is left out of the mean).
    Returns y: (N, Ho, Wo, C) in the dtype of x.
    """
    k = pool_size
    s = k if stride is None else stride
    n, h, w, c = x.shape
    if padding == "same":
        ho, wo = -(-h // s), -(-w // s)
        top = max((ho - 1) * s + k - h, 0) // 2
        left = max((wo - 1) * s + k - w, 0) // 2
    else:
        ho, wo = (h - k) // s + 1, (w - k) // s + 1
        top = left = 0
    y = np.empty((n, ho, wo, c), dtype=x.dtype)
    for i in range(ho):
        r0, r1 = max(i * s - top, 0), min(i * s - top + k, h)  # the window's rows in x
        for j in range(wo):
            c0, c1 = max(j * s - left, 0), min(j * s - left + k, w)
            y[:, i, j, :] = x[:, r0:r1, c0:c1, :].mean(axis=(1, 2))
    return y


def avg_pool_backward(dy, x_shape, pool_size=2, stride=None, padding="valid"):
    """dL/dx of average pooling: every element of window (i, j) inside the image gets
    dy[n, i, j, c] / n_ij; an element in several windows (s < k) adds up their shares.

    dy: (N, Ho, Wo, C); x_shape: the forward input's shape (N, H, W, C) (the gradient
    does not depend on the values of x). Returns dx: (N, H, W, C) in the dtype of dy.
    """
    k = pool_size
    s = k if stride is None else stride
    _, h, w, _ = x_shape
    _, ho, wo, _ = dy.shape
    if padding == "same":
        top = max((ho - 1) * s + k - h, 0) // 2
        left = max((wo - 1) * s + k - w, 0) // 2
    else:
        top = left = 0
    dx = np.zeros(x_shape, dtype=dy.dtype)
    for i in range(ho):
        r0, r1 = max(i * s - top, 0), min(i * s - top + k, h)
        for j in range(wo):
            c0, c1 = max(j * s - left, 0), min(j * s - left + k, w)
            count = (r1 - r0) * (c1 - c0)
            dx[:, r0:r1, c0:c1, :] += dy[:, i, j, None, None, :] / count
    return dx
