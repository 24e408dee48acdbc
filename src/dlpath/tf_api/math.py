"""``tf.math``: element-wise math, reductions, comparisons and friends (see `dlpath.ops`)."""

from dlpath.ops import (
    abs, add, confusion_matrix, cast, ceil, divide, equal, erf, exp, floor, greater,
    greater_equal, is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and,
    logical_not, logical_or, logical_xor, maximum, minimum, multiply, negative, not_equal,
    pow, reciprocal, round, rsqrt, sigmoid, sign, softmax, softplus, sqrt, square,
    squared_difference, subtract, tanh,
)
from dlpath.ops import l2_normalize
from dlpath.tf_api.reductions import (
    add_n, argmax, argmin, cumsum, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
    reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance, top_k,
)

__all__ = [name for name in dir() if not name.startswith("_")]


def __getattr__(name):
    # A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing,
    # imported only then: it loads the Keras namespace).
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from dlpath.keras.missing import attribute_error

    raise attribute_error(__name__, name)
