import numpy as np


def activate(z, activation):
    """The activation applied element-wise to z, keeping z's shape and dtype:

        "linear":  z                  "relu": max(0, z)
        "tanh":    tanh(z)            "sigmoid": 1 / (1 + exp(-z)), stable for large |z|

    Any other name raises ValueError.
    """
    if activation == "linear":
        return z
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        # exp(min(z, 0)) / (1 + exp(-|z|)): no exp of a positive number, so no overflow
        return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))
    raise ValueError(f"unknown activation {activation!r}")


def dense_forward(W, a, b, activation="linear"):
    """One dense layer on a batch, in column convention (one sample per column):

        z = W a + b          W: (out, in), a: (in, batch), b: (out, 1), broadcast over the batch
        h = activation(z)    (out, batch)

    Returns (z, h), both of shape (out, batch) and of a's dtype.
    """
    z = W @ a + b
    return z, activate(z, activation)


def mlp_forward(layers, x):
    """A stack of dense layers: h_0 = x, h_l = activation_l(W_l h_(l-1) + b_l).

    layers: a list of (W, b, activation), first layer first; x: (in, batch).
    Returns the last layer's output h_L, of shape (out_L, batch).
    """
    h = x
    for W, b, activation in layers:
        _, h = dense_forward(W, h, b, activation)
    return h
