"""``import dlpath as tf``: TensorFlow's names, defaults and objects behave as in TF."""

from __future__ import annotations

import io

import numpy as np
import pytest

import dlpath as tf


def test_tf_defaults_differ_from_numpy_where_tf_does():
    x = tf.constant([[1.0, 5.0], [3.0, 2.0]])
    np.testing.assert_array_equal(tf.argmax(x).numpy(), [1, 0])  # axis 0 by default
    assert tf.argmax(x, axis=1, output_type=tf.int32).dtype == tf.int32
    assert tf.reduce_mean(tf.constant([1, 2])).numpy() == 1  # integer mean
    np.testing.assert_allclose(tf.reduce_sum(x, axis=1, keepdims=True).numpy(), [[6], [5]])
    np.testing.assert_array_equal(tf.shape(x).numpy(), [2, 2])
    assert tf.shape(x).dtype == tf.int32
    assert tf.range(3).dtype == tf.int32 and tf.range(0.0, 1.0, 0.25).shape == (4,)
    np.testing.assert_array_equal(tf.one_hot([1, 0], 2).numpy(), [[0, 1], [1, 0]])
    assert tf.one_hot([1], 2, on_value=3, off_value=0).dtype == tf.int32
    np.testing.assert_array_equal(tf.where([True, False, True]).numpy(), [[0], [2]])
    assert [t.shape for t in tf.split(tf.zeros((6, 2)), [1, 2, -1])] == [(1, 2), (2, 2),
                                                                        (3, 2)]
    np.testing.assert_array_equal(tf.concat([x, x], axis=0).shape, (4, 2))
    np.testing.assert_array_equal(tf.fill([2], 9).numpy(), [9, 9])
    np.testing.assert_array_equal(tf.sort([3, 1, 2], direction="DESCENDING").numpy(),
                                  [3, 2, 1])
    np.testing.assert_array_equal(tf.math.top_k(tf.constant([1.0, 4.0, 2.0]), k=2).indices
                                  .numpy(), [1, 2])
    np.testing.assert_allclose(tf.clip_by_value(x, 2.0, 4.0).numpy(), [[2, 4], [3, 2]])
    np.testing.assert_allclose(tf.add_n([x, x, x]).numpy(), 3 * x.numpy())
    with pytest.raises(ValueError, match="direction"):
        tf.sort([1, 2], direction="UP")


def test_dtypes_and_casts():
    assert tf.float32 == np.float32 and tf.constant(1.0).dtype == tf.float32
    assert tf.constant(1).dtype == tf.int32 and tf.constant(np.zeros(1)).dtype == tf.float64
    assert tf.cast(tf.constant([1.9, -1.9]), tf.int32).numpy().tolist() == [1, -1]
    assert tf.cast([0, 2], tf.bool).numpy().tolist() == [False, True]
    assert tf.bool == np.bool_ and tf.string.kind == "U"


def test_variable_assign_and_gradient_tape():
    v = tf.Variable([1.0, 2.0], name="v")
    assert v.dtype == tf.float32 and v.trainable and v.name == "v"
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    frozen = tf.Variable(1.0, trainable=False)
    assert not frozen.trainable
    from dlpath.layers import Dense

    layer = Dense(2)
    layer(np.zeros((1, 3), np.float32))
    assert isinstance(layer.kernel, tf.Variable)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(v)) + frozen * 2.0
    grad_v, grad_frozen = tape.gradient(loss, [v, frozen])
    np.testing.assert_allclose(grad_v.numpy(), 2 * v.numpy())
    assert grad_frozen is None


def test_math_and_nn_namespaces_are_differentiable():
    x = tf.Variable([[0.5, -1.0, 2.0]], dtype=tf.float64)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.softmax(x) * tf.math.log1p(tf.math.exp(x)))
        y = y + tf.reduce_sum(tf.nn.relu(x)) + tf.math.reduce_logsumexp(x)
    grad = tape.gradient(y, x)
    eps = 1e-6

    def f(a):
        s = np.exp(a) / np.exp(a).sum()
        return (s * np.log1p(np.exp(a))).sum() + np.maximum(a, 0).sum() + np.log(
            np.exp(a).sum())
    numeric = [(f(x.numpy() + eps * e) - f(x.numpy() - eps * e)) / (2 * eps)
               for e in np.eye(3).reshape(3, 1, 3)]
    np.testing.assert_allclose(grad.numpy().ravel(), numeric, rtol=1e-6)
    mean, var = tf.nn.moments(x, axes=[1])
    np.testing.assert_allclose(var.numpy(), x.numpy().var(1))
    assert tf.math.is_nan(tf.constant([np.nan])).numpy().all()
    np.testing.assert_array_equal(tf.math.confusion_matrix([0, 1], [1, 1]).numpy(),
                                  [[0, 1], [0, 1]])


def test_config_function_print_and_tensorshape():
    assert tf.config.list_physical_devices("GPU") == []
    (cpu,) = tf.config.list_physical_devices("CPU")
    assert cpu.device_type == "CPU" and cpu.name.endswith("CPU:0")
    tf.config.experimental.set_memory_growth(cpu, True)
    tf.config.threading.set_intra_op_parallelism_threads(2)
    assert tf.config.threading.get_intra_op_parallelism_threads() == 2
    tf.debugging.set_log_device_placement(True)
    with pytest.raises(ValueError, match="device_type"):
        tf.config.list_physical_devices("FPGA")

    @tf.function
    def double(a):
        return a * 2

    @tf.function(jit_compile=True)
    def triple(a):
        return a * 3

    assert double(2) == 4 and triple(2) == 6
    stream = io.StringIO()
    tf.print("loss:", tf.constant([1, 2]), output_stream=stream)
    assert stream.getvalue() == "loss: [1 2]\n"
    shape = tf.TensorShape([None, 3])
    assert shape.as_list() == [None, 3] and shape.rank == 2 and shape == [None, 3]
    assert shape[1:] == tf.TensorShape([3]) and shape.num_elements() is None
    assert tf.newaxis is None


def test_unknown_names_still_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        tf.no_such_name
