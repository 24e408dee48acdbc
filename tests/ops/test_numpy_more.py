"""NumPy's remaining functions in dlpath.ops.numpy_more: values against NumPy and SciPy,
gradients by finite differences in float64 (and against torch for the special functions)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.special as sp
import torch

import dlpath as tf
from dlpath import ops
from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops

RNG = np.random.default_rng(5)
X = RNG.standard_normal((3, 5))
WITH_NAN = X.copy()
WITH_NAN[0, 1] = WITH_NAN[2, 3] = np.nan


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_order_statistics_match_numpy(method, axis):
    data = WITH_NAN.copy()
    data[1, :] = np.nan  # a row of nan only
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(data, [0.1, 0.5, 0.9], axis=axis, method=method)
    got = ops.nanquantile(Tensor(data, dtype="float64"), [0.1, 0.5, 0.9], axis, method)
    np.testing.assert_allclose(got.data, expected, rtol=1e-12, equal_nan=True)


def test_nan_scans_and_statistics_have_gradients():
    np.testing.assert_allclose(ops.nancumsum(WITH_NAN, 1).data, np.nancumsum(WITH_NAN, 1),
                               rtol=1e-6)
    np.testing.assert_allclose(ops.nancumprod(WITH_NAN, 1).data, np.nancumprod(WITH_NAN, 1),
                               rtol=1e-6)
    np.testing.assert_allclose(ops.nanmedian(WITH_NAN, 1, keepdims=True).data,
                               np.nanmedian(WITH_NAN, 1, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(ops.nanpercentile(WITH_NAN, 30, 0).data,
                               np.nanpercentile(WITH_NAN, 30, 0), rtol=1e-6)
    gradcheck(lambda a: ops.nanmedian(a, 1), WITH_NAN)
    gradcheck(lambda a: ops.nancumprod(a, 1), WITH_NAN)


CASES = [
    ("diff", lambda a: ops.diff(a, 2, 1), lambda a: np.diff(a, 2, 1), X),
    ("trapezoid", ops.trapezoid, np.trapezoid, X),
    ("trapezoid_x", lambda a: ops.trapezoid(a, np.arange(5.0) ** 2),
     lambda a: np.trapezoid(a, np.arange(5.0) ** 2), X),
    ("vander", lambda a: ops.vander(a, 4), lambda a: np.vander(a, 4), X[0]),
    ("vander_inc", lambda a: ops.vander(a, increasing=True),
     lambda a: np.vander(a, increasing=True), X[0]),
    ("corrcoef", ops.corrcoef, np.corrcoef, X),
    ("sinc", ops.sinc, np.sinc, np.append(X[0], 0.0)),
    ("ldexp", lambda a: ops.ldexp(a, np.array([1, -2, 3, 0, 2])),
     lambda a: np.ldexp(a, np.array([1, -2, 3, 0, 2])), X),
    ("i0", ops.i0, sp.i0, X), ("bessel_i1", tf.math.bessel_i1, sp.i1, np.append(X[0], 0.0)),
    ("igamma", lambda x: tf.math.igamma(2.5, x), lambda x: sp.gammainc(2.5, x), np.abs(X) + .1),
    ("betainc", lambda x: tf.math.betainc(2.0, 3.0, x), lambda x: sp.betainc(2.0, 3.0, x),
     RNG.uniform(0.1, 0.9, (2, 3))),
    ("lbeta", tf.math.lbeta, lambda a: sp.betaln(a[..., 0], a[..., 1]), np.abs(X[:, :2]) + .5),
    ("ndtri", tf.math.ndtri, sp.ndtri, RNG.uniform(0.05, 0.95, (2, 3))),
    ("polyval", lambda x: tf.math.polyval([2.0, -1.0, 3.0], x),
     lambda x: np.polyval([2.0, -1.0, 3.0], x), X),
]


@pytest.mark.parametrize("ours, theirs, data", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_values_match_numpy_and_gradients_by_finite_differences(ours, theirs, data):
    np.testing.assert_allclose(ours(Tensor(data, dtype="float64")).data, theirs(data),
                               rtol=1e-9, atol=1e-12)
    gradcheck(ours, data, rtol=1e-4, atol=1e-6)


def test_bessel_i0_gradient_matches_torch():
    x = Tensor(X.astype(np.float32), requires_grad=True)
    ops.i0(x).sum().backward()
    reference = torch.tensor(X.astype(np.float32), requires_grad=True)
    torch.special.i0(reference).sum().backward()
    np.testing.assert_allclose(x.grad, reference.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_constant_results_match_numpy():
    a = np.array([[3, -1, 4], [1, 5, 9]])
    np.testing.assert_array_equal(kops.argpartition(a, 1, 1).data[:, 1],
                                  np.argpartition(a, 1, 1)[:, 1])
    np.testing.assert_array_equal(kops.gcd(np.array([12, 18]), 8).data, [4, 2])
    np.testing.assert_array_equal(kops.lcm(np.array([4, 6]), 10).data, [20, 30])
    np.testing.assert_array_equal(kops.bitwise_xor(np.array([5]), np.array([3])).data, [6])
    np.testing.assert_array_equal(kops.bitwise_not(np.array([0], np.int8)).data, [-1])
    assert kops.left_shift(1, 3).data == 8 and kops.left_shift(1, 3).dtype == np.int32
    assert kops.right_shift(16, 2).data == 4
    np.testing.assert_array_equal(kops.isin(a, [1, 9]).data, np.isin(a, [1, 9]))
    b = np.array([-np.inf, 0.0, np.inf, np.nan])
    np.testing.assert_array_equal(kops.isneginf(b).data, np.isneginf(b))
    np.testing.assert_array_equal(kops.isposinf(b).data, np.isposinf(b))
    assert kops.isreal(b).data.all()
    assert kops.nanargmax(WITH_NAN, 1).data.tolist() == np.nanargmax(WITH_NAN, 1).tolist()
    assert kops.nanargmin(WITH_NAN).data == np.nanargmin(WITH_NAN)
    rows, cols = kops.unravel_index([5, 7], (3, 4))
    assert rows.data.tolist() == [1, 1] and cols.data.tolist() == [1, 3]
    counts, edges = kops.histogram(X, 4)
    np.testing.assert_array_equal(counts.data, np.histogram(X, 4)[0])
    np.testing.assert_allclose(kops.logspace(0, 2, 3).data, [1, 10, 100])
    np.testing.assert_allclose(kops.geomspace(1, 8, 4).data, [1, 2, 4, 8], rtol=1e-6)
    assert kops.empty((2, 3)).shape == (2, 3) and kops.empty_like(a).dtype == a.dtype
    np.testing.assert_array_equal(tf.math.invert_permutation([3, 4, 0, 2, 1]).data,
                                  [2, 4, 3, 0, 1])
    np.testing.assert_allclose(tf.math.zeta(2.0, 1.0).data, np.pi ** 2 / 6, rtol=1e-6)
    assert tf.math.nextafter(1.0, 2.0).data > 1.0
    np.testing.assert_allclose(tf.math.scalar_mul(2.0, X).data, 2 * X, rtol=1e-6)
    np.testing.assert_allclose(kops.gammainc(2.0, 1.0).data, sp.gammainc(2.0, 1.0), rtol=1e-6)


def test_errors_name_the_function_and_argument():
    with pytest.raises(ValueError, match="invert_permutation: x must be a permutation"):
        tf.math.invert_permutation([0, 0, 1])
    with pytest.raises(TypeError, match="gcd: expected integers"):
        kops.gcd(np.array([1.5]), 2)
    with pytest.raises(ValueError, match="vander: x must be 1-D"):
        kops.vander(X)
    with pytest.raises(ValueError, match="nanquantile: method must be"):
        kops.nanquantile(X, 0.5, method="cubic")
