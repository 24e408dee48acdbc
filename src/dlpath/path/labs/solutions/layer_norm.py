import numpy as np


def layernorm_forward(x, gamma, beta, epsilon=1e-3):
    """Layer normalization over the last axis, as Keras' LayerNormalization (axis=-1):
    every sample (every row of the last axis) is normalized with its own statistics.

        mean = mean(x, axis=-1),   var = mean((x - mean)², axis=-1)     (biased)
        y = gamma (x - mean) / sqrt(var + epsilon) + beta

    x: (..., D) (e.g. (B, D) or (B, T, D)); gamma, beta: (D,).
    Returns y of x's shape and dtype.
    """
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + epsilon) + beta


def layernorm_backward(dy, x, gamma, epsilon=1e-3):
    """Gradients of layer normalization over the last axis.

    With r = 1 / sqrt(var + epsilon), x_hat = (x - mean) r and g = dy * gamma (means over
    the last axis, sums over every other axis):
        dx     = r (g - mean(g) - x_hat mean(g x_hat))
        dgamma = sum(dy x_hat),   dbeta = sum(dy)        (both (D,))

    dy, x: (..., D); gamma: (D,). Returns the tuple (dx, dgamma, dbeta), dtype of x.
    """
    axes = tuple(range(x.ndim - 1))
    mean = x.mean(axis=-1, keepdims=True)
    r = 1 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + epsilon)
    x_hat = (x - mean) * r
    g = dy * gamma
    dx = r * (g - g.mean(axis=-1, keepdims=True)
              - x_hat * (g * x_hat).mean(axis=-1, keepdims=True))
    return dx, (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)
