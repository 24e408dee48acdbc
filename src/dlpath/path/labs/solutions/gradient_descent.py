import numpy as np


def gd_step(w, g, learning_rate=0.01):
    """One step of gradient descent: w_new = w - learning_rate * g.

    w, g: arrays of the same shape (float32 or float64). Returns a new array of w's shape
    and dtype; w itself is left unchanged. The default is Keras' SGD default, 0.01.
    """
    return w - learning_rate * g


def quadratic(A, b, w):
    """The quadratic f(w) = 1/2 w^T A w - b^T w and its gradient grad f(w) = A w - b.

    A: (n, n) symmetric, b: (n,), w: (n,). Returns (f, grad): a scalar and an (n,) array.
    """
    Aw = A @ w
    return 0.5 * (w @ Aw) - b @ w, Aw - b


def minimize_quadratic(A, b, w0, learning_rate, steps):
    """`steps` steps of gradient descent on f(w) = 1/2 w^T A w - b^T w, from w0.

    w_{k+1} = w_k - learning_rate * grad f(w_k), for k = 0 .. steps - 1.
    Returns (w, losses): w = w_steps, shape (n,), and losses = [f(w_0), ..., f(w_steps)],
    shape (steps + 1,): the loss before every step and after the last one.
    """
    w = w0
    losses = []
    for _ in range(steps):
        f, grad = quadratic(A, b, w)
        losses.append(f)
        w = gd_step(w, grad, learning_rate)
    losses.append(quadratic(A, b, w)[0])
    return w, np.array(losses)
