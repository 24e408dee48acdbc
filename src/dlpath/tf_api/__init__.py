"""The TensorFlow-level names of ``import dlpath as tf``: ``tf.constant``, ``tf.Variable``,
``tf.GradientTape``, ``tf.reduce_mean``, ``tf.math``, ``tf.nn``, ``tf.config``, ...

Re-exports only: the functions live in `dlpath.ops` (one implementation each), the tape in
`dlpath.engine.tape`; `core` and `reductions` hold TF's signatures where they differ.
"""

from dlpath.engine import Tensor
from dlpath.engine.tape import GradientTape, UnconnectedGradients
from dlpath.ops import (
    abs, add, cast, divide, equal, exp, expand_dims, gather, greater, greater_equal,
    identity, less, less_equal, log, logical_and, logical_not, logical_or, matmul, maximum,
    minimum, multiply, not_equal, ones_like, pow, rank, reshape, sigmoid, sign, size,
    sqrt, square, squeeze, stack, stop_gradient, subtract, tanh, unstack, where,
    zeros_like, einsum, norm, round, floor, ceil, negative, reciprocal, rsqrt, squared_difference,
)
from dlpath.ops import bool_ as bool  # noqa: A001 - TF's name
from dlpath.ops import float16, float32, float64, int8, int16, int32, int64, string, uint8
from dlpath import data
from dlpath.data import TensorSpec
from dlpath.tf_api import config, debugging, linalg, math, nn
from dlpath.tf_api.core import (
    TensorShape, Variable, concat, constant, convert_to_tensor, eye, fill, function,
    linspace, one_hot, ones, print, range, shape, split, tile, transpose, zeros,
)
from dlpath.tf_api.reductions import (
    add_n, argmax, argmin, argsort, clip_by_value, reduce_all, reduce_any, reduce_logsumexp,
    reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum,
    reduce_variance, sort,
)
from dlpath.ops import broadcast_to
from dlpath.ops.array_more import (
    clip_by_global_norm, clip_by_norm, meshgrid, roll, tensordot,
)
from dlpath.ops.padding import tf_pad as pad
from dlpath.ops.backend_more import foldl, foldr, map_fn
from dlpath.ops.indexing_more import (
    boolean_mask, ensure_shape, executing_eagerly, gather_nd, is_tensor, repeat, reverse,
    scatter_nd, searchsorted, sequence_mask, strided_slice, tensor_scatter_nd_update,
)
from dlpath.ops.indexing_more import tf_slice as slice  # noqa: A001 - TF's name
from dlpath.ops.indexing_more import tf_unique as unique
from dlpath.ops.keras_names import vectorized_map
from dlpath.ops.reductions_more import cumsum
from dlpath.ops.control_flow import case, cond, get_static_value, switch_case, while_loop
from dlpath.ops.control_flow import tf_scan as scan

newaxis = None

__all__ = [name for name in dir() if not name.startswith("_") and name != "core"
           and name != "reductions"]

# Namespaces and names loaded on first use (tf.image imports Pillow's codecs only when
# decoding): name -> the module under dlpath.tf_api holding it (None: the module itself).
_LAZY = {"image": None, "io": None, "strings": None, "nest": None, "version": None,
         "dtypes": None}
_LAZY.update(dict.fromkeys(("DType", "double", "half", "uint16", "uint32", "uint64",
                            "complex64", "complex128", "as_dtype"), "dtypes"))
_LAZY.update(dict.fromkeys(("name_scope", "device", "py_function", "numpy_function",
                            "get_logger", "zeros_initializer", "ones_initializer",
                            "constant_initializer", "random_normal_initializer",
                            "random_uniform_initializer"), "misc"))
__all__ += list(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f"dlpath.tf_api.{_LAZY[name] or name}")
        return module if _LAZY[name] is None else getattr(module, name)
    raise AttributeError(f"module 'dlpath.tf_api' has no attribute {name!r}")
