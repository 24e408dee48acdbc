import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """The gradient of a scalar function f at x, by central differences:

        df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h)

    e_i is 1 at index i and 0 elsewhere. f takes an array of x's shape and returns a number.
    x: array of any shape and dtype (work on a float64 copy); returns a float64 array of
    x's shape. x itself is left unchanged.
    """
    x = np.array(x, dtype=np.float64)  # a float64 copy: perturbing it leaves the input alone
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f(x)
        x[i] = old - h
        minus = f(x)
        x[i] = old  # restore before moving on to the next element
        grad[i] = (plus - minus) / (2 * h)
    return grad


def gradient_check(f, grad_f, x, h=1e-5):
    """The worst error of the analytic gradient grad_f(x) against central differences of
    f at x, measured as dlpath.engine.gradcheck measures it:

        error = max_i |g_i - n_i| / max(1, |n_i|)
        g = grad_f(x),  n = numerical_gradient(f, x, h)

    Returns a Python float: about 1e-8 or less when grad_f is right.
    """
    analytic = np.asarray(grad_f(x), dtype=np.float64)
    numeric = numerical_gradient(f, x, h)
    return float(np.max(np.abs(analytic - numeric) / np.maximum(1.0, np.abs(numeric))))


def chain_rule_gradient(A, x):
    """dL/dx of L(x) = sum_i tanh((A x)_i), by the chain rule. A: (m, n), x: (n,).

        u = A x                       (m,)
        y = tanh(u)                   (m,)    dy_i/du_i = 1 - tanh(u_i)^2
        L = sum_i y_i                         dL/dy = 1
        dL/du = dL/dy * (1 - y^2)     (m,)
        dL/dx = A^T dL/du             (n,)
    """
    u = A @ x
    y = np.tanh(u)
    grad_u = 1 - y ** 2
    return A.T @ grad_u
