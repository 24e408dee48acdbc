"""``keras.ops``: Keras 3's NumPy-like functions over dlpath Tensors (`dlpath.ops`)."""

import sys as _sys

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
from dlpath.activations import (
    celu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_swish, hard_tanh, log_sigmoid,
    soft_shrink, softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh_shrink,
    threshold,
)
from dlpath.keras import ops_linalg as linalg
from dlpath.keras import ops_nn as nn
from dlpath.keras.ops_linalg import svd
from dlpath.ops.linalg import (
    cholesky, cholesky_inverse, det, eig, eigh, inv, logdet, lstsq, lu_factor, matrix_power,
    matrix_rank, pinv, qr, slogdet, solve, solve_triangular,
)
from dlpath.ops.nn_more import (
    adaptive_average_pool, adaptive_max_pool, average_pool, batch_normalization,
    binary_crossentropy, categorical_crossentropy, conv, conv_transpose, depth_to_space,
    depthwise_conv, dot_product_attention, extract_sequences, layer_normalization,
    max_pool, multi_hot, psnr, rms_normalization, separable_conv, space_to_depth,
    sparse_categorical_crossentropy,
)
from dlpath.ops.math_more import (
    allclose, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt, copysign,
    cos, cosh, deg2rad, divide_no_nan, erfc, erfinv, exp2, expm1, fabs, floor_divide, fmax,
    fmin, heaviside, hypot, isclose, log10, log2, log_sigmoid, logaddexp, logaddexp2,
    nan_to_num, rad2deg, signbit, sin, sinh, softsign, tan, true_divide, trunc,
)
from dlpath.ops.math_more import fmod, mod
from dlpath.ops.reductions_more import (
    average, bincount, count_nonzero, cumprod, in_top_k, median, nanmax, nanmean, nanmin,
    nanprod, nanstd, nansum, nanvar, percentile, ptp, quantile, segment_max, segment_min,
    segment_prod, segment_sum,
)
from dlpath.ops.array_more import (
    append, array_split, column_stack, cross, diag, diagflat, diagonal, dsplit, dstack,
    fliplr, flipud, hsplit, hstack, inner, kron, meshgrid, moveaxis, outer, pad, ravel, roll,
    rot90, swapaxes, tensordot, trace, tri, tril, triu, vdot, vsplit, vstack,
)
from dlpath.ops.array import nonzero
from dlpath.ops.indexing_more import (
    copy, digitize, dtype, get_item, is_tensor, ndim, repeat, scatter, scatter_update,
    searchsorted, select, slice_update, switch, unique,
)
from dlpath.ops.indexing_more import tensor_array as array
from dlpath.ops.numpy_more import (
    argpartition, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_or,
    bitwise_right_shift, bitwise_xor, corrcoef, diff, empty, empty_like, gammainc, gcd,
    geomspace, histogram, i0, isin, isneginf, isposinf, isreal, lcm, ldexp, logspace,
    nanargmax, nanargmin, nancumprod, nancumsum, nanmedian, nanpercentile, nanquantile,
    nextafter, sinc, trapezoid, unravel_index, vander,
)
from dlpath.ops.numpy_more import bitwise_invert as bitwise_not
from dlpath.ops.numpy_more import bitwise_left_shift as left_shift
from dlpath.ops.numpy_more import bitwise_right_shift as right_shift
from dlpath.ops.control_flow import (
    associative_scan, cond, fori_loop, map, scan, while_loop,
)
from dlpath.ops.rearrange import rearrange, vectorize
from dlpath.ops.fft import fft, fft2, ifft2, irfft, istft, rfft, stft
from dlpath.ops.signal_more import (
    angle, bartlett, blackman, cdist, conj, conjugate, correlate, hamming, hanning, imag,
    kaiser, real, saturate_cast,
)

# `import dlpath.keras.ops.nn` / `.linalg` work as for Keras' packages.
_sys.modules[f"{__name__}.nn"] = nn
_sys.modules[f"{__name__}.linalg"] = linalg

__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
