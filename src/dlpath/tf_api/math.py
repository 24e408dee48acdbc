"""``tf.math``: element-wise math, reductions, comparisons and friends (see `dlpath.ops`)."""

from dlpath.ops import (
    abs, add, confusion_matrix, cast, ceil, divide, equal, erf, exp, floor, greater,
    greater_equal, is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and,
    logical_not, logical_or, logical_xor, maximum, minimum, multiply, negative, not_equal,
    pow, reciprocal, round, rsqrt, sigmoid, sign, softmax, softplus, sqrt, square,
    squared_difference, subtract, tanh,
)
from dlpath.ops import l2_normalize
from dlpath.ops import log_softmax
from dlpath.ops.math_more import (
    cos, cosh, digamma, divide_no_nan, erfc, erfinv, expm1, lgamma, log_sigmoid,
    multiply_no_nan, rint, sin, sinh, softsign, tan, xdivy, xlogy,
)
from dlpath.ops.math_more import arccos as acos
from dlpath.ops.math_more import arccosh as acosh
from dlpath.ops.math_more import arcsin as asin
from dlpath.ops.math_more import arcsinh as asinh
from dlpath.ops.math_more import arctan as atan
from dlpath.ops.math_more import arctan2 as atan2
from dlpath.ops.math_more import arctanh as atanh
from dlpath.ops.math_more import floor_divide as floordiv
from dlpath.ops.math_more import mod, true_divide as truediv
from dlpath.ops.math_more import mod as floormod
from dlpath.ops.reductions_more import (
    bincount, count_nonzero, cumulative_logsumexp, in_top_k, reduce_euclidean_norm,
    segment_max, segment_mean, segment_min, segment_prod, segment_sum, unsorted_segment_sum,
)
from dlpath.ops.reductions_more import tf_cumprod as cumprod
from dlpath.ops.numpy_more import (
    betainc, bessel_i1, igamma, invert_permutation, lbeta, ndtri, nextafter, polyval,
    scalar_mul, zeta,
)
from dlpath.ops.numpy_more import i0 as bessel_i0
from dlpath.ops.signal_more import imag, real
from dlpath.tf_api.reductions import (
    add_n, argmax, argmin, cumsum, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
    reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance, top_k,
)
from dlpath.ops.reductions_more import cumsum  # noqa: F811 - with exclusive and reverse

__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
