import numpy as np


def adadelta_step(w, g, accumulated_grad, accumulated_delta, learning_rate=0.001, rho=0.95,
                  epsilon=1e-7):
    """One update of Adadelta in Keras' form (Zeiler, 2012, Algorithm 1, with a rate):

        E_g2_new  = rho * E_g2 + (1 - rho) * g^2
        delta     = sqrt(E_dx2 + epsilon) / sqrt(E_g2_new + epsilon) * g
        E_dx2_new = rho * E_dx2 + (1 - rho) * delta^2
        w_new     = w - learning_rate * delta

    E_g2 = accumulated_grad and E_dx2 = accumulated_delta are moving averages (both start
    as zeros); E_dx2 uses delta before the learning rate scales it. All arrays share one
    shape and dtype. Returns (w_new, accumulated_grad_new, accumulated_delta_new), new
    arrays; the inputs are left unchanged. Defaults: Keras' Adadelta (learning_rate=0.001,
    rho=0.95, epsilon=1e-7).
    """
    accumulated_grad = rho * accumulated_grad + (1 - rho) * g * g
    delta = np.sqrt(accumulated_delta + epsilon) / np.sqrt(accumulated_grad + epsilon) * g
    accumulated_delta = rho * accumulated_delta + (1 - rho) * delta * delta
    return w - learning_rate * delta, accumulated_grad, accumulated_delta
