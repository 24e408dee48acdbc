"""The element-wise functions of dlpath.ops.math_more: values against NumPy/SciPy and torch,
gradients by finite differences in float64 and against torch, dtypes, broadcasting and the
safe divisions' zeros."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp
import torch

from dlpath import ops
from dlpath.engine import Tensor, gradcheck

RNG = np.random.default_rng(1)
X = RNG.standard_normal((3, 4))
UNIT = RNG.uniform(-0.9, 0.9, (3, 4))
POS = RNG.uniform(0.5, 3.0, (3, 4))
BIG = RNG.uniform(1.2, 3.0, (3, 4))

UNARY = [
    (ops.sin, np.sin, X), (ops.cos, np.cos, X), (ops.tan, np.tan, UNIT),
    (ops.arcsin, np.arcsin, UNIT), (ops.arccos, np.arccos, UNIT),
    (ops.arctan, np.arctan, X), (ops.sinh, np.sinh, X), (ops.cosh, np.cosh, X),
    (ops.arcsinh, np.arcsinh, X * 10), (ops.arccosh, np.arccosh, BIG),
    (ops.arctanh, np.arctanh, UNIT), (ops.log2, np.log2, POS), (ops.log10, np.log10, POS),
    (ops.expm1, np.expm1, X), (ops.exp2, np.exp2, X), (ops.cbrt, np.cbrt, X + 0.05),
    (ops.deg2rad, np.deg2rad, X), (ops.rad2deg, np.rad2deg, X), (ops.fabs, np.fabs, X + 0.05),
    (ops.erfc, sp.erfc, X), (ops.erfinv, sp.erfinv, UNIT), (ops.lgamma, sp.gammaln, POS),
    (ops.digamma, sp.digamma, POS), (ops.softsign, lambda a: a / (1 + np.abs(a)), X),
    (ops.log_sigmoid, lambda a: -np.logaddexp(0, -a), X * 20),
]


@pytest.mark.parametrize("ours, theirs, data", UNARY, ids=lambda v: getattr(v, "__name__", ""))
def test_unary_values_and_gradients(ours, theirs, data):
    np.testing.assert_allclose(ours(Tensor(data, dtype="float64")).data, theirs(data),
                               rtol=1e-9, atol=1e-12)
    gradcheck(ours, data, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name, torch_fn, data", [
    ("erfinv", torch.erfinv, UNIT), ("lgamma", torch.lgamma, POS),
    ("digamma", torch.digamma, POS), ("arctan", torch.atan, X), ("expm1", torch.expm1, X),
])
def test_special_functions_match_torch_values_and_gradients_in_float32(name, torch_fn, data):
    x = Tensor(data.astype(np.float32), requires_grad=True)
    y = getattr(ops, name)(x)
    assert y.dtype == np.float32
    y.sum().backward()
    reference = torch.tensor(data.astype(np.float32), requires_grad=True)
    torch_fn(reference).sum().backward()
    np.testing.assert_allclose(y.data, torch_fn(reference).detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-4, atol=1e-5)


BINARY = [
    (ops.arctan2, np.arctan2, X, POS[0]), (ops.hypot, np.hypot, X, X[0]),
    (ops.logaddexp, np.logaddexp, X * 30, X[:, :1]), (ops.logaddexp2, np.logaddexp2, X, POS),
    (ops.xlogy, sp.xlogy, X, POS), (ops.xdivy, lambda a, b: a / b, X, POS),
    (ops.divide_no_nan, np.divide, X, POS[:1]), (ops.multiply_no_nan, np.multiply, X, POS),
    (ops.true_divide, np.true_divide, X, POS), (ops.copysign, np.copysign, X + 0.05, X.T[:1]
                                                .T[:, :1] + 0.01),
    (ops.fmax, np.fmax, X, X[0] + 0.01), (ops.fmin, np.fmin, X, X[0] + 0.01),
    (ops.fmod, np.fmod, X * 5, POS), (ops.mod, np.mod, X * 5, POS),
]


@pytest.mark.parametrize("ours, theirs, a, b", BINARY, ids=lambda v: getattr(v, "__name__", ""))
def test_binary_values_broadcast_and_gradients(ours, theirs, a, b):
    out = ours(Tensor(a, dtype="float64"), Tensor(b, dtype="float64"))
    np.testing.assert_allclose(out.data, theirs(a, b), rtol=1e-9, atol=1e-12)
    gradcheck(ours, a, b, rtol=1e-4, atol=1e-6)


def test_safe_divisions_give_zero_and_finite_gradients_where_they_should():
    x = Tensor(np.array([1.0, 2.0, 0.0]), requires_grad=True, dtype="float64")
    y = Tensor(np.array([0.0, 4.0, 0.0]), requires_grad=True, dtype="float64")
    out = ops.divide_no_nan(x, y)
    np.testing.assert_array_equal(out.data, [0.0, 0.5, 0.0])
    out.sum().backward()
    assert np.isfinite(x.grad).all() and np.isfinite(y.grad).all()
    np.testing.assert_array_equal(ops.multiply_no_nan(np.array([np.inf, 2.0]),
                                                      np.array([0.0, 3.0])).data, [0.0, 6.0])
    np.testing.assert_array_equal(ops.xlogy(np.array([0.0, 1.0]), np.array([0.0, 1.0])).data,
                                  [0.0, 0.0])
    np.testing.assert_array_equal(ops.xdivy(np.array([0.0]), np.array([0.0])).data, [0.0])


def test_constants_and_predicates_match_numpy():
    a = np.array([-2.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5])
    np.testing.assert_array_equal(ops.trunc(a).data, np.trunc(a))
    np.testing.assert_array_equal(ops.rint(a).data, np.rint(a))
    np.testing.assert_array_equal(ops.signbit(a).data, np.signbit(a))
    np.testing.assert_array_equal(ops.heaviside(a, 0.5).data, np.heaviside(a, 0.5))
    np.testing.assert_array_equal(ops.floor_divide(np.array([7, -7]), 2).data, [3, -4])
    np.testing.assert_array_equal(ops.mod(np.array([5, -5]), 3).data, [2, 1])
    np.testing.assert_array_equal(ops.fmod(np.array([5, -5]), 3).data, [2, -2])
    assert ops.mod(np.array([5, -5], dtype=np.int32), 3).dtype == np.int32
    b = a + 1e-9
    np.testing.assert_array_equal(ops.isclose(a, b).data, np.isclose(a, b))
    assert bool(ops.allclose(a, b).data) and not bool(ops.allclose(a, a + 1).data)
    assert ops.isclose(np.nan, np.nan, equal_nan=True).data


def test_nan_to_num_replaces_and_keeps_the_gradient_of_the_rest():
    x = Tensor(np.array([np.nan, np.inf, -np.inf, 2.0]), requires_grad=True, dtype="float64")
    out = ops.nan_to_num(x, nan=1.0, posinf=9.0)
    np.testing.assert_array_equal(out.data, [1.0, 9.0, np.finfo(np.float64).min, 2.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 0, 1])
    np.testing.assert_array_equal(ops.nan_to_num(np.array([np.inf], np.float32)).data,
                                  [np.finfo(np.float32).max])


def test_dtypes_follow_the_inputs():
    assert ops.sin(np.arange(3)).dtype == np.float32  # integers become float32
    assert ops.sin(Tensor(X, dtype="float64")).dtype == np.float64
    assert ops.arctan2(Tensor(X.astype(np.float32)), 1.0).dtype == np.float32
    assert ops.logaddexp(1.0, 2.0).dtype == np.float32
    assert ops.fmax(np.array([1.0, np.nan]), np.array([np.nan, np.nan])).data[0] == 1.0


def test_shape_errors_name_the_function():
    with pytest.raises(ValueError, match="arctan2: shapes"):
        ops.arctan2(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="floor_divide: shapes"):
        ops.floor_divide(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="isclose: shapes"):
        ops.isclose(np.ones(3), np.ones(2))
