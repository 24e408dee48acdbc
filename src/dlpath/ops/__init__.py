"""dlpath's library of tensor functions, shared by ``tf.*``, ``keras.ops`` and
``keras.backend``: one implementation each, over engine Tensors, differentiable where the
math allows.

Grouped by theme: `math` (element-wise, reductions, sorting), `array` (shapes, joining,
indexing, constants), `comparison`, `nn`, `random`, `einsum`; `primitives` holds the few new
primitive ops they need (erf, log1p, prod, cumsum). `nn_more` holds convolution, pooling,
normalization, attention and cross-entropy functions over the engine's fused ops,
`backend_nn` their Keras 2 ``keras.backend`` signatures, `linalg` linear algebra.
More themes: `math_more` (trigonometry, logs, special functions, safe divisions),
`reductions_more` (scans, quantiles, nan-ignoring and segment reductions), `array_more`,
`padding` and `indexing_more` (shapes, products, gathers, scatters, slices), `numpy_more`
(NumPy's remaining functions), `signal_more` and `fft`, `control_flow`, `rearrange`,
`backend_more` (Keras 2 leftovers); `primitives_more` holds their new primitive ops.
"""

from dlpath.ops._convert import (
    DTYPES, as_dtype, bool_, constant, convert_to_tensor, float16, float32, float64, int8,
    int16, int32, int64, string, to_numpy, uint8,
)
from dlpath.ops.array import (
    arange, broadcast_to, concatenate, expand_dims, eye, flatten, flip, full, full_like,
    gather, identity, linspace, nonzero, one_hot, ones, ones_like, rank, repeat, reshape,
    shape, size, split, split_sizes, squeeze, stack, stop_gradient, take, take_along_axis,
    tile, transpose, unstack, where, zeros, zeros_like,
)
from dlpath.ops.comparison import (
    equal, greater, greater_equal, less, less_equal, logical_and, logical_not, logical_or,
    logical_xor, not_equal,
)
from dlpath.ops.einsum import einsum
from dlpath.ops.math import (
    abs, add, all, any, argmax, argmin, argsort, cast, ceil, clip, confusion_matrix, cumsum,
    divide, dot, erf, exp, floor, is_finite, is_inf, is_nan, log, log1p, logsumexp, matmul,
    max, maximum, mean, min, minimum, multiply, negative, norm, pow, prod, reciprocal, round,
    rsqrt, sigmoid, sign, softplus, sort, sqrt, square, squared_difference, std, subtract,
    sum, tanh, top_k, var,
)
from dlpath.ops.nn import (
    dropout, elu, gelu, leaky_relu, l2_normalize, log_softmax, moments, relu, relu6, selu,
    sigmoid_cross_entropy_with_logits, silu, softmax, softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits, swish,
)
from dlpath.ops.math_more import (
    allclose, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, cbrt, copysign,
    cos, cosh, deg2rad, digamma, divide_no_nan, erfc, erfinv, exp2, expm1, fabs,
    floor_divide, fmax, fmin, fmod, heaviside, hypot, isclose, lgamma, log10, log2,
    log_sigmoid, logaddexp, logaddexp2, mod, multiply_no_nan, nan_to_num, rad2deg, rint,
    signbit, sin, sinh, softsign, tan, true_divide, trunc, xdivy, xlogy,
)
from dlpath.ops.reductions_more import (
    average, bincount, count_nonzero, cumprod, cumulative_logsumexp, in_top_k, median,
    nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar, percentile, ptp, quantile,
    reduce_euclidean_norm, segment_max, segment_mean, segment_min, segment_prod,
    segment_sum, unsorted_segment_sum,
)
from dlpath.ops.array_more import (
    append, array_split, clip_by_global_norm, clip_by_norm, column_stack, cross, diag,
    diagflat, diagonal, dsplit, dstack, fliplr, flipud, hsplit, hstack, inner, kron,
    meshgrid, moveaxis, outer, pad, ravel, roll, rot90, swapaxes, tensordot, trace, tri,
    tril, triu, vdot, vsplit, vstack,
)
from dlpath.ops.indexing_more import (
    boolean_mask, digitize, ensure_shape, executing_eagerly, gather_nd, get_item, is_tensor,
    reverse, scatter, scatter_nd, scatter_update, searchsorted, select, sequence_mask,
    slice_update, strided_slice, tensor_scatter_nd_update,
)
from dlpath.ops.numpy_more import (
    argpartition, betainc, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_or,
    bitwise_right_shift, bitwise_xor, corrcoef, diff, empty, empty_like, gammainc, gcd,
    geomspace, histogram, i0, igamma, invert_permutation, isin, isneginf, isposinf, isreal,
    lbeta, lcm, ldexp, logspace, nanargmax, nanargmin, nancumprod, nancumsum, nanmedian,
    nanpercentile, nanquantile, ndtri, nextafter, polyval, scalar_mul, sinc, trapezoid,
    unravel_index, vander, zeta,
)
from dlpath.ops.nn_more import (
    average_pool, batch_normalization, binary_crossentropy, categorical_crossentropy, conv,
    conv_transpose, crelu, depth_to_space, depthwise_conv, dot_product_attention,
    embedding_lookup, extract_sequences, layer_normalization,
    local_response_normalization, max_pool, multi_hot, psnr, rms_normalization,
    separable_conv, space_to_depth, sparse_categorical_crossentropy,
)

__all__ = [name for name in dir() if not name.startswith("_")]
