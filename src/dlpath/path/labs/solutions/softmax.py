import numpy as np


def softmax(z):
    """Softmax along the last axis: each row of a (batch, classes) array becomes a
    probability distribution.

        softmax(z)_i = exp(z_i - m) / sum_j exp(z_j - m),   m = max_j z_j of the same row

    Subtracting the row's maximum changes nothing mathematically and keeps exp from
    overflowing. z: (classes,) or (batch, classes); returns z's shape and dtype.
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(z):
    """log softmax(z) along the last axis, without ever taking the log of 0:

        log_softmax(z)_i = (z_i - m) - log sum_j exp(z_j - m),   m = max_j z_j

    z: (classes,) or (batch, classes); returns z's shape and dtype.
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
