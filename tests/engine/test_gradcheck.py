"""gradcheck finds wrong gradients and says where."""

import numpy as np
import pytest

from dlpath.engine import Function, GradcheckError, Tensor, gradcheck


class WrongSquare(Function):
    """y = a^2 with a deliberately wrong gradient (a instead of 2a)."""

    def forward(self, a):
        self.a = a
        return a * a

    def backward(self, grad):
        return grad * self.a


def test_gradcheck_passes_correct_gradients_and_reports_a_small_error():
    worst = gradcheck(lambda a, b: (a * b).sum() + (a / b).sum(), np.random.rand(3, 2) + 1,
                      np.random.rand(3, 2) + 1)
    assert worst < 1e-7


def test_gradcheck_names_the_failing_input_and_element():
    good = np.random.rand(2, 2) + 1
    bad = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(2, 2\)\) element \(0, 0\)"):
        gradcheck(lambda a, b: a * 2 + WrongSquare.apply(b), good, bad)


def test_gradcheck_returns_worst_error_without_raising_on_request():
    worst = gradcheck(lambda a: WrongSquare.apply(a).sum(), np.array([1.0, 2.0]),
                      raise_on_failure=False)
    assert worst > 0.3


def test_gradcheck_runs_in_float64_and_ignores_integer_inputs():
    seen = []

    def fn(x, idx):
        seen.append((x.dtype, idx.dtype))
        return x[idx.data].sum()

    gradcheck(fn, np.random.rand(4).astype(np.float32), np.array([0, 2]))
    assert seen[0][0] == np.float64 and seen[0][1].kind == "i"


def test_gradcheck_needs_a_tensor_output():
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda x: 3.0, np.ones(2))
