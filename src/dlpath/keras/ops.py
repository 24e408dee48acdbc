"""``keras.ops``: Keras 3's NumPy-like functions over dlpath Tensors (`dlpath.ops`)."""

from dlpath.ops import (
    abs, add, all, any, arange, argmax, argmin, argsort, broadcast_to, cast, ceil, clip,
    concatenate, convert_to_tensor, cumsum, divide, dot, einsum, equal, erf, exp,
    expand_dims, flip, floor, full, full_like, greater, greater_equal, less, less_equal,
    linspace, log, log1p, log_softmax, logical_and, logical_not, logical_or, logical_xor,
    logsumexp, matmul, max, maximum, mean, min, minimum, moments, multiply, negative, norm,
    not_equal, ones, ones_like, prod, reciprocal, relu, relu6, repeat, reshape, round,
    rsqrt, selu, sigmoid, sign, silu, softmax, softplus, sort, split, sqrt, square, squeeze,
    stack, std, stop_gradient, subtract, sum, take, take_along_axis, tanh, tile, top_k,
    transpose, unstack, var, zeros, zeros_like, elu, gelu, leaky_relu,
)
from dlpath.ops import pow as power
from dlpath.ops import abs as absolute
from dlpath.ops.array import shape, size
from dlpath.ops.ctc import ctc_decode_keras3 as ctc_decode
from dlpath.ops.ctc import ctc_loss
from dlpath.ops.keras_names import (
    convert_to_numpy, eye, identity, isfinite, isinf, isnan, normalize, one_hot, slice,
    vectorized_map, where,
)
from dlpath.ops.math import max as amax
from dlpath.ops.math import min as amin
from dlpath.ops.nn import swish

__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
