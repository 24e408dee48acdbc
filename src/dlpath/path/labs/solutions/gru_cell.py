import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), element-wise, without overflow for large |z|.

    z: array of any shape; returns an array of z's shape and dtype.
    """
    e = np.exp(-np.abs(z))  # <= 1: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)


def gru_step(x, h_prev, kernel, recurrent_kernel, bias):
    """One step of a GRU in Keras' default form (reset_after=True, as cuDNN computes it).

        [x_z, x_r, x_h] = x kernel + bias[0]                 (three blocks of U columns)
        [h_z, h_r, h_h] = h_prev recurrent_kernel + bias[1]
        z = sigma(x_z + h_z)          update gate
        r = sigma(x_r + h_r)          reset gate
        n = tanh(x_h + r * h_h)       candidate: the reset gate scales h_h, bias included
        h = z * h_prev + (1 - z) * n

    x: (B, D); h_prev: (B, U); kernel: (D, 3U); recurrent_kernel: (U, 3U); bias: (2, 3U),
    bias[0] the input bias and bias[1] the recurrent bias. Returns h: (B, U), dtype of x.
    """
    u = h_prev.shape[1]
    xs = x @ kernel + bias[0]
    hs = h_prev @ recurrent_kernel + bias[1]
    z = sigmoid(xs[:, :u] + hs[:, :u])
    r = sigmoid(xs[:, u:2 * u] + hs[:, u:2 * u])
    n = np.tanh(xs[:, 2 * u:] + r * hs[:, 2 * u:])
    return z * h_prev + (1 - z) * n
