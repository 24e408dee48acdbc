r"""``tf.nn``'s convolution, pooling, normalization and loss functions in TF's signatures.

The computations are `dlpath.ops.nn_more`'s (over the engine's fused ops); this module only
reads TF's arguments: strides as an int or a list of rank (or rank + 2) ints, padding
'SAME' / 'VALID' (or explicit pairs), data_format 'NHWC' / 'NCHW', filters HWIO.
"""

from __future__ import annotations

import numpy as np

from dlpath.engine import activations
from dlpath.engine import ops as eops
from dlpath.ops import nn_more
from dlpath.ops._convert import convert_to_tensor
from dlpath.ops.nn_more import (
    collapse_repeated, crelu, embedding_lookup, local_response_normalization,
)
from dlpath.ops.nn_more import depth_to_space as _depth_to_space
from dlpath.ops.nn_more import space_to_depth as _space_to_depth

lrn = local_response_normalization


def _first(data_format, owner):
    return nn_more.channels_first(data_format or "NHWC", owner)


def _conv(owner, input, filters, strides, padding, data_format, dilations):  # noqa: A002
    first = _first(data_format, owner)
    x = convert_to_tensor(input)
    rank = x.ndim - 2
    strides = nn_more.spatial_of(strides, rank, "strides", owner, first)
    dilations = nn_more.spatial_of(dilations, rank, "dilations", owner, first)
    return nn_more.conv(x, filters, strides, padding,
                        "channels_first" if first else "channels_last", dilations)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """1-D convolution of (N, W, C) with filters (k, C, O)."""
    return _conv("conv1d", _rank_checked(input, 3, "conv1d"), filters, stride, padding,
                 data_format, dilations)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """2-D convolution of NHWC input with HWIO filters."""
    return _conv("conv2d", _rank_checked(input, 4, "conv2d"), filters, strides, padding,
                 data_format, dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None,  # noqa: A002
           name=None):
    """3-D convolution of NDHWC input with (kd, kh, kw, C, O) filters."""
    return _conv("conv3d", _rank_checked(input, 5, "conv3d"), filters, strides, padding,
                 data_format, dilations)


def convolution(input, filters, strides=None, padding="VALID", data_format=None,  # noqa: A002
                dilations=None, name=None):
    """N-d convolution (N from the input's rank)."""
    return _conv("convolution", input, filters, strides, padding, data_format, dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated ("atrous") 2-D convolution: conv2d with dilations = rate."""
    return conv2d(value, filters, 1, padding, dilations=rate)


def _rank_checked(x, rank: int, owner: str):
    x = convert_to_tensor(x)
    if x.ndim != rank:
        raise ValueError(f"{owner}: expected an input of rank {rank}, got shape {x.shape}")
    return x


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transposed 2-D convolution producing ``output_shape``, filters (kh, kw, O, C)."""
    return nn_more.conv_transpose_to_shape(
        _rank_checked(input, 4, "conv2d_transpose"), filters, output_shape, strides,
        padding, dilations, _first(data_format, "conv2d_transpose"), "conv2d_transpose")


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NWC", dilations=None, name=None):
    return nn_more.conv_transpose_to_shape(
        _rank_checked(input, 3, "conv1d_transpose"), filters, output_shape, strides,
        padding, dilations, _first(data_format, "conv1d_transpose"), "conv1d_transpose")


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NDHWC", dilations=None, name=None):
    return nn_more.conv_transpose_to_shape(
        _rank_checked(input, 5, "conv3d_transpose"), filters, output_shape, strides,
        padding, dilations, _first(data_format, "conv3d_transpose"), "conv3d_transpose")


def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """Depthwise 2-D convolution, filter (kh, kw, C, m) -> C m channels."""
    first = _first(data_format, "depthwise_conv2d")
    strides = nn_more.spatial_of(strides, 2, "strides", "depthwise_conv2d", first)
    dilations = nn_more.spatial_of(dilations, 2, "dilations", "depthwise_conv2d", first)
    return nn_more.depthwise_conv(_rank_checked(input, 4, "depthwise_conv2d"), filter,
                                  strides, padding,
                                  "channels_first" if first else "channels_last", dilations)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     data_format=None, dilations=None, name=None):
    """depthwise_conv2d, then a 1x1 conv2d with pointwise_filter (1, 1, C m, O)."""
    first = _first(data_format, "separable_conv2d")
    y = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return nn_more.conv(y, pointwise_filter, 1, "valid",
                        "channels_first" if first else "channels_last")


# ------------------------------------------------------------------------------------ pooling
def _pool(kind, owner, input, ksize, strides, padding, data_format, rank=None):  # noqa: A002
    x = convert_to_tensor(input)
    if rank is not None and x.ndim != rank + 2:
        raise ValueError(f"{owner}: expected an input of rank {rank + 2}, got shape {x.shape}")
    first = _first(data_format, owner)
    return nn_more.pool(x, kind, ksize, strides, padding,
                        "channels_first" if first else "channels_last", owner)


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool("max", "max_pool", input, ksize, strides, padding, data_format)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("max", "max_pool1d", input, ksize, strides, padding, data_format, 1)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("max", "max_pool2d", input, ksize, strides, padding, data_format, 2)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("max", "max_pool3d", input, ksize, strides, padding, data_format, 3)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool("avg", "avg_pool", input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("avg", "avg_pool1d", input, ksize, strides, padding, data_format, 1)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("avg", "avg_pool2d", input, ksize, strides, padding, data_format, 2)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("avg", "avg_pool3d", input, ksize, strides, padding, data_format, 3)


def pool(input, window_shape, pooling_type, strides=None, padding="VALID",  # noqa: A002
         data_format=None, dilations=None, name=None):
    """tf.nn.pool: 'MAX' or 'AVG' pooling over windows of ``window_shape``."""
    kinds = {"MAX": "max", "AVG": "avg"}
    if str(pooling_type).upper() not in kinds:
        raise ValueError(f"pool: pooling_type must be 'MAX' or 'AVG', got {pooling_type!r}")
    if dilations is not None and any(int(d) != 1 for d in np.atleast_1d(dilations)):
        raise ValueError(f"pool: dilations other than 1 are not supported, got {dilations}")
    return _pool(kinds[str(pooling_type).upper()], "pool", input, window_shape,
                 window_shape if strides is None else strides, padding, data_format)


# ------------------------------------------------------------------------------ normalization
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    r""":math:`(x - \mu) / \sqrt{\sigma^2 + \epsilon}\, \gamma + \beta`, all broadcast."""
    x = convert_to_tensor(x)
    x = x if x.dtype.kind == "f" else eops.cast(x, np.float32)
    y = (x - convert_to_tensor(mean, x.dtype)) / eops.sqrt(
        convert_to_tensor(variance, x.dtype) + float(variance_epsilon))
    if scale is not None:
        y = y * convert_to_tensor(scale, x.dtype)
    if offset is not None:
        y = y + convert_to_tensor(offset, x.dtype)
    return y


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    r"""(count, :math:`\sum (x - s)`, :math:`\sum (x - s)^2`, shift) over ``axes``."""
    x = convert_to_tensor(x)
    axes = [int(a) % x.ndim for a in np.atleast_1d(axes)]
    count = float(np.prod([x.shape[a] for a in axes]))
    centred = x if shift is None else x - convert_to_tensor(shift, x.dtype)
    return (convert_to_tensor(np.asarray(count, x.dtype)),
            eops.sum(centred, tuple(axes), keepdims),
            eops.sum(centred * centred, tuple(axes), keepdims), shift)


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    r"""(mean, variance) from sufficient statistics: :math:`m = S_1 / n (+ s)`,
    :math:`v = S_2 / n - (S_1 / n)^2`."""
    mean_ss = convert_to_tensor(mean_ss)
    divisor = 1.0 / convert_to_tensor(counts, mean_ss.dtype)
    shifted = mean_ss * divisor
    variance = convert_to_tensor(variance_ss, mean_ss.dtype) * divisor - shifted * shifted
    mean = shifted if shift is None else shifted + convert_to_tensor(shift, mean_ss.dtype)
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    r"""Weighted (mean, variance) over ``axes``: :math:`\mu = \sum w x / \sum w`,
    :math:`\sigma^2 = \sum w (x - \mu)^2 / \sum w` (weights broadcast to x)."""
    x = convert_to_tensor(x)
    w = convert_to_tensor(frequency_weights, x.dtype)
    axes = tuple(int(a) % x.ndim for a in np.atleast_1d(axes))
    total = eops.sum(w * convert_to_tensor(np.ones(x.shape, x.dtype)), axes, True)
    mean = eops.sum(w * x, axes, True) / total
    variance = eops.sum(w * (x - mean) * (x - mean), axes, True) / total
    if not keepdims:
        mean, variance = eops.reshape(mean, _kept(x.shape, axes)), eops.reshape(
            variance, _kept(x.shape, axes))
    return mean, variance


def _kept(shape, axes):
    return tuple(n for i, n in enumerate(shape) if i not in axes)


# ------------------------------------------------------------------------------------ losses
def l2_loss(t, name=None):
    r""":math:`\sum t^2 / 2`."""
    t = convert_to_tensor(t)
    return eops.sum(t * t) * 0.5


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    r""":math:`q z \cdot -\ln \sigma(x) + (1 - z) \cdot -\ln(1 - \sigma(x))
    = (1 - z) x + (1 + (q - 1) z)\, \mathrm{softplus}(-x)` (stable)."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, logits.dtype)
    if labels.shape != logits.shape:
        raise ValueError(f"weighted_cross_entropy_with_logits: labels have shape "
                         f"{labels.shape}, logits {logits.shape}; they must be equal")
    q = convert_to_tensor(pos_weight, logits.dtype)
    weight = 1.0 + (q - 1.0) * labels
    return (1.0 - labels) * logits + weight * activations.softplus(-logits)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    r""":math:`e^c - z c`; with ``compute_full_loss`` plus Stirling's
    :math:`z \ln z - z + \frac12 \ln(2 \pi z)` where z > 1."""
    c = convert_to_tensor(log_input)
    z = convert_to_tensor(targets, c.dtype)
    if z.shape != c.shape:
        raise ValueError(f"log_poisson_loss: targets have shape {z.shape}, log_input "
                         f"{c.shape}; they must be equal")
    loss = eops.exp(c) - z * c
    if compute_full_loss:
        zv = z.data
        safe = np.where(zv > 1, zv, 1.0)
        stirling = safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe)
        loss = loss + convert_to_tensor(np.where(zv > 1, stirling, 0.0).astype(c.dtype))
    return loss


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    r""":math:`\sum_i w_i l_i / B`, B = ``global_batch_size`` or the first axis' size (one
    replica)."""
    loss = convert_to_tensor(per_example_loss)
    if sample_weight is not None:
        loss = loss * convert_to_tensor(sample_weight, loss.dtype)
    size = global_batch_size
    if size is None:
        size = loss.shape[0] if loss.ndim else 1
    if int(size) <= 0:
        raise ValueError(f"compute_average_loss: global_batch_size must be > 0, got {size}")
    return eops.sum(loss) / float(size)


def scale_regularization_loss(regularization_loss):
    """The sum of the regularization losses divided by the number of replicas (1)."""
    if isinstance(regularization_loss, (list, tuple)):
        terms = [convert_to_tensor(t) for t in regularization_loss]
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        return total
    return eops.sum(convert_to_tensor(regularization_loss))


# ---------------------------------------------------------------------------------- misc
def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    return _depth_to_space(input, block_size, data_format)


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    return _space_to_depth(input, block_size, data_format)


def top_k(input, k=1, sorted=True, index_type="int32", name=None):  # noqa: A002
    """(values, indices) of the k largest entries of the last axis."""
    from dlpath.ops.math import top_k as _top_k

    return _top_k(input, k, sorted)


def in_top_k(targets, predictions, k, name=None):
    from dlpath.ops.reductions_more import in_top_k as _in_top_k

    return _in_top_k(targets, predictions, k)


def softsign(features, name=None):
    """x / (1 + |x|)."""
    from dlpath.activations import softsign as _softsign

    return _softsign(features)


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True,
             unique=None, blank_index=None, name=None):
    """Per-example CTC negative log-likelihood of dense ``labels`` (batch, max_label) under
    ``logits`` (time, batch, classes) (or batch-major), blank ``blank_index`` (default 0;
    negative counts from the end)."""
    from dlpath.engine.ctc import ctc_nll

    logits = convert_to_tensor(logits)
    if logits.ndim != 3:
        raise ValueError(f"ctc_loss: logits must be 3-D, got shape {logits.shape}")
    if logits_time_major:
        logits = eops.transpose(logits, (1, 0, 2))  # (B, T, C)
    blank = 0 if blank_index is None else int(blank_index) % logits.shape[-1]
    return ctc_nll(logits, labels, logit_length, label_length, blank, True)


def _dense_decoded(sequences):
    width = max([len(s) for s in sequences] + [0])
    out = np.zeros((len(sequences), width), dtype=np.int64)
    for i, s in enumerate(sequences):
        out[i, :len(s)] = s
    return convert_to_tensor(out)


def _time_major_log_probs(inputs, owner):
    x = np.asarray(getattr(inputs, "data", inputs), dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"{owner}: inputs must be (max_time, batch, classes), got shape "
                         f"{x.shape}")
    x = np.transpose(x, (1, 0, 2))
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding of time-major logits; the blank is the last class unless
    ``blank_index``. Returns ([decoded (batch, longest) dense, 0-padded],
    neg_sum_logits (batch, 1))."""
    from dlpath.ops.ctc import greedy_decode

    log_probs = _time_major_log_probs(inputs, "ctc_greedy_decoder")
    blank = log_probs.shape[-1] - 1 if blank_index is None else int(blank_index)
    raw = np.transpose(np.asarray(getattr(inputs, "data", inputs)), (1, 0, 2))
    sequences, _ = greedy_decode(log_probs, sequence_length, blank % log_probs.shape[-1],
                                 merge_repeated)
    lengths = np.asarray(getattr(sequence_length, "data", sequence_length)).astype(int)
    best = np.array([raw[n, :lengths[n]].max(axis=-1).sum() for n in range(len(raw))])
    return [_dense_decoded(sequences)], convert_to_tensor(-best[:, None].astype(np.float32))


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam-search decoding of time-major logits (blank = last class). Returns
    ([decoded per path, dense 0-padded], log_probabilities (batch, top_paths))."""
    from dlpath.ops.ctc import beam_search_decode

    log_probs = _time_major_log_probs(inputs, "ctc_beam_search_decoder")
    paths, scores = beam_search_decode(log_probs, sequence_length, beam_width, top_paths,
                                       log_probs.shape[-1] - 1)
    return ([_dense_decoded(sequences) for sequences in paths],
            convert_to_tensor(np.asarray(scores, np.float32)))


__all__ = [name for name in dir() if not name.startswith("_") and name not in (
    "annotations", "np", "activations", "eops", "nn_more", "convert_to_tensor")]
