"""dlpath.ops shapes, joining, indexing and constants: values against NumPy, gradients by
finite differences, TF's semantics where they differ."""

from __future__ import annotations

import numpy as np
import pytest

from dlpath import ops
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(1)
X = RNG.standard_normal((2, 3, 4))


@pytest.mark.parametrize("ours, theirs", [
    (lambda t: ops.reshape(t, (6, -1)), lambda a: a.reshape(6, -1)),
    (lambda t: ops.transpose(t), lambda a: a.transpose()),
    (lambda t: ops.transpose(t, (1, 0, 2)), lambda a: a.transpose(1, 0, 2)),
    (lambda t: ops.expand_dims(t, -1), lambda a: a[..., None]),
    (lambda t: ops.expand_dims(t, 1), lambda a: a[:, None]),
    (lambda t: ops.squeeze(ops.expand_dims(t, 0), 0), lambda a: a),
    (lambda t: ops.tile(t, (2, 1, 3)), lambda a: np.tile(a, (2, 1, 3))),
    (lambda t: ops.tile(t, (2,)), lambda a: np.tile(a, 2)),
    (lambda t: ops.repeat(t, 2, axis=1), lambda a: np.repeat(a, 2, axis=1)),
    (lambda t: ops.flip(t, 2), lambda a: np.flip(a, 2)),
    (lambda t: ops.broadcast_to(t[:, :1], (2, 3, 4)),
     lambda a: np.broadcast_to(a[:, :1], (2, 3, 4))),
    (lambda t: ops.take(t, [2, 0, 2], axis=1), lambda a: np.take(a, [2, 0, 2], axis=1)),
    (lambda t: ops.take(t, [5, 1]), lambda a: np.take(a, [5, 1])),
    (lambda t: ops.gather(t, [1, 1, 0]), lambda a: a[[1, 1, 0]]),
    (lambda t: ops.take_along_axis(t, np.zeros((2, 3, 1), int), -1), lambda a: a[..., :1]),
    (lambda t: ops.identity(t), lambda a: a),
    (lambda t: ops.concatenate([t, t * 2], axis=1),
     lambda a: np.concatenate([a, a * 2], axis=1)),
    (lambda t: ops.stack([t, t], axis=-1), lambda a: np.stack([a, a], axis=-1)),
    (lambda t: ops.where(X > 0, t, t * 3), lambda a: np.where(X > 0, a, a * 3)),
])
def test_moving_values_matches_numpy_and_gradcheck(ours, theirs):
    np.testing.assert_allclose(ours(Tensor(X, dtype="float64")).data, theirs(X), rtol=1e-12)
    gradcheck(ours, X)


def test_split_unstack_and_tf_sizes():
    parts = ops.split(X, 3, axis=1)
    assert [p.shape for p in parts] == [(2, 1, 4)] * 3
    sized = ops.split_sizes(X, [1, -1], axis=2)
    assert [p.shape for p in sized] == [(2, 3, 1), (2, 3, 3)]
    rows = ops.unstack(X, axis=1)
    assert len(rows) == 3 and rows[0].shape == (2, 4)
    gradcheck(lambda t: ops.split_sizes(t, [3, 1], axis=2)[0] * 2, X)
    with pytest.raises(ValueError, match="add up"):
        ops.split_sizes(X, [1, 1], axis=2)
    with pytest.raises(ValueError, match="num=2"):
        ops.unstack(X, num=2, axis=1)


def test_one_hot_tf_semantics():
    out = ops.one_hot([0, 2, -1, 3], 3, on_value=5.0, off_value=-1.0)
    np.testing.assert_array_equal(out.data, [[5, -1, -1], [-1, -1, 5], [-1, -1, -1],
                                             [-1, -1, -1]])
    assert out.dtype == np.float32
    assert ops.one_hot([[1]], 2, axis=0).shape == (2, 1, 1)
    with pytest.raises(TypeError, match="integers"):
        ops.one_hot([0.5], 2)


def test_where_with_one_argument_gives_indices():
    cond = np.array([[True, False], [False, True]])
    np.testing.assert_array_equal(ops.where(cond).data, [[0, 0], [1, 1]])
    assert ops.where(cond).dtype == np.int64
    rows, cols = ops.nonzero(cond)
    np.testing.assert_array_equal(rows.data, [0, 1])
    with pytest.raises(ValueError, match="both x and y"):
        ops.where(cond, 1.0)


def test_constant_makers_and_shape_facts():
    assert ops.zeros((2, 3)).dtype == np.float32 and ops.zeros((2,), None).shape == (2,)
    assert ops.ones([2], "int32").dtype == np.int32
    np.testing.assert_array_equal(ops.full((2,), 7).data, [7, 7])
    assert ops.full((2,), 7).dtype == np.int32
    np.testing.assert_array_equal(ops.eye(2, 3, batch_shape=[4]).data[3], np.eye(2, 3))
    np.testing.assert_array_equal(ops.arange(5).data, np.arange(5))
    assert ops.arange(5).dtype == np.int32 and ops.arange(0.0, 1.0, 0.5).dtype == np.float32
    np.testing.assert_allclose(ops.linspace(0, 1, 5).data, np.linspace(0, 1, 5))
    assert ops.zeros_like(X).shape == X.shape and ops.ones_like(X, "int64").dtype == np.int64
    assert ops.shape(X) == (2, 3, 4)
    assert int(ops.rank(X)) == 3 and int(ops.size(X)) == 24
    with pytest.raises(ValueError, match="negative"):
        ops.zeros((2, -1))


def test_convert_to_tensor_dtype_rules():
    assert ops.convert_to_tensor(1.5).dtype == np.float32
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32
    assert ops.convert_to_tensor(np.zeros(2)).dtype == np.float64
    assert ops.convert_to_tensor(True).dtype == np.bool_
    x = Tensor([1.0], requires_grad=True)
    assert ops.convert_to_tensor(x) is x
    assert ops.convert_to_tensor([x, x]).requires_grad
    with pytest.raises(TypeError, match="numbers and booleans"):
        ops.convert_to_tensor(["a"])
    assert ops.constant(3.0, shape=(2, 2)).shape == (2, 2)
    with pytest.raises(ValueError, match="cannot take shape"):
        ops.constant([1, 2, 3], shape=(2,))


def test_stop_gradient_cuts_and_errors_name_the_function():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert not ops.stop_gradient(x * 2).requires_grad
    with pytest.raises(ValueError, match="transpose"):
        ops.transpose(X, (0, 0, 1))
    with pytest.raises(ValueError, match="squeeze"):
        ops.squeeze(X, 1)
    with pytest.raises(IndexError, match="take"):
        ops.take(X, [7], axis=1)
