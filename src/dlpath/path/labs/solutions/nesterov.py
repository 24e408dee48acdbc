import numpy as np


def nesterov_step(w, g, velocity, learning_rate=0.01, momentum=0.0):
    """One update of SGD with Nesterov momentum in Keras' form, SGD(nesterov=True):

        velocity_new = momentum * velocity - learning_rate * g
        w_new        = w + momentum * velocity_new - learning_rate * g

    w, g, velocity: arrays of one shape and dtype (the velocity starts as zeros).
    Returns (w_new, velocity_new), new arrays of that shape and dtype; the inputs are left
    unchanged. Defaults: Keras' SGD, learning_rate=0.01 and momentum=0.0.
    """
    velocity = momentum * velocity - learning_rate * g
    return w + momentum * velocity - learning_rate * g, velocity
