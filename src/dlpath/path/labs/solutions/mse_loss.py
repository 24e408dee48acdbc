import numpy as np


def mse(y_true, y_pred):
    """Mean squared error over all n = y_pred.size elements:

        MSE = (1/n) sum (y_pred - y_true)^2

    y_true, y_pred: arrays of one shape, (N,) or (N, D). Returns a Python float.
    """
    return float(np.mean((y_pred - y_true) ** 2))


def mse_grad(y_true, y_pred):
    """dMSE/dy_pred = 2 (y_pred - y_true) / n, n = y_pred.size; y_pred's shape and dtype."""
    return 2 * (y_pred - y_true) / y_pred.size


def mae(y_true, y_pred):
    """Mean absolute error (L1 loss) over all n = y_pred.size elements:

        MAE = (1/n) sum |y_pred - y_true|

    Returns a Python float.
    """
    return float(np.mean(np.abs(y_pred - y_true)))


def mae_grad(y_true, y_pred):
    """dMAE/dy_pred = sign(y_pred - y_true) / n: +1/n, -1/n, and 0 where y_pred == y_true.
    y_pred's shape and dtype."""
    return np.sign(y_pred - y_true) / y_pred.size
