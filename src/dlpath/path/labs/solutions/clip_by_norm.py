import math

import numpy as np


def clip_by_norm(g, clip_norm):
    """Clip one gradient to L2 norm clip_norm (Keras' clipnorm=, tf.clip_by_norm):

        g_clipped = g * clip_norm / max(||g||, clip_norm),   ||g|| = sqrt(sum of g^2)

    so g is unchanged when ||g|| <= clip_norm and keeps its direction otherwise.
    g: an array of any shape; clip_norm > 0. Returns an array of g's shape and dtype.
    """
    norm = math.sqrt(float(np.sum(g * g)))
    return g * (clip_norm / max(norm, clip_norm))


def clip_by_global_norm(grads, clip_norm):
    """Clip a list of gradients together (Keras' global_clipnorm=, tf.clip_by_global_norm):

        global_norm = sqrt(sum over the tensors of sum(g^2))
        g_i_clipped = g_i * clip_norm / max(global_norm, clip_norm)

    Every tensor is scaled by the same factor, so their relative sizes are kept. None entries
    (variables without a gradient) stay None and count for nothing.
    grads: a list of arrays (any shapes) and Nones; clip_norm > 0. Returns
    (clipped, global_norm): a new list of arrays of the same shapes and dtypes (and Nones),
    and the global norm BEFORE clipping, a float.
    """
    global_norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads if g is not None))
    scale = clip_norm / max(global_norm, clip_norm)
    return [None if g is None else g * scale for g in grads], global_norm
