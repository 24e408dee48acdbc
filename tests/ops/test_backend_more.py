"""keras.backend's scans, axis shuffles, paddings, variable updates and loop combinators, and
the spellings of the new functions under tf, tf.math, keras.ops and keras.backend."""

from __future__ import annotations

import numpy as np
import pytest

import dlpath as tf
from dlpath.engine import Tensor, Variable, gradcheck
from dlpath.keras import backend as K
from dlpath.keras import ops as kops

RNG = np.random.default_rng(4)
X = RNG.standard_normal((2, 3, 4))


def test_scans_shuffles_and_repeats():
    np.testing.assert_allclose(K.cumsum(X, 1).data, np.cumsum(X, 1))
    np.testing.assert_allclose(K.cumprod(X, 2).data, np.cumprod(X, 2))
    np.testing.assert_array_equal(K.permute_dimensions(X, (2, 0, 1)).shape, (4, 2, 3))
    np.testing.assert_array_equal(K.reverse(X, 1).data, X[:, ::-1])
    np.testing.assert_array_equal(K.repeat(X[0], 5).data, np.repeat(X[0][:, None], 5, 1))
    assert K.all(np.array([True, False])).data == np.False_
    assert K.any(np.array([True, False])).data == np.True_
    np.testing.assert_allclose(K.cos(X).data, np.cos(X), rtol=1e-6)
    np.testing.assert_allclose(K.sin(X).data, np.sin(X), rtol=1e-6)
    gradcheck(lambda a: K.cumprod(K.permute_dimensions(a, (1, 0, 2)), 0), X)


def test_paddings_and_their_errors():
    assert K.temporal_padding(X, (1, 2)).shape == (2, 6, 4)
    image = RNG.standard_normal((1, 2, 3, 1))
    padded = K.spatial_2d_padding(image, ((1, 0), (2, 1)))
    np.testing.assert_array_equal(padded.data, np.pad(image, [(0, 0), (1, 0), (2, 1), (0, 0)]))
    first = K.spatial_2d_padding(image, ((1, 1), (1, 1)), data_format="channels_first")
    assert first.shape == (1, 2, 5, 3)
    assert K.spatial_3d_padding(np.ones((1, 1, 1, 1, 2))).shape == (1, 3, 3, 3, 2)
    with pytest.raises(ValueError, match="temporal_padding: x must have 3 axes"):
        K.temporal_padding(image)
    with pytest.raises(ValueError, match="spatial_2d_padding: padding must be 2"):
        K.spatial_2d_padding(image, ((1, 1),))


def test_variable_updates_eye_and_dtypes():
    v = Variable(np.ones(3, np.float32))
    K.update_add(v, np.full(3, 2.0, np.float32))
    K.update_sub(v, np.ones(3, np.float32))
    np.testing.assert_array_equal(v.data, [2, 2, 2])
    K.update(v, np.zeros(3, np.float32))
    np.testing.assert_array_equal(v.data, [0, 0, 0])
    with pytest.raises(TypeError, match="update_add: x must be a Variable"):
        K.update_add(np.ones(3), 1.0)
    identity = K.eye(3)
    assert isinstance(identity, Variable) and identity.dtype == np.float32
    np.testing.assert_array_equal(identity.data, np.eye(3))
    assert K.cast_to_floatx([1, 2]).dtype == np.float32
    assert K.is_float_dtype("float16") and K.is_int_dtype("int8")
    assert not K.is_int_dtype("float32")
    np.testing.assert_array_equal(K.in_top_k(np.array([[0.1, 0.9]]), [1], 1).data, [True])


def test_switch_and_loop_combinators():
    cond = np.array([True, False])
    out = K.switch(cond, lambda: Tensor(np.ones((2, 3))), np.zeros((2, 3)))
    np.testing.assert_array_equal(out.data, [[1, 1, 1], [0, 0, 0]])
    np.testing.assert_array_equal(K.switch(True, 1.0, 2.0).data, 1.0)
    np.testing.assert_allclose(K.foldl(lambda a, e: a + e, X).data, X.sum(0))
    assert K.foldr(lambda a, e: a * 10 + e, np.array([1.0, 2.0, 3.0]), 0.0).data == 321.0
    np.testing.assert_allclose(K.map_fn(lambda e: e * 2, X).data, X * 2)
    np.testing.assert_allclose(tf.foldl(lambda a, e: a * e, np.array([1.0, 2, 3, 4])).data, 24)
    np.testing.assert_allclose(tf.map_fn(lambda e: e.sum(), X).data, X.sum((1, 2)))
    with pytest.raises(ValueError, match="foldl: elems is empty"):
        K.foldl(lambda a, e: a, np.zeros((0, 2)))


@pytest.mark.parametrize("namespace, names", [
    (tf, "boolean_mask broadcast_to clip_by_global_norm clip_by_norm cumsum ensure_shape "
         "executing_eagerly foldl gather_nd is_tensor map_fn meshgrid pad repeat reverse roll "
         "scatter_nd searchsorted sequence_mask slice strided_slice tensor_scatter_nd_update "
         "tensordot unique vectorized_map"),
    (tf.math, "acos acosh asin asinh atan atan2 atanh bincount cos cosh count_nonzero cumprod "
              "cumulative_logsumexp digamma divide_no_nan erfc erfinv expm1 floordiv floormod "
              "in_top_k lgamma log_sigmoid log_softmax mod multiply_no_nan "
              "reduce_euclidean_norm rint segment_max segment_mean segment_sum sin sinh "
              "softsign tan truediv unsorted_segment_sum xdivy xlogy"),
    (kops, "allclose append arccos arccosh arcsin arcsinh arctan arctan2 arctanh array "
           "array_split average bincount cbrt column_stack copy cos cosh count_nonzero cross "
           "cumprod deg2rad diag diagflat diagonal digitize divide_no_nan dstack dtype erfc "
           "erfinv exp2 expm1 fabs fliplr flipud floor_divide fmax fmin fmod get_item "
           "heaviside hsplit hstack hypot in_top_k inner is_tensor isclose kron log10 log2 "
           "log_sigmoid logaddexp logaddexp2 median meshgrid mod moveaxis nan_to_num nanmax "
           "nanmean nanmin nanprod nanstd nansum nanvar ndim nonzero outer pad percentile ptp "
           "quantile rad2deg ravel roll rot90 scatter scatter_update searchsorted segment_max "
           "segment_min segment_prod segment_sum select signbit sin sinh slice_update softsign "
           "swapaxes switch tan tensordot trace tri tril triu true_divide trunc unique vdot "
           "vsplit vstack"),
    (K, "all any cast_to_floatx cos cumprod cumsum eye foldl foldr in_top_k is_float_dtype "
        "is_int_dtype map_fn permute_dimensions repeat reverse sin softsign spatial_2d_padding "
        "spatial_3d_padding switch temporal_padding update update_add update_sub"),
], ids=["tf", "tf.math", "keras.ops", "keras.backend"])
def test_every_spelling_is_there_and_callable(namespace, names):
    missing = [n for n in names.split() if not callable(getattr(namespace, n, None))]
    assert not missing, missing


def test_tf_math_spellings_compute_what_tf_does():
    np.testing.assert_allclose(tf.math.atan2(1.0, -1.0).data, np.arctan2(1.0, -1.0), rtol=1e-6)
    np.testing.assert_array_equal(tf.math.floormod(np.array([-7, 7]), 3).data, [2, 1])
    np.testing.assert_array_equal(tf.math.floordiv(np.array([-7, 7]), 3).data, [-3, 2])
    np.testing.assert_allclose(tf.math.log_softmax(np.array([[1.0, 2.0]])).data,
                               [[-1.3132616, -0.3132616]], rtol=1e-6)
    np.testing.assert_array_equal(tf.roll(np.arange(5), 2, 0).data, [3, 4, 0, 1, 2])


def test_values_names_and_dtypes():
    v = K.variable(np.ones((2, 2)))
    value = K.eval(v)
    assert isinstance(value, np.ndarray) and value.dtype == np.float32
    value[0, 0] = 5.0
    assert v.data[0, 0] == 1.0  # a copy
    first, second = K.get_uid("block_uid_test"), K.get_uid("block_uid_test")
    assert second == first + 1
    assert K.result_type("int32", "float16") == "float16"
    assert K.result_type("float32", "float64", "int8") == "float64"
    assert K.result_type("int8", "int32") == "int32" and K.result_type() == "float32"
    assert K.standardize_dtype(np.float64) == "float64" and K.standardize_dtype(None) == "float32"
    with pytest.raises(TypeError, match="standardize_dtype: 'nope' is not a dtype"):
        K.standardize_dtype("nope")
    assert not K.is_sparse(v)
    np.testing.assert_array_equal(K.to_dense(np.ones(2)).data, [1, 1])
    moving = Variable(np.ones(2, np.float32))
    K.moving_average_update(moving, np.zeros(2, np.float32), 0.9)
    np.testing.assert_allclose(moving.data, [0.9, 0.9])
    with K.name_scope("block") as scope:
        assert scope == "block"
