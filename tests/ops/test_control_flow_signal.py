"""Eager control flow (cond, while_loop, scan, ...) and the window, correlation, distance and
complex-accessor functions: values against NumPy/torch, gradients through the loops."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import dlpath as tf
from dlpath.engine import Tensor, gradcheck
from dlpath.keras import ops as kops

RNG = np.random.default_rng(6)
X = RNG.standard_normal((4, 3))


def test_cond_and_switch_case_pick_one_branch():
    assert kops.cond(Tensor(np.array(True)), lambda: "yes", lambda: "no") == "yes"
    assert tf.cond(False, lambda: 1, lambda: 2) == 2
    assert tf.switch_case(1, [lambda: "a", lambda: "b"]) == "b"
    assert tf.switch_case(7, [lambda: "a", lambda: "b"], default=lambda: "d") == "d"
    with pytest.raises(ValueError, match="cond: pred must be a single boolean"):
        kops.cond(np.array([True, False]), lambda: 1, lambda: 2)
    with pytest.raises(TypeError, match="cond: true_fn and false_fn must be callables"):
        kops.cond(True, 1, 2)


def test_loops_compute_and_pass_gradients():
    i, total = kops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0), (0, 1.5))
    assert i == 4 and total == 24.0
    assert tf.while_loop(lambda n: n < 10, lambda n: n + 3, 0, maximum_iterations=2) == 6
    assert kops.fori_loop(0, 5, lambda k, v: v + k, 0) == 10
    carry, ys = kops.scan(lambda c, x: (c + x, c * x), Tensor(np.zeros(3)), X)
    np.testing.assert_allclose(carry.data, X.sum(0))
    prefix = np.vstack([np.zeros(3), np.cumsum(X, 0)[:-1]])
    np.testing.assert_allclose(ys.data, prefix * X)
    np.testing.assert_allclose(tf.scan(lambda a, x: a + x, X).data, np.cumsum(X, 0))
    np.testing.assert_allclose(tf.scan(lambda a, x: a * x, X[:, 0], reverse=True).data,
                               np.cumprod(X[::-1, 0])[::-1])
    np.testing.assert_allclose(kops.associative_scan(lambda a, b: a + b, X, axis=1).data,
                               np.cumsum(X, 1))
    np.testing.assert_allclose(kops.map(lambda r: r.sum(), X).data, X.sum(1))
    gradcheck(lambda a: kops.scan(lambda c, x: (c * x, c), a[0], a[1:])[0], X)
    gradcheck(lambda a: kops.fori_loop(0, 3, lambda k, v: v * a, a), X)


def test_windows_match_numpy_and_torch():
    np.testing.assert_allclose(kops.hanning(6).data, np.hanning(6), rtol=1e-6)
    np.testing.assert_allclose(kops.hamming(6).data, np.hamming(6), rtol=1e-6)
    np.testing.assert_allclose(kops.blackman(6).data, np.blackman(6), atol=1e-7)
    np.testing.assert_allclose(kops.bartlett(6).data,
                               torch.bartlett_window(6, periodic=False).numpy(), atol=1e-7)
    np.testing.assert_allclose(kops.kaiser(6, 3.0).data, np.kaiser(6, 3.0), rtol=1e-6)
    assert kops.hanning(6).dtype == np.float32


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("n, m", [(7, 3), (2, 5), (4, 4)])
def test_correlate_matches_numpy_and_has_gradients(mode, n, m):
    a, v = RNG.standard_normal(n), RNG.standard_normal(m)
    np.testing.assert_allclose(kops.correlate(Tensor(a, dtype="float64"), v, mode).data,
                               np.correlate(a, v, mode), rtol=1e-12)
    gradcheck(lambda p, q: kops.correlate(p, q, mode), a, v)


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, float("inf")])
def test_cdist_matches_torch_and_has_gradients(p):
    a, b = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 5, 3))
    np.testing.assert_allclose(kops.cdist(Tensor(a, dtype="float64"), b, p).data,
                               torch.cdist(torch.tensor(a), torch.tensor(b), p).numpy(),
                               rtol=1e-10)
    gradcheck(lambda x, y: kops.cdist(x, y, p), a, b)


def test_saturate_cast_and_complex_accessors():
    np.testing.assert_array_equal(kops.saturate_cast(np.array([300.0, -5.0, 7.6]),
                                                     "uint8").data, [255, 0, 7])
    np.testing.assert_array_equal(kops.saturate_cast(np.array([1e6], np.int64), "int8").data,
                                  [127])
    np.testing.assert_array_equal(kops.real(X).data, X)
    np.testing.assert_array_equal(tf.math.imag(X).data, np.zeros_like(X))
    np.testing.assert_array_equal(kops.conj(X).data, X)
    np.testing.assert_array_equal(kops.angle(np.array([-2.0, 3.0])).data, [np.pi, 0.0])
    with pytest.raises(ValueError, match="cdist: x1 and x2 must be"):
        kops.cdist(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="correlate: mode must be"):
        kops.correlate(np.ones(3), np.ones(2), "circular")


def test_tf_case_and_static_values():
    assert tf.case([(False, lambda: 1), (True, lambda: 2), (True, lambda: 3)]) == 2
    assert tf.case([(False, lambda: 1)], default=lambda: 9) == 9
    with pytest.raises(ValueError, match="case: exclusive=True but 2 predicates"):
        tf.case([(True, lambda: 1), (True, lambda: 2)], exclusive=True)
    with pytest.raises(ValueError, match="case: no predicate is true"):
        tf.case([(False, lambda: 1)])
    value = tf.get_static_value(tf.constant([1.0, 2.0]))
    assert isinstance(value, np.ndarray) and value.tolist() == [1.0, 2.0]
