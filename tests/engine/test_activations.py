"""Activations against PyTorch, finite differences, stability at +-1000, fused == composite."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpath.engine import Tensor
from dlpath.engine import activations as A
from reference import check_op, random_inputs

CASES = {
    "relu": (A.relu, torch.relu),
    "leaky_relu": (lambda x: A.leaky_relu(x, 0.3), lambda x: F.leaky_relu(x, 0.3)),
    "elu": (lambda x: A.elu(x, 0.7), lambda x: F.elu(x, 0.7)),
    "gelu": (A.gelu, F.gelu),
    "gelu_tanh": (lambda x: A.gelu(x, approximate=True),
                  lambda x: F.gelu(x, approximate="tanh")),
    "sigmoid": (A.sigmoid, torch.sigmoid),
    "tanh": (A.tanh, torch.tanh),
    "softplus": (A.softplus, F.softplus),
    "softmax": (A.softmax, lambda x: torch.softmax(x, -1)),
    "softmax_axis0": (lambda x: A.softmax(x, 0), lambda x: torch.softmax(x, 0)),
    "log_softmax": (A.log_softmax, lambda x: torch.log_softmax(x, -1)),
    "log_softmax_axis1": (lambda x: A.log_softmax(x, 1), lambda x: torch.log_softmax(x, 1)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_matches_torch(name):
    ours, theirs = CASES[name]
    (a,) = random_inputs([(4, 3, 5)], seed=30)
    a = a * 3
    check_op(ours, theirs, [a])


@pytest.mark.parametrize("name", sorted(CASES))
def test_activation_is_finite_with_finite_gradient_at_plus_minus_1000(name):
    ours, theirs = CASES[name]
    values = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    x = Tensor(values, requires_grad=True)
    y = ours(x)
    assert np.all(np.isfinite(y.data)), f"{name} forward: {y.data}"
    y.backward(np.ones_like(y.data))
    assert np.all(np.isfinite(x.grad)), f"{name} gradient: {x.grad}"
    t = torch.tensor(values, dtype=torch.float32, requires_grad=True)
    theirs(t).backward(torch.ones(1, 5))
    np.testing.assert_allclose(y.data, theirs(t).detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), atol=1e-5)


def test_relu_and_leaky_relu_gradient_at_zero_match_torch():
    check_op(A.relu, torch.relu, [np.array([-1.0, 0.0, 1.0])], finite_differences=False)
    check_op(lambda x: A.leaky_relu(x, 0.1), lambda x: F.leaky_relu(x, 0.1),
             [np.array([-1.0, 0.0, 1.0])], finite_differences=False)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_fused_softmax_equals_its_composite_version(axis):
    (a,) = random_inputs([(3, 4, 5)], seed=31)
    for fused, composite in [(A.softmax, A.softmax_composite),
                             (A.log_softmax, A.log_softmax_composite)]:
        x1 = Tensor(a, requires_grad=True, dtype="float64")
        x2 = Tensor(a, requires_grad=True, dtype="float64")
        y1, y2 = fused(x1, axis), composite(x2, axis)
        np.testing.assert_allclose(y1.data, y2.data, rtol=1e-12, atol=1e-14)
        upstream = np.random.default_rng(0).standard_normal(y1.shape)
        y1.backward(upstream)
        y2.backward(upstream)
        np.testing.assert_allclose(x1.grad, x2.grad, rtol=1e-10, atol=1e-12)


def test_tensor_methods_call_the_activations():
    x = Tensor(np.array([-1.0, 2.0]))
    np.testing.assert_allclose(x.relu().data, [0, 2])
    np.testing.assert_allclose(x.sigmoid().data, 1 / (1 + np.exp(-x.data)), rtol=1e-6)
    np.testing.assert_allclose(x.softmax().data.sum(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(A.linear(x).data, x.data)
