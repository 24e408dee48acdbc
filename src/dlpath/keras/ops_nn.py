"""``keras.ops.nn``: Keras 3's neural-network functions (activations, convolutions,
pooling, normalization, cross-entropies, attention) over `dlpath.ops`."""

from dlpath.activations import (
    celu, glu, hard_shrink, hard_silu, hard_swish, hard_tanh, log_sigmoid, soft_shrink,
    softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold,
)
from dlpath.activations import hard_sigmoid
from dlpath.ops.ctc import ctc_decode_keras3 as ctc_decode
from dlpath.ops.ctc import ctc_loss
from dlpath.ops.keras_names import normalize, one_hot
from dlpath.ops.nn import (
    elu, gelu, leaky_relu, log_softmax, moments, relu, relu6, selu, sigmoid, silu, softmax,
    softplus, swish,
)
from dlpath.ops.nn_more import (
    adaptive_average_pool, adaptive_max_pool, average_pool, batch_normalization,
    binary_crossentropy, categorical_crossentropy, conv, conv_transpose, depth_to_space,
    depthwise_conv, dot_product_attention, layer_normalization, max_pool, multi_hot, psnr,
    rms_normalization, separable_conv, space_to_depth, sparse_categorical_crossentropy,
)

__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
