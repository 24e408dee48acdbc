import math

import numpy as np


def adam_step(w, g, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One update of Adam in Keras' form; t = 1, 2, ... is the number of this update:

        m_new = beta_1 * m + (1 - beta_1) * g
        v_new = beta_2 * v + (1 - beta_2) * g^2
        alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)   (bias correction)
        w_new = w - alpha * m_new / (sqrt(v_new) + epsilon)

    w, g, m, v: arrays of one shape and dtype (m and v start as zeros); t: an int >= 1.
    Returns (w_new, m_new, v_new), new arrays of that shape and dtype; the inputs are left
    unchanged. Defaults: Keras' Adam (learning_rate=0.001, beta_1=0.9, beta_2=0.999,
    epsilon=1e-7).
    """
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g * g
    alpha = learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon), m, v
