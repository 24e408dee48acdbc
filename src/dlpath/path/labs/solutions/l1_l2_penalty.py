import numpy as np


def l1_penalty(w, lam):
    """The L1 weight penalty lam * sum |w|; w: an array of any shape. Returns a Python float."""
    return float(lam * np.sum(np.abs(w)))


def l1_penalty_grad(w, lam):
    """d(lam * sum |w|)/dw = lam * sign(w): 0 where w == 0. w's shape and dtype."""
    return lam * np.sign(w)


def l2_penalty(w, lam):
    """The L2 weight penalty lam * sum w^2 (Keras' convention: no 1/2). Returns a Python float."""
    return float(lam * np.sum(w ** 2))


def l2_penalty_grad(w, lam):
    """d(lam * sum w^2)/dw = 2 lam w. w's shape and dtype."""
    return 2 * lam * w


def regularized_loss(data_loss, weights, l1=0.0, l2=0.0):
    """The loss a model minimises with L1 and L2 penalties on a list of weight arrays:

        total = data_loss + sum over w in weights of (l1 * sum |w| + l2 * sum w^2)

    data_loss: a float; weights: a list of arrays. Returns a Python float.
    """
    total = data_loss
    for w in weights:
        total = total + l1_penalty(w, l1) + l2_penalty(w, l2)
    return float(total)


def regularized_grads(data_grads, weights, l1=0.0, l2=0.0):
    """The gradient of regularized_loss for each weight array, given the data loss's:

        dtotal/dw = data_grad + l1 * sign(w) + 2 l2 w

    data_grads, weights: lists of arrays of matching shapes. Returns a list of arrays.
    """
    return [g + l1_penalty_grad(w, l1) + l2_penalty_grad(w, l2)
            for g, w in zip(data_grads, weights)]
