"""dlpath.ops math: values against NumPy, gradients by finite differences in float64, and a
few against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlpath import ops
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
POS = RNG.uniform(0.5, 2.0, (3, 4))


@pytest.mark.parametrize("ours, theirs, data", [
    (ops.square, np.square, X), (ops.sqrt, np.sqrt, POS), (ops.exp, np.exp, X),
    (ops.log, np.log, POS), (ops.abs, np.abs, X + 0.1), (ops.log1p, np.log1p, POS),
    (ops.negative, np.negative, X), (ops.reciprocal, np.reciprocal, POS),
    (ops.rsqrt, lambda a: 1 / np.sqrt(a), POS), (ops.tanh, np.tanh, X),
    (ops.sigmoid, lambda a: 1 / (1 + np.exp(-a)), X),
    (ops.softplus, lambda a: np.log1p(np.exp(a)), X),
    (ops.erf, lambda a: np.vectorize(__import__("math").erf)(a), X),
], ids=lambda v: getattr(v, "__name__", "")[:12])
def test_elementwise_values_and_gradients(ours, theirs, data):
    np.testing.assert_allclose(ours(Tensor(data, dtype="float64")).data, theirs(data),
                               rtol=1e-10, atol=1e-12)
    gradcheck(ours, data)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "maximum",
                                  "minimum", "squared_difference"])
def test_binary_ops_broadcast_and_gradients(name):
    numpy_fn = {"subtract": np.subtract, "squared_difference": lambda a, b: (a - b) ** 2}.get(
        name, getattr(np, name, None))
    a, b = X, POS[0]
    np.testing.assert_allclose(getattr(ops, name)(Tensor(a, dtype="float64"), b).data,
                               numpy_fn(a, b), rtol=1e-12)
    gradcheck(getattr(ops, name), a, b)


def test_pow_and_numbers_keep_the_tensors_dtype():
    x = Tensor([1.0, 2.0])
    assert ops.multiply(x, 2).dtype == np.float32
    assert ops.add(1, 2).dtype == np.int32
    np.testing.assert_allclose(ops.pow(x, 3).data, [1.0, 8.0])
    gradcheck(ops.pow, POS, X)


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "prod", "var", "std",
                                  "logsumexp"])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), ((0, 1), True),
                                            (0, True)])
def test_reductions_match_numpy_and_gradcheck(name, axis, keepdims):
    reference = {"logsumexp": lambda a, axis, keepdims: np.log(
        np.sum(np.exp(a), axis=axis, keepdims=keepdims))}.get(name, getattr(np, name, None))
    data = POS if name == "prod" else X
    got = getattr(ops, name)(Tensor(data, dtype="float64"), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(got.data, reference(data, axis=axis, keepdims=keepdims),
                               rtol=1e-10)
    gradcheck(lambda t: getattr(ops, name)(t, axis=axis, keepdims=keepdims), data)


def test_prod_gradient_is_exact_with_zeros():
    data = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    x = Tensor(data, requires_grad=True, dtype="float64")
    ops.prod(x, axis=1).sum().backward()
    np.testing.assert_allclose(x.grad, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]])
    gradcheck(lambda t: ops.prod(t, axis=0), data)


def test_cumsum_matches_torch():
    t = torch.tensor(X, requires_grad=True)
    torch.cumsum(t, 1).pow(2).sum().backward()
    x = Tensor(X, requires_grad=True, dtype="float64")
    (ops.cumsum(x, 1) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ops.cumsum(X).data, np.cumsum(X))
    gradcheck(lambda a: ops.cumsum(a, 0), X)


def test_constants_have_no_gradient():
    x = Tensor(X, requires_grad=True)
    for fn in (ops.sign, ops.floor, ops.ceil, ops.round, ops.is_nan, ops.is_finite):
        assert not fn(x).requires_grad
    np.testing.assert_array_equal(ops.round(Tensor([0.5, 1.5, 2.5])).data, [0.0, 2.0, 2.0])
    np.testing.assert_array_equal(ops.argmax(X, axis=1).data, np.argmax(X, axis=1))
    assert ops.argmax(X).data == np.argmax(X)


def test_cast_follows_tf_rules():
    x = Tensor([-1.7, 0.0, 2.9], requires_grad=True)
    np.testing.assert_array_equal(ops.cast(x, "int32").data, [-1, 0, 2])
    np.testing.assert_array_equal(ops.cast(x, "bool").data, [True, False, True])
    doubled = ops.cast(x, "float64")
    assert doubled.dtype == np.float64 and doubled.requires_grad
    with pytest.raises(TypeError, match="not supported"):
        ops.cast(x, "complex64")


def test_matmul_transposes_dot_and_norm():
    a, b = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 5, 4))
    np.testing.assert_allclose(ops.matmul(a, b, transpose_b=True).data,
                               a @ np.swapaxes(b, 1, 2), rtol=1e-6)
    gradcheck(lambda p, q: ops.matmul(p, q, transpose_b=True), a, b)
    y = RNG.standard_normal((3, 4, 2))
    np.testing.assert_allclose(ops.dot(a, y).data, np.dot(a, y), rtol=1e-5)
    gradcheck(ops.dot, a, y)
    for order in (None, 1, np.inf):
        np.testing.assert_allclose(ops.norm(X[0], ord=order).data,
                                   np.linalg.norm(X[0], ord=order), rtol=1e-6)
    gradcheck(lambda t: ops.norm(t, axis=1), X)
    with pytest.raises(ValueError, match="ord"):
        ops.norm(X, ord=3)


def test_sort_top_k_and_argsort():
    np.testing.assert_allclose(ops.sort(X, axis=1).data, np.sort(X, axis=1), rtol=1e-6)
    np.testing.assert_array_equal(ops.argsort(X, axis=0).data, np.argsort(X, axis=0))
    values, indices = ops.top_k(X, k=2)
    np.testing.assert_array_equal(indices.data, np.argsort(-X, axis=1)[:, :2])
    np.testing.assert_allclose(values.data, -np.sort(-X, axis=1)[:, :2], rtol=1e-6)
    gradcheck(lambda t: ops.sort(t, axis=1, descending=True), X)
    gradcheck(lambda t: ops.top_k(t, 3).values, X)
    with pytest.raises(ValueError, match="k must lie"):
        ops.top_k(X, k=9)


def test_einsum_common_forms_against_numpy_and_gradcheck():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 4))
    c = RNG.standard_normal((5, 2, 3))
    d = RNG.standard_normal((5, 3, 4))
    cases = [("ij,jk->ik", a, b), ("ij->ji", a), ("ij->", a), ("bij,bjk->bik", c, d),
             ("i,i->", a[0], a[1]), ("i,j->ij", a[0], b[0]), ("ij,ij->i", a, a),
             ("bij,jk->bik", c, b)]
    for spec, *operands in cases:
        np.testing.assert_allclose(ops.einsum(spec, *operands).data,
                                   np.einsum(spec, *operands), rtol=1e-5, atol=1e-6)
        gradcheck(lambda *t, s=spec: ops.einsum(s, *t), *operands)
    with pytest.raises(ValueError, match="repeated letters"):
        ops.einsum("ii->i", np.eye(2))


def test_confusion_matrix_counts_label_prediction_pairs():
    cm = ops.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1], num_classes=3)
    np.testing.assert_array_equal(cm.data, [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
    assert cm.dtype == np.int32
    with pytest.raises(ValueError, match="same size"):
        ops.confusion_matrix([0, 1], [0])
