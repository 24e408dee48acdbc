import numpy as np


def exponential_decay(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    """Keras' ExponentialDecay: lr(t) = initial_learning_rate * decay_rate ** (t / decay_steps).

    With staircase=True the exponent t / decay_steps is floored, so the rate drops by the
    factor decay_rate once every decay_steps steps and is constant in between.
    step: an int >= 0 or an array of them (any shape); returns float64 of step's shape.
    """
    progress = np.asarray(step, dtype=np.float64) / decay_steps
    if staircase:
        progress = np.floor(progress)
    return initial_learning_rate * decay_rate**progress


def piecewise_constant(step, boundaries, values):
    """Keras' PiecewiseConstantDecay: values[0] while t <= boundaries[0], values[i] while
    boundaries[i-1] < t <= boundaries[i], and values[-1] once t > boundaries[-1].

    boundaries: increasing numbers; values: len(boundaries) + 1 rates.
    step: an int >= 0 or an array of them (any shape); returns float64 of step's shape.
    """
    index = np.searchsorted(np.asarray(boundaries), step, side="left")
    return np.asarray(values, dtype=np.float64)[index]


def cosine_decay(step, initial_learning_rate, decay_steps, alpha=0.0):
    """Keras' CosineDecay (no warm-up), T = decay_steps:

        lr(t) = initial_learning_rate * ((1 - alpha) * (1 + cos(pi * min(t, T) / T)) / 2 + alpha)

    It falls from initial_learning_rate at t = 0 to alpha * initial_learning_rate at t = T
    and stays there. step: an int >= 0 or an array of them; returns float64 of step's shape.
    """
    fraction = np.minimum(np.asarray(step, dtype=np.float64), decay_steps) / decay_steps
    cosine = 0.5 * (1 + np.cos(np.pi * fraction))
    return initial_learning_rate * ((1 - alpha) * cosine + alpha)
