import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), element-wise, without overflow for large |z|.

    z: array of any shape; returns an array of z's shape and dtype.
    """
    e = np.exp(-np.abs(z))  # <= 1: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)


def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One step of an LSTM, Keras' layout (gates i, f, c, o side by side in the columns).

        a = x kernel + h_prev recurrent_kernel + bias            (B, 4U)
        [a_i, a_f, a_c, a_o] = the four blocks of U columns of a, in that order
        i = sigma(a_i),  f = sigma(a_f),  g = tanh(a_c),  o = sigma(a_o)
        c = f * c_prev + i * g
        h = o * tanh(c)

    x: (B, D); h_prev, c_prev: (B, U); kernel: (D, 4U); recurrent_kernel: (U, 4U);
    bias: (4U,). Returns the tuple (h, c), both (B, U), in the dtype of x.
    """
    u = h_prev.shape[1]
    a = x @ kernel + h_prev @ recurrent_kernel + bias
    i = sigmoid(a[:, :u])
    f = sigmoid(a[:, u:2 * u])
    g = np.tanh(a[:, 2 * u:3 * u])
    o = sigmoid(a[:, 3 * u:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
