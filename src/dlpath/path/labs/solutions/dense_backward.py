import numpy as np


def dense_backward(delta, a, W):
    """The gradients of a dense layer z = W a + b on a batch, given delta = dL/dz:

        dW = delta a^T                                     (out, in)
        db = delta summed over the batch (axis 1), keepdims   (out, 1)
        da = W^T delta                                     (in, batch)

    delta: (out, batch), a: (in, batch), W: (out, in); returns (dW, db, da).
    Sum over the batch, do not average: any 1/batch of the loss is already inside delta.
    """
    dW = delta @ a.T
    db = np.sum(delta, axis=1, keepdims=True)
    da = W.T @ delta
    return dW, db, da


def activation_grad(z, activation):
    """sigma'(z), element-wise, of shape and dtype of z:

        "linear": 1      "relu": 1 where z > 0, else 0 (also at z = 0)
        "tanh": 1 - tanh(z)^2      "sigmoid": s (1 - s) with s = sigmoid(z)
    """
    if activation == "linear":
        return np.ones_like(z)
    if activation == "relu":
        return (z > 0).astype(z.dtype)
    if activation == "tanh":
        return 1 - np.tanh(z) ** 2
    if activation == "sigmoid":
        s = np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))  # stable sigmoid
        return s * (1 - s)
    raise ValueError(f"unknown activation {activation!r}")


def backprop_delta(W_next, delta_next, z, activation):
    """The delta of layer l from the delta of layer l + 1 (the backpropagation recursion):

        delta^l = (W^(l+1))^T delta^(l+1)  *  sigma'(z^l)      (* is element-wise)

    W_next: (out_next, out), delta_next: (out_next, batch), z: (out, batch), the
    pre-activation of layer l; returns delta^l of shape (out, batch).
    """
    return (W_next.T @ delta_next) * activation_grad(z, activation)
