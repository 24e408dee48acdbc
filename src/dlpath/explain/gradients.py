"""Vanilla gradient saliency and SmoothGrad: how much the class score moves with each input.

Saliency (Simonyan, Vedaldi & Zisserman 2014, "Deep Inside Convolutional Networks"): the
class score S_c linearised around the input x,

.. math::

    S_c(x') \\approx w^\\top x' + b, \\qquad w = \\left.\\frac{\\partial S_c}{\\partial x}
    \\right|_{x},

and the map is :math:`M_{ij} = \\max_k |w_{ijk}|` (the largest over the colour channels;
see `heatmap`). ``times_input=True`` returns :math:`x \\odot w` ("gradient * input").

SmoothGrad (Smilkov, Thorat, Kim, Viegas & Wattenberg 2017, "SmoothGrad: removing noise by
adding noise"): the gradient averaged over n noisy copies of the input,

.. math::

    \\hat M_c(x) = \\frac{1}{n} \\sum_{i=1}^{n} \\frac{\\partial S_c}{\\partial x}
    (x + \\epsilon_i), \\qquad \\epsilon_i \\sim \\mathcal{N}(0, \\sigma^2),
    \\quad \\sigma = \\text{noise\\_level} \\cdot (x_{max} - x_{min}),

with the paper's advice of a noise level of 10-20 % of the input range and n about 50.
"""

from __future__ import annotations

import numpy as np

from dlpath.explain._model import ExplainError, check_images, gradients, resolve_targets


def saliency(model, x, targets=None, times_input: bool = False,
             batch_size: int = 64) -> np.ndarray:
    """dS_t/dx for each sample (same shape as ``x``); ``targets`` default: predicted."""
    x = check_images(x, "saliency")
    targets = resolve_targets(model, x, targets)
    parts = []
    for start in range(0, len(x), batch_size):
        chunk = slice(start, start + batch_size)
        grad, _, _ = gradients(model, x[chunk], targets[chunk])
        parts.append(grad * x[chunk] if times_input else grad)
    return np.concatenate(parts)


def smoothgrad(model, x, targets=None, samples: int = 32, noise_level: float = 0.15,
               seed: int = 0, batch_size: int = 128) -> np.ndarray:
    """The gradient averaged over ``samples`` copies of each input with Gaussian noise of
    standard deviation ``noise_level * (max - min)`` of that input."""
    x = check_images(x, "smoothgrad")
    if int(samples) < 1:
        raise ExplainError(f"smoothgrad: samples must be at least 1, got {samples}")
    if not 0.0 <= float(noise_level) <= 1.0:
        raise ExplainError(f"smoothgrad: noise_level is a fraction of the input range in "
                           f"[0, 1], got {noise_level}")
    targets = resolve_targets(model, x, targets)
    rng = np.random.default_rng(seed)
    axes = tuple(range(1, x.ndim))
    sigma = noise_level * (x.max(axis=axes) - x.min(axis=axes))  # (N,)
    per_batch = max(1, batch_size // samples)
    result = np.zeros_like(x)
    for start in range(0, len(x), per_batch):
        chunk = x[start:start + per_batch]  # (B, ...)
        noise = rng.standard_normal((samples,) + chunk.shape).astype(np.float32)
        scale = sigma[start:start + per_batch].reshape((1, -1) + (1,) * (x.ndim - 1))
        noisy = (chunk[None] + noise * scale).reshape((-1,) + x.shape[1:])  # (S*B, ...)
        repeated = np.tile(targets[start:start + per_batch], samples)
        grad, _, _ = gradients(model, noisy, repeated)
        result[start:start + per_batch] = grad.reshape((samples,) + chunk.shape).mean(axis=0)
    return result


def heatmap(attributions) -> np.ndarray:
    """(N, H, W) maps from attributions (N, H, W[, C]) or (N, D): the largest absolute value
    over the channels, as Simonyan et al. show saliency."""
    values = np.abs(np.asarray(attributions, dtype=np.float32))
    if values.ndim == 4:
        return values.max(axis=-1)
    return values
