"""The small TensorFlow names: tf.debugging assertions, tf.random's stateless draws and
Generator, keras.random beta/binomial/gamma, tf.nest, initializers, scopes, py_function,
the logger, tf.version and the dtype aliases."""

import logging

import numpy as np
import pytest

import dlpath as tf
from dlpath import keras


def test_comparison_assertions():
    tf.debugging.assert_greater([2, 3], 1)
    tf.debugging.assert_less(tf.constant([1.0]), 2.0)
    tf.debugging.assert_non_negative(np.zeros(3))
    tf.debugging.assert_near([1.0, 2.0], [1.0, 2.0 + 1e-7])  # Python floats: float32
    with pytest.raises(tf.debugging.InvalidArgumentError,
                       match=r"(?s)too small.*Condition x > y did not hold element-wise"):
        tf.debugging.assert_greater([1, 3], [2, 2], message="too small")
    with pytest.raises(ValueError, match="Condition x >= 0"):
        tf.debugging.assert_non_negative([-1.0])
    with pytest.raises(ValueError, match="not equal to tolerance"):
        tf.debugging.assert_near([1.0], [1.1], atol=0.01)
    with pytest.raises(ValueError, match="x < y"):
        tf.debugging.assert_less([3], [2])


def test_finite_rank_type_and_shape_assertions():
    x = tf.constant([[1.0, 2.0]])
    assert tf.debugging.assert_all_finite(x, "ok") is x
    with pytest.raises(ValueError, match="bad : Tensor had NaN values"):
        tf.debugging.assert_all_finite(np.array([np.nan]), "bad")
    tf.debugging.assert_rank(x, 2)
    with pytest.raises(ValueError, match="must have rank 3. Received rank 2"):
        tf.debugging.assert_rank(x, 3)
    tf.debugging.assert_type(x, tf.float32)
    with pytest.raises(TypeError, match="must be of type int32; got float32"):
        tf.debugging.assert_type(x, tf.int32)
    a, b = np.zeros((4, 3)), np.zeros((4, 5, 3))
    tf.debugging.assert_shapes([(a, ("N", "D")), (b, ("N", None, "D"))])
    tf.debugging.assert_shapes([(a, ("*", 3)), (b, ("*", "D"))])
    with pytest.raises(ValueError, match=r"Tensor 1 .* dimension 0 must have size 4"):
        tf.debugging.assert_shapes([(a, ("N", "D")), (np.zeros((2, 3)), ("N", "D"))])
    with pytest.raises(ValueError, match="must have rank 2"):
        tf.debugging.assert_shapes([(b, ("N", "D"))])


def test_stateless_draws_depend_only_on_the_seed():
    first = tf.random.stateless_normal([3, 2], seed=[1, 2]).numpy()
    tf.random.set_seed(7)
    np.testing.assert_array_equal(first, tf.random.stateless_normal([3, 2], [1, 2]).numpy())
    assert not np.array_equal(first, tf.random.stateless_normal([3, 2], [1, 3]).numpy())
    u = tf.random.stateless_uniform([1000], [3, 4], minval=2, maxval=5, dtype=tf.int32)
    assert u.dtype == np.int32 and set(np.unique(u.numpy())) == {2, 3, 4}
    t = tf.random.stateless_truncated_normal([2000], [0, 0]).numpy()
    assert np.abs(t).max() <= 2.0
    c = tf.random.stateless_categorical(np.log([[0.5, 0.5, 1e-9]]), 50, [5, 6]).numpy()
    assert c.shape == (1, 50) and c.max() <= 1
    b = tf.random.stateless_binomial([4000], [1, 1], counts=10, probs=0.3).numpy()
    assert abs(b.mean() - 3.0) < 0.15
    g = tf.random.stateless_gamma([4000, 2], [2, 2], alpha=[1.0, 4.0]).numpy()
    np.testing.assert_allclose(g.mean(axis=0), [1.0, 4.0], rtol=0.1)
    p = tf.random.stateless_poisson([4000], [9, 9], lam=3.0).numpy()
    assert abs(p.mean() - 3.0) < 0.15
    with pytest.raises(ValueError, match="seed must be a shape \\[2\\] integer"):
        tf.random.stateless_normal([2], seed=3)


def test_fold_in_gamma_poisson_and_generator():
    a = tf.random.fold_in([1, 2], 5).numpy()
    assert a.dtype == np.int64 and a.shape == (2,)
    np.testing.assert_array_equal(a, tf.random.fold_in([1, 2], 5).numpy())
    assert not np.array_equal(a, tf.random.fold_in([1, 2], 6).numpy())
    assert tf.random.gamma([10], alpha=[0.5, 1.5], beta=2.0, seed=1).shape == (10, 2)
    assert tf.random.poisson([7], lam=[1.0, 2.0, 3.0], seed=1).shape == (7, 3)
    g1, g2 = tf.random.Generator.from_seed(42), tf.random.Generator.from_seed(42)
    np.testing.assert_array_equal(g1.normal([3]).numpy(), g2.normal([3]).numpy())
    assert not np.array_equal(g1.uniform([3]).numpy(), g1.uniform([3]).numpy())
    assert g1.make_seeds(4).shape == (2, 4) and len(g1.split(3)) == 3
    assert isinstance(tf.random.get_global_generator(), tf.random.Generator)


def test_keras_random_beta_binomial_gamma():
    beta = keras.random.beta((4000,), 2.0, 6.0, seed=1).numpy()
    assert beta.dtype == np.float32 and abs(beta.mean() - 0.25) < 0.01
    binomial = keras.random.binomial((4000,), 20, 0.5, seed=keras.random.SeedGenerator(3))
    assert binomial.dtype == np.float32 and abs(binomial.numpy().mean() - 10) < 0.2
    gamma = keras.random.gamma((4000,), 3.0, seed=2).numpy()
    assert abs(gamma.mean() - 3.0) < 0.15
    np.testing.assert_array_equal(gamma, keras.random.gamma((4000,), 3.0, seed=2).numpy())


def test_nest():
    structure = {"b": [1, (2, 3)], "a": None}
    assert tf.nest.flatten(structure) == [None, 1, 2, 3]
    assert tf.nest.map_structure(lambda v: v * 10, [1, (2,)]) == [10, (20,)]
    assert tf.nest.pack_sequence_as({"x": [0, 0]}, [5, 6]) == {"x": [5, 6]}
    assert tf.nest.is_nested([1]) and not tf.nest.is_nested(1)
    with pytest.raises(ValueError):
        tf.nest.assert_same_structure([1, 2], [1])
    with pytest.raises(ValueError):
        tf.nest.map_structure(lambda a, b: a + b, [1], (1,))


def test_initializers_scopes_and_functions():
    # A direct call gives a NumPy array, as dlpath's Keras initializers do.
    assert np.asarray(tf.zeros_initializer()(shape=(2, 3))).sum() == 0
    assert np.asarray(tf.ones_initializer()((2,))).tolist() == [1.0, 1.0]
    assert np.asarray(tf.constant_initializer(3.0)((2,))).tolist() == [3.0, 3.0]
    normal = np.asarray(tf.random_normal_initializer(stddev=2.0, seed=1)((4000,)))
    assert abs(normal.std() - 2.0) < 0.1
    layer = keras.layers.Dense(2, kernel_initializer=tf.random_normal_initializer(0.0, 0.02))
    layer.build((None, 3))
    assert np.abs(layer.kernel.numpy()).max() < 0.2
    uniform = np.asarray(tf.random_uniform_initializer(-1.0, 1.0, seed=1)((1000,)))
    assert uniform.min() >= -1 and uniform.max() < 1
    with tf.name_scope("block") as scope, tf.device("/GPU:0"):
        assert scope == "block/"
    with pytest.raises(TypeError, match="name_scope: name must be a str"):
        tf.name_scope(3)
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.py_function(lambda v: v * v, [x], tf.float32)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])
    out = tf.numpy_function(lambda a, b: (a + b, a * b), [np.ones(2), np.full(2, 3.0)],
                            [tf.float32, tf.int64])
    assert out[0].dtype == np.float32 and out[1].numpy().tolist() == [3, 3]
    with pytest.raises(ValueError, match="Tout names 1 outputs, the function returned 2"):
        tf.numpy_function(lambda a: (a, a), [np.ones(1)], [tf.float32])
    assert isinstance(tf.get_logger(), logging.Logger)


def test_version_and_dtypes():
    import dlpath

    assert tf.version.VERSION == dlpath.__version__
    assert dlpath.__version__ in tf.version.GIT_VERSION
    assert tf.double == np.float64 and tf.half == np.float16
    assert tf.uint16 == np.uint16 and tf.uint32 == np.uint32 and tf.uint64 == np.uint64
    assert tf.complex64 == np.complex64 and tf.complex128 == np.complex128
    assert isinstance(tf.float32, tf.DType)
    assert tf.dtypes.as_dtype("double") == np.float64 and tf.as_dtype(np.int8) == tf.int8
    assert tf.dtypes.float32 == tf.float32
    with pytest.raises(TypeError, match="as_dtype: cannot convert"):
        tf.dtypes.as_dtype("nonsense")
