"""``tf.nn``: activations, cross-entropies from logits, normalisation, dropout, moments."""

from dlpath.ops import (
    dropout, elu, gelu, leaky_relu, l2_normalize, relu, relu6, selu, sigmoid,
    sigmoid_cross_entropy_with_logits, silu, softmax_cross_entropy_with_logits, softplus,
    sparse_softmax_cross_entropy_with_logits, swish, tanh,
)
from dlpath import ops as _ops
from dlpath.tf_api.nn_ops import (
    atrous_conv2d, avg_pool, avg_pool1d, avg_pool2d, avg_pool3d, batch_normalization,
    collapse_repeated, compute_average_loss, conv1d, conv1d_transpose, conv2d,
    conv2d_transpose, conv3d, conv3d_transpose, convolution, crelu, ctc_beam_search_decoder,
    ctc_greedy_decoder, ctc_loss, depth_to_space, depthwise_conv2d, embedding_lookup,
    in_top_k, l2_loss, local_response_normalization, log_poisson_loss, lrn, max_pool,
    max_pool1d, max_pool2d, max_pool3d, normalize_moments, pool, scale_regularization_loss,
    separable_conv2d, softsign, space_to_depth, sufficient_statistics, top_k,
    weighted_cross_entropy_with_logits, weighted_moments,
)


def softmax(logits, axis=None):
    return _ops.softmax(logits, -1 if axis is None else axis)


def log_softmax(logits, axis=None):
    return _ops.log_softmax(logits, -1 if axis is None else axis)


def moments(x, axes, shift=None, keepdims: bool = False):
    """(mean, variance) over ``axes``."""
    return _ops.moments(x, axes, keepdims)


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, the bias along the channel axis (last; axis 1 with 'NCHW' etc.)."""
    from dlpath.ops.backend_nn import bias_add as _bias_add

    return _bias_add(value, bias, data_format or "NHWC")


__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
