import numpy as np


def dropout(x, rate, training, rng):
    """Inverted dropout (Srivastava et al., 2014), as Keras' Dropout layer does it.

    training=True: every element is dropped (set to 0) with probability `rate`,
    independently of the others, and the kept ones are scaled by 1 / (1 - rate):

        y = x * mask / (1 - rate),   mask_i ~ Bernoulli(1 - rate),   so E[y] = x

    training=False: y = x (the identity: no mask, no scaling).
    x: an array of any shape (float32 or float64); 0 <= rate < 1; rng: a
    numpy.random.Generator, the only source of randomness. Returns an array of x's shape
    and dtype; x is left unchanged.
    """
    if not training:
        return x
    keep = rng.random(x.shape) >= rate
    return x * keep / (1 - rate)
