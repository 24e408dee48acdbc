import numpy as np


def rmsprop_step(w, g, velocity, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    """One update of RMSprop in Keras' form (epsilon inside the square root):

        velocity_new = rho * velocity + (1 - rho) * g^2
        w_new        = w - learning_rate * g / sqrt(velocity_new + epsilon)

    w, g, velocity: arrays of one shape and dtype (the velocity, a moving average of g^2,
    starts as zeros). Returns (w_new, velocity_new), new arrays of that shape and dtype; the
    inputs are left unchanged. Defaults: Keras' RMSprop (learning_rate=0.001, rho=0.9,
    epsilon=1e-7).
    """
    velocity = rho * velocity + (1 - rho) * g * g
    return w - learning_rate * g / np.sqrt(velocity + epsilon), velocity
