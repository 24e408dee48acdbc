import numpy as np


def sigmoid(x):
    """sigmoid(x) = 1 / (1 + exp(-x)), element-wise, stable for large |x|.

    x: array of any shape (float32 or float64); returns an array of x's shape and dtype.
    """
    e = np.exp(-np.abs(x))  # never overflows: the exponent is <= 0
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def sigmoid_grad(x):
    """d sigmoid / dx = sigmoid(x) (1 - sigmoid(x)); shape and dtype of x."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x); shape and dtype of x."""
    return np.tanh(x)


def tanh_grad(x):
    """d tanh / dx = 1 - tanh(x)^2; shape and dtype of x."""
    t = np.tanh(x)
    return 1 - t * t


def relu(x):
    """relu(x) = max(0, x); shape and dtype of x."""
    return np.maximum(x, 0).astype(x.dtype)


def relu_grad(x):
    """d relu / dx = 1 where x > 0, else 0 (also at 0); shape and dtype of x."""
    return (x > 0).astype(x.dtype)
