"""Arithmetic primitives against PyTorch and finite differences, with broadcasting."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from dlpath.engine import Tensor, ops
from reference import check_op, random_inputs

BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
}

BROADCAST_CASES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((1,), (2, 3)),
                   ((), (2, 3)), ((5, 1, 1), (1, 4, 3))]


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", BROADCAST_CASES)
def test_binary_op_matches_torch_with_broadcasting(name, shapes):
    ours, theirs = BINARY[name]
    a, b = random_inputs(shapes, seed=1)
    if name == "div":
        b = np.sign(b) * (np.abs(b) + 0.5)  # keep away from zero
    check_op(ours, theirs, [a, b])


@settings(max_examples=25, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_mul_gradients_sum_back_to_any_broadcast_shape(shapes):
    a, b = random_inputs(shapes.input_shapes, seed=2)
    check_op(lambda x, y: x * y, lambda x, y: x * y, [a, b])


def test_neg_and_reflected_operators_with_python_numbers():
    (a,) = random_inputs([(3, 2)], seed=3)
    check_op(lambda x: 2.0 - x * 3 + 1 / (x * x + 1) - (-x), lambda x: 2.0 - x * 3 + 1 / (
        x * x + 1) - (-x), [a])


def test_python_numbers_keep_float32():
    x = Tensor(np.ones(3, dtype=np.float32))
    assert (x * 2.5 + 1).dtype == np.float32
    assert (2.5 / x).dtype == np.float32


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((2, 3), (3,)), ((4, 1), (1, 5))])
def test_pow_matches_torch_for_both_base_and_exponent(shapes):
    base, exponent = random_inputs(shapes, seed=4)
    base = np.abs(base) + 0.5
    check_op(lambda a, b: a ** b, lambda a, b: a ** b, [base, exponent])


def test_pow_with_constant_exponent_and_zero_base_gradient():
    x = Tensor(np.array([0.0, 2.0, 3.0]), requires_grad=True)
    (x ** 2).sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 4.0, 6.0])
    e = Tensor(np.array(2.0), requires_grad=True)
    (Tensor(np.array([0.0, 1.0])) ** e).sum().backward()
    assert e.grad == pytest.approx(0.0)


def test_incompatible_shapes_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\) and \(5,\)"):
        Tensor(np.ones((3, 4))) + Tensor(np.ones(5))
    with pytest.raises(ValueError, match="mul"):
        ops.mul(np.ones((2, 3)), Tensor(np.ones((3, 2))))


def test_numpy_array_on_the_left_defers_to_tensor():
    x = Tensor(np.ones(3), requires_grad=True)
    y = np.arange(3.0) * x
    assert isinstance(y, Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [0, 1, 2])
