import numpy as np


def max_pool_forward(x, pool_size=2, stride=None):
    """Max pooling of NHWC images with 'valid' padding, as Keras' MaxPooling2D.

        y[n, i, j, c] = max_{0 <= p, q < k} x[n, i s + p, j s + q, c]

    x: (N, H, W, C); pool_size k: int; stride s: int, None means s = k (Keras' default).
    Returns y: (N, Ho, Wo, C) with Ho = (H - k) // s + 1, Wo = (W - k) // s + 1, dtype of x.
    """
    k = pool_size
    s = k if stride is None else stride
    n, h, w, c = x.shape
    ho = (h - k) // s + 1
    wo = (w - k) // s + 1
    y = np.full((n, ho, wo, c), -np.inf, dtype=x.dtype)
    for p in range(k):
        for q in range(k):
            # x[n, i s + p, j s + q, c] for every window (i, j): one strided slice.
            y = np.maximum(y, x[:, p:p + s * (ho - 1) + 1:s, q:q + s * (wo - 1) + 1:s, :])
    return y


def max_pool_backward(dy, x, pool_size=2, stride=None):
    """dL/dx of max pooling: each window's gradient dy[n, i, j, c] goes to ONE element,
    the first maximal element of the window in row-major order (the smallest p, then the
    smallest q), as dlpath and PyTorch do; the other elements of the window get nothing
    from it. Where windows overlap (s < k) an element collects the gradients of every
    window it is the chosen maximum of.

    dy: (N, Ho, Wo, C); x: (N, H, W, C) the forward input; returns dx: (N, H, W, C), dtype of x.
    """
    k = pool_size
    s = k if stride is None else stride
    y = max_pool_forward(x, k, s)
    ho, wo = y.shape[1], y.shape[2]
    dx = np.zeros_like(x)
    routed = np.zeros(y.shape, dtype=bool)  # windows whose gradient has gone already
    for p in range(k):
        for q in range(k):
            rows = slice(p, p + s * (ho - 1) + 1, s)
            cols = slice(q, q + s * (wo - 1) + 1, s)
            chosen = (x[:, rows, cols, :] == y) & ~routed  # first maximum in row-major order
            dx[:, rows, cols, :] += dy * chosen
            routed |= chosen
    return dx
