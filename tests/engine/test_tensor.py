"""Tensor construction, the autograd walk, graph mode and error messages."""

import numpy as np
import pytest

from dlpath.engine import Tensor, enable_grad, is_grad_enabled, no_grad


def test_floating_data_is_float32_by_default_and_float64_on_request():
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(np.zeros(2)).dtype == np.float32
    assert Tensor(np.zeros(2), dtype="float64").dtype == np.float64
    assert Tensor([1, 2]).dtype.kind == "i"
    assert Tensor(np.array([True])).dtype == bool


def test_integer_tensors_cannot_require_gradients():
    with pytest.raises(TypeError, match="only floating"):
        Tensor([1, 2], requires_grad=True)


def test_non_numeric_data_is_refused():
    with pytest.raises(TypeError, match="numbers"):
        Tensor(np.array(["a", "b"]))


def test_gradient_accumulates_over_uses_and_over_backward_calls():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * x + x  # x used three times
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 5.0])
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad, [5.0, 7.0])
    x.zero_grad()
    assert x.grad is None


def test_diamond_graph_is_walked_in_topological_order():
    x = Tensor(np.array(2.0), requires_grad=True)
    a = x * 3
    b = a * a          # depends on a twice
    c = a + b          # a reached along two paths of different length
    c.backward()
    assert x.grad == pytest.approx(3 + 2 * 6 * 3)


def test_one_hundred_thousand_chained_ops_backpropagate_without_recursion():
    x = Tensor(np.array(1.0), requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0)


def test_backward_on_non_scalar_needs_a_gradient():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*pass grad="):
        (x * 2).backward()
    (x * 2).backward(np.ones((2, 3)))
    np.testing.assert_allclose(x.grad, 2 * np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad has shape \(3,\), expected .*\(2, 3\)"):
        (x * 2).backward(np.ones(3))


def test_backward_without_graph_is_an_error():
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        Tensor(np.ones(1)).backward()


def test_second_backward_needs_retain_graph():
    x = Tensor(np.array(3.0), requires_grad=True)
    y = x * x
    z = y * 2
    z.backward(retain_graph=True)
    z.backward()
    assert x.grad == pytest.approx(24.0)
    w = y * 1.0
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        w.backward()


def test_no_grad_builds_no_graph_and_enable_grad_restores_it():
    x = Tensor(np.ones(2), requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 2
        with enable_grad():
            z = x * 2
    assert is_grad_enabled()
    assert not y.requires_grad and y.is_leaf
    assert z.requires_grad


def test_detach_cuts_the_graph_and_shares_memory():
    x = Tensor(np.ones(2), requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad
    y = x * d
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 2.0])


def test_retain_grad_keeps_an_intermediate_gradient():
    x = Tensor(np.ones(2), requires_grad=True)
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad, [6.0, 6.0])


def test_comparisons_give_boolean_tensors_outside_the_graph():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == bool and not mask.requires_grad
    np.testing.assert_array_equal(mask.data, [False, True, True])
    np.testing.assert_array_equal((x == 2).data, [False, True, False])
    assert {x: 1}[x] == 1  # still hashable


def test_numpy_item_len_and_repr():
    x = Tensor(np.arange(3.0))
    assert x.numpy() is x.data
    assert len(x) == 3 and x[1].item() == 1.0
    assert "Tensor(" in repr(x) and "float32" in repr(x)
    assert np.asarray(x).shape == (3,)
