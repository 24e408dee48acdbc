r"""Keras 2's ``keras.backend`` neural-network functions in their own signatures:
convolutions, pooling, ``bias_add``, element-wise losses and activations, random draws,
``resize_images`` and the ``rnn`` time loop.

The convolutions and pooling are `dlpath.ops.nn_more`'s (over the engine's fused ops);
``data_format`` None means the configured ``image_data_format()``.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import Tensor
from dlpath.engine import conv as _econv
from dlpath.engine import ops as _eops
from dlpath.ops import array as _array
from dlpath.ops import nn as _nn
from dlpath.ops import nn_more as _more
from dlpath.ops._convert import convert_to_tensor as _tensor
from dlpath.ops.config import floatx as _floatx


def _fmt(data_format, owner: str) -> str:
    return "channels_first" if _more.channels_first(data_format, owner) else "channels_last"


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1-D convolution; padding may also be 'causal' (zeros before the sequence only)."""
    if isinstance(padding, str) and padding.lower() == "causal":
        first = _more.channels_first(data_format, "conv1d")
        x = _more.to_last(_tensor(x), first)
        stride = strides if isinstance(strides, (int, np.integer)) else strides[0]
        rate = dilation_rate if isinstance(dilation_rate, (int, np.integer)) else \
            dilation_rate[0]
        return _more.to_first(_econv.conv1d(x, kernel, None, stride, "causal", rate), first)
    return _more.conv(x, kernel, strides, padding, _fmt(data_format, "conv1d"), dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1)):
    return _more.conv(x, kernel, strides, padding, _fmt(data_format, "conv2d"), dilation_rate)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    return _more.conv(x, kernel, strides, padding, _fmt(data_format, "conv3d"), dilation_rate)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    """The transposed convolution of ``output_shape`` (batch included), kernel
    (kh, kw, out, in)."""
    first = _more.channels_first(data_format, "conv2d_transpose")
    return _more.conv_transpose_to_shape(x, kernel, output_shape, strides, padding,
                                         dilation_rate, first, "conv2d_transpose")


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    return _more.depthwise_conv(x, depthwise_kernel, strides, padding,
                                _fmt(data_format, "depthwise_conv2d"), dilation_rate)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    return _more.separable_conv(x, depthwise_kernel, pointwise_kernel, strides, padding,
                                _fmt(data_format, "separable_conv2d"), dilation_rate)


def _pool(owner, rank, x, pool_size, strides, padding, data_format, pool_mode):
    x = _tensor(x)
    if x.ndim != rank + 2:
        raise ValueError(f"{owner}: expected an input of rank {rank + 2}, got shape {x.shape}")
    kinds = {"max": "max", "avg": "avg"}
    if pool_mode not in kinds:
        raise ValueError(f"{owner}: pool_mode must be 'max' or 'avg', got {pool_mode!r}")
    return _more.pool(x, kinds[pool_mode], pool_size, strides, padding,
                      _fmt(data_format, owner), owner)


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """Max or average pooling of a 4-D input (Keras 2: strides default to 1)."""
    return _pool("pool2d", 2, x, pool_size, strides, padding, data_format, pool_mode)


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None,
           pool_mode="max"):
    return _pool("pool3d", 3, x, pool_size, strides, padding, data_format, pool_mode)


def bias_add(x, bias, data_format=None):
    """x + bias along the channel axis (last, or 1 with 'channels_first')."""
    x, bias = _tensor(x), _tensor(bias)
    channels = x.shape[1] if _more.channels_first(data_format, "bias_add") else x.shape[-1]
    if bias.ndim == 1 and bias.shape[0] != channels:
        raise ValueError(f"bias_add: the bias has shape {bias.shape}, expected ({channels},) "
                         f"for an input of shape {x.shape}")
    if bias.ndim == 1 and _more.channels_first(data_format, "bias_add") and x.ndim > 2:
        bias = _eops.reshape(bias, (channels,) + (1,) * (x.ndim - 2))
    return x + bias


def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy (no mean)."""
    return _more.binary_crossentropy(target, output, from_logits)


def dropout(x, level, noise_shape=None, seed=None):
    """Zero a fraction ``level`` of x, scaling the rest by 1 / (1 - level)."""
    return _nn.dropout(x, level, noise_shape, seed)


def elu(x, alpha=1.0):
    return _nn.elu(x, alpha)


def hard_sigmoid(x):
    """Keras 2's clip(0.2 x + 0.5, 0, 1)."""
    x = _tensor(x)
    return _eops.clip(x * 0.2 + 0.5, 0.0, 1.0)


def softsign(x):
    """x / (1 + |x|)."""
    x = _tensor(x)
    return x / (_eops.abs(x) + 1.0)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability p, else 0."""
    from dlpath.ops.random import draw_generator

    shape = tuple(int(n) for n in shape)
    draws = draw_generator(seed).random(shape) < float(p)
    return Tensor(draws.astype(dtype or _floatx()))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal draws re-drawn beyond two standard deviations."""
    from dlpath.ops.random import truncated_normal as _truncated

    return _truncated(shape, mean, stddev, dtype or _floatx(), seed)


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Scale the height and width of 4-D images by integer factors ('nearest' repeats
    pixels; 'bilinear' interpolates)."""
    from dlpath.layers.preprocessing.image_sampling import resize

    first = _more.channels_first(data_format, "resize_images")
    x = _more.to_last(_tensor(x), first)
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"resize_images: interpolation must be 'nearest' or 'bilinear', got "
                         f"{interpolation!r}")
    h, w = int(height_factor), int(width_factor)
    if interpolation == "nearest":
        y = _array.repeat(_array.repeat(x, h, 1), w, 2)
    else:
        y = resize(x, x.shape[1] * h, x.shape[2] * w, "bilinear")
    return _more.to_first(y, first)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None,
        constants=None, unroll=False, input_length=None, time_major=False,
        zero_output_for_mask=False, return_all_outputs=True):
    """Keras 2's time loop: ``output, states = step_function(x_t, states (+ constants))`` for
    each step t of ``inputs`` (batch, time, ...).

    Returns (last_output, outputs (batch, time, ...), new_states). Where ``mask`` (batch,
    time) is 0 the states are carried over and the output repeats the previous one (or is
    zero with ``zero_output_for_mask``).
    """
    x = _tensor(inputs)
    if x.ndim < 3:
        raise ValueError(f"rnn: inputs must be at least 3-D (batch, time, ...), got shape "
                         f"{x.shape}")
    if time_major:
        x = _eops.transpose(x, (1, 0) + tuple(range(2, x.ndim)))
    steps = list(range(x.shape[1]))
    if go_backwards:
        steps.reverse()
    keep = None if mask is None else np.asarray(getattr(mask, "data", mask)).astype(bool)
    states = list(initial_states)
    extra = list(constants or [])
    outputs, previous = [], None
    for t in steps:
        output, new_states = step_function(_eops.getitem(x, (slice(None), t)),
                                           states + extra)
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [
            new_states]
        if keep is not None:
            m = keep[:, t]
            if previous is None:
                previous = output * 0.0
            fallback = output * 0.0 if zero_output_for_mask else previous
            output = _eops.where(_as_rows(m, output), output, fallback)
            new_states = [_eops.where(_as_rows(m, new), new, old)
                          for new, old in zip(new_states, states)]
            previous = output if not zero_output_for_mask else _eops.where(
                _as_rows(m, output), output, previous)
        states = new_states
        outputs.append(output)
    stacked = _eops.stack(outputs, 1)
    if time_major:
        stacked = _eops.transpose(stacked, (1, 0) + tuple(range(2, stacked.ndim)))
    if not return_all_outputs:
        stacked = _eops.reshape(outputs[-1], outputs[-1].shape[:1] + (1,) +
                                outputs[-1].shape[1:])
    return outputs[-1], stacked, states


def _as_rows(m: np.ndarray, like) -> np.ndarray:
    return np.broadcast_to(m.reshape(m.shape + (1,) * (like.ndim - 1)), like.shape)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    r""":math:`(x - \mu) / \sqrt{\sigma^2 + \epsilon}\, \gamma + \beta` with given statistics
    (1-D along ``axis``, or already broadcastable)."""
    x = _tensor(x)
    axis = int(axis) % x.ndim

    def along(v):
        if v is None:
            return None
        v = _tensor(v, x.dtype if x.dtype.kind == "f" else None)
        if v.ndim == 1 and x.ndim > 1 and axis != x.ndim - 1:
            shape = [1] * x.ndim
            shape[axis] = v.shape[0]
            return _eops.reshape(v, tuple(shape))
        return v

    y = (x - along(mean)) / _eops.sqrt(along(var) + float(epsilon))
    if gamma is not None:
        y = y * along(gamma)
    return y if beta is None else y + along(beta)


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False):
    r"""Focal loss (Lin et al. 2017), element-wise: :math:`(1 - p_t)^\gamma \mathrm{BCE}`,
    :math:`p_t = y p + (1 - y)(1 - p)`; with class balancing times
    :math:`y \alpha + (1 - y)(1 - \alpha)`."""
    output = _tensor(output)
    target = _tensor(target, output.dtype)
    p = output.sigmoid() if from_logits else output
    p_t = target * p + (1.0 - target) * (1.0 - p)
    focal = _eops.pow(1.0 - p_t, float(gamma)) * _more.binary_crossentropy(
        target, output, from_logits)
    if apply_class_balancing:
        focal = focal * (target * float(alpha) + (1.0 - target) * (1.0 - float(alpha)))
    return focal


def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False,
                                   axis=-1):
    r""":math:`\sum_c \alpha (1 - p_c)^\gamma \cdot -y_c \ln p_c` along ``axis``, p
    renormalised and clipped to [eps, 1 - eps]."""
    from dlpath.engine import activations
    from dlpath.ops.config import epsilon

    output = _tensor(output)
    target = _tensor(target, output.dtype)
    axis = int(axis) % output.ndim
    p = activations.softmax(output, axis) if from_logits else output
    p = _eops.clip(p / _eops.sum(p, axis, True), epsilon(), 1.0 - epsilon())
    weight = _eops.pow(1.0 - p, float(gamma)) * float(alpha)
    return _eops.sum(weight * (-target * _eops.log(p)), axis)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Repeat the voxels of a 5-D input by integer factors along depth, height, width."""
    first = _more.channels_first(data_format, "resize_volumes")
    x = _more.to_last(_tensor(x), first)
    if x.ndim != 5:
        raise ValueError(f"resize_volumes: expected a 5-D input, got shape {x.shape}")
    for axis, factor in zip((1, 2, 3), (depth_factor, height_factor, width_factor)):
        x = _array.repeat(x, int(factor), axis)
    return _more.to_first(x, first)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A Variable of normal draws (mean, standard deviation ``scale``)."""
    from dlpath.ops.backend import random_normal, variable

    return variable(random_normal(shape, mean, scale, dtype, seed), dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A Variable of uniform draws in [low, high)."""
    from dlpath.ops.backend import random_uniform, variable

    return variable(random_uniform(shape, low, high, dtype, seed), dtype, name)


__all__ = ["batch_normalization", "bias_add", "binary_crossentropy",
           "binary_focal_crossentropy", "categorical_focal_crossentropy", "conv1d", "conv2d",
           "conv2d_transpose", "conv3d", "depthwise_conv2d", "dropout", "elu", "hard_sigmoid",
           "pool2d", "pool3d", "random_bernoulli", "random_normal_variable",
           "random_uniform_variable", "resize_images", "resize_volumes", "rnn",
           "separable_conv2d", "softsign", "truncated_normal"]
