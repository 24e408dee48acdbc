import numpy as np


def adagrad_init(w, initial_accumulator_value=0.1):
    """The accumulator Adagrad starts from: an array of w's shape and dtype filled with
    initial_accumulator_value (Keras' default 0.1; PyTorch's Adagrad starts at 0)."""
    return np.full_like(w, initial_accumulator_value)


def adagrad_step(w, g, accumulator, learning_rate=0.001, epsilon=1e-7):
    """One update of Adagrad in Keras' form (epsilon inside the square root):

        accumulator_new = accumulator + g^2
        w_new           = w - learning_rate * g / sqrt(accumulator_new + epsilon)

    w, g, accumulator: arrays of one shape and dtype. Returns (w_new, accumulator_new), new
    arrays of that shape and dtype; the inputs are left unchanged. Defaults: Keras' Adagrad
    (learning_rate=0.001, epsilon=1e-7).
    """
    accumulator = accumulator + g * g
    return w - learning_rate * g / np.sqrt(accumulator + epsilon), accumulator
