import numpy as np


def batchnorm_forward(x, gamma, beta, moving_mean, moving_var, training, momentum=0.99,
                      epsilon=1e-3):
    """Batch normalization as Keras' BatchNormalization: per feature (the last axis),
    over every other axis (the batch, and the height and width of NHWC images).

    Training (training=True): the batch's own statistics,
        mean = mean(x),  var = mean((x - mean)²)            (biased: divide by n, not n - 1)
        y = gamma (x - mean) / sqrt(var + epsilon) + beta
        new_moving_mean = moving_mean * momentum + mean * (1 - momentum)
        new_moving_var  = moving_var * momentum + var * (1 - momentum)
    Inference (training=False): the moving statistics, which stay as they are,
        y = gamma (x - moving_mean) / sqrt(moving_var + epsilon) + beta

    x: (..., C); gamma, beta, moving_mean, moving_var: (C,). The inputs are not changed.
    Returns the tuple (y, new_moving_mean, new_moving_var) in the dtype of x.
    """
    axes = tuple(range(x.ndim - 1))
    if training:
        mean = x.mean(axis=axes)
        var = ((x - mean) ** 2).mean(axis=axes)
        new_mean = moving_mean * momentum + mean * (1 - momentum)
        new_var = moving_var * momentum + var * (1 - momentum)
    else:
        mean, var = moving_mean, moving_var
        new_mean, new_var = moving_mean.copy(), moving_var.copy()
    y = gamma * (x - mean) / np.sqrt(var + epsilon) + beta
    return y, new_mean, new_var


def batchnorm_backward(dy, x, gamma, epsilon=1e-3):
    """Gradients of training-mode batch normalization, whose mean and var depend on x.

    With n the number of elements per feature, r = 1 / sqrt(var + epsilon) and
    x_hat = (x - mean) r (sums over every axis but the last):
        dbeta  = sum(dy)
        dgamma = sum(dy x_hat)
        dx     = gamma r (dy - dbeta / n - x_hat dgamma / n)

    dy, x: (..., C); gamma: (C,). Returns the tuple (dx, dgamma, dbeta), dtype of x.
    """
    axes = tuple(range(x.ndim - 1))
    n = x.size // x.shape[-1]
    mean = x.mean(axis=axes)
    r = 1 / np.sqrt(((x - mean) ** 2).mean(axis=axes) + epsilon)
    x_hat = (x - mean) * r
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    dx = gamma * r * (dy - dbeta / n - x_hat * dgamma / n)
    return dx, dgamma, dbeta
