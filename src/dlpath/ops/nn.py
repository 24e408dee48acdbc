r"""Neural-network functions: activations, cross-entropies from logits, normalisation, dropout.

All are built from the engine's activations and primitives, so they are differentiable.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor, activations
from dlpath.engine import losses as elosses
from dlpath.engine import ops as eops
from dlpath.ops._convert import convert_to_tensor, values

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _f(x) -> Tensor:
    x = convert_to_tensor(x)
    return x if x.dtype.kind == "f" else Tensor(x.data, dtype=np.float32)


def relu(x):
    """max(x, 0)."""
    return activations.relu(_f(x))


def relu6(x):
    """min(max(x, 0), 6)."""
    return eops.minimum(activations.relu(_f(x)), 6.0)


def elu(x, alpha: float = 1.0):
    """x if x > 0 else alpha (e^x - 1)."""
    return activations.elu(_f(x), alpha)


def selu(x):
    """scale * elu(x, alpha), with the self-normalising constants of Klambauer et al. 2017."""
    return activations.elu(_f(x), SELU_ALPHA) * SELU_SCALE


def gelu(x, approximate: bool = False):
    """x Phi(x) (exact), or its tanh approximation."""
    return activations.gelu(_f(x), approximate)


def leaky_relu(x, alpha: float = 0.2):
    """x if x > 0 else alpha x (TF's default alpha is 0.2)."""
    return activations.leaky_relu(_f(x), alpha)


def sigmoid(x):
    return activations.sigmoid(_f(x))


def tanh(x):
    return activations.tanh(_f(x))


def softplus(x):
    return activations.softplus(_f(x))


def silu(x, beta: float = 1.0):
    """x sigmoid(beta x) (swish)."""
    x = _f(x)
    return x * activations.sigmoid(x * beta if beta != 1.0 else x)


swish = silu


def softmax(x, axis: int = -1):
    """e^(x_i) / sum_j e^(x_j) along ``axis``."""
    return activations.softmax(_f(x), int(axis))


def log_softmax(x, axis: int = -1):
    """x_i - ln sum_j e^(x_j) along ``axis``."""
    return activations.log_softmax(_f(x), int(axis))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None):
    r"""Element-wise :math:`-z \ln \sigma(x) - (1 - z) \ln(1 - \sigma(x))
    = \mathrm{softplus}(x) - x z` (stable for any x)."""
    logits = _f(logits)
    labels = convert_to_tensor(labels, logits.dtype)
    if labels.shape != logits.shape:
        raise ValueError(f"sigmoid_cross_entropy_with_logits: labels have shape "
                         f"{labels.shape}, logits {logits.shape}; they must be equal")
    return activations.softplus(logits) - logits * labels


def softmax_cross_entropy_with_logits(labels=None, logits=None, axis: int = -1):
    r"""Per row :math:`-\sum_c y_c \ln \mathrm{softmax}(x)_c` along ``axis``."""
    logits = _f(logits)
    labels = convert_to_tensor(labels, logits.dtype)
    if labels.shape != logits.shape:
        raise ValueError(f"softmax_cross_entropy_with_logits: labels have shape "
                         f"{labels.shape}, logits {logits.shape}; they must be equal")
    axis = int(axis) % logits.ndim
    if axis != logits.ndim - 1:
        return -eops.sum(labels * activations.log_softmax(logits, axis), axis)
    return elosses.categorical_crossentropy(labels, logits, from_logits=True)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None):
    r"""Per row :math:`-\ln \mathrm{softmax}(x)_y` for class indices y of shape logits[:-1]."""
    logits = _f(logits)
    labels = values(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"sparse_softmax_cross_entropy_with_logits: labels have shape "
                         f"{labels.shape}, expected logits' shape without the last axis "
                         f"{logits.shape[:-1]}")
    return elosses.sparse_categorical_crossentropy(labels, logits, from_logits=True)


def l2_normalize(x, axis=None, epsilon: float = 1e-12):
    r""":math:`x / \sqrt{\max(\sum x^2, \epsilon)}` over ``axis`` (all axes when None)."""
    x = _f(x)
    squares = eops.sum(x * x, axis, True)
    return x / eops.sqrt(eops.maximum(squares, epsilon))


def moments(x, axes, keepdims: bool = False):
    r"""(mean, variance) over ``axes``: :math:`\mu = \bar x`, :math:`\sigma^2 =
    \overline{(x - \mu)^2}`."""
    x = _f(x)
    mean = eops.mean(x, axes, True)
    centred = x - mean
    variance = eops.mean(centred * centred, axes, keepdims)
    if not keepdims:
        mean = eops.mean(x, axes, False)
    return mean, variance


def dropout(x, rate: float, noise_shape=None, seed=None):
    r"""Zero each element with probability ``rate`` and scale the rest by 1/(1 - rate):
    :math:`y = x m / (1 - r)`, :math:`m \sim \mathrm{Bernoulli}(1 - r)` (always applied)."""
    x = _f(x)
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout: rate must lie in [0, 1), got {rate}")
    if rate == 0.0:
        return x
    shape = x.shape if noise_shape is None else tuple(
        x.shape[i] if n is None else int(n) for i, n in enumerate(noise_shape))
    from dlpath.ops.random import draw_generator

    kept = draw_generator(seed).random(shape) >= rate
    keep = kept.astype(x.dtype) / np.asarray(1.0 - rate, x.dtype)
    return x * Tensor(keep, dtype=x.dtype)
