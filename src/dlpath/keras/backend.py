"""``keras.backend`` (``K``): the functions Keras 2 listings call, over `dlpath.ops`."""

from dlpath.layers.layer import reset_names as _reset_names
from dlpath.ops import (
    abs, cast, equal, exp, flatten, greater, greater_equal, l2_normalize, less, less_equal,
    log, max, maximum, mean, min, minimum, not_equal, pow, prod, reshape, round, sigmoid,
    sign, softmax, softplus, sqrt, square, squeeze, stack, std, stop_gradient, sum, tanh,
    transpose, var, zeros_like, ones_like, tile, dot, arange, gather,
)
from dlpath.ops.backend import (
    BackendFunction, argmax, argmin, batch_dot, batch_flatten, batch_get_value,
    batch_set_value, clip, concatenate, constant, count_params, dtype, expand_dims, function,
    get_value, gradients, int_shape, is_keras_tensor, learning_phase, ndim, one_hot, ones,
    random_normal, random_uniform, relu, repeat_elements, set_learning_phase, set_value,
    shape, variable, zeros,
)
from dlpath.ops.backend_nn import (
    batch_normalization, bias_add, binary_crossentropy, binary_focal_crossentropy,
    categorical_focal_crossentropy, conv1d, conv2d, conv2d_transpose, conv3d, depthwise_conv2d,
    dropout, elu, hard_sigmoid, pool2d, pool3d, random_bernoulli,
    random_normal_variable, random_uniform_variable, resize_images, resize_volumes, rnn,
    separable_conv2d, softsign, truncated_normal,
)
from dlpath.losses import categorical_crossentropy, sparse_categorical_crossentropy
from dlpath.ops.ctc import ctc_batch_cost, ctc_decode
from dlpath.ops import all, any, cos, sin, softsign
from dlpath.ops.backend_more import (
    cast_to_floatx, cumprod, cumsum, eye, foldl, foldr, in_top_k, is_float_dtype,
    is_int_dtype, map_fn, permute_dimensions, repeat, reverse, spatial_2d_padding,
    spatial_3d_padding, switch, temporal_padding, update, update_add, update_sub,
)
from dlpath.ops.backend_more import (
    eval, get_uid, is_sparse, moving_average_update, name_scope, result_type,
    standardize_dtype, to_dense,
)
from dlpath.ops.config import (
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format,
)


def clear_session() -> None:
    """Reset layer-name numbering, as Keras' clear_session does."""
    _reset_names()


__all__ = [name for name in dir() if not name.startswith("_")]


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
