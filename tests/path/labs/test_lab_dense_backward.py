"""The dense-backward lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "dense-backward"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_dW_without_transpose_is_caught_by_its_shape(tmp_path):
    wrong = mutate(solution(LAB), "dW = delta @ a.T", "dW = a @ delta.T")
    assert_rejected(LAB, wrong, tmp_path, "transpose of dw")


def test_bias_gradient_not_summed_is_named(tmp_path):
    wrong = mutate(solution(LAB), "db = np.sum(delta, axis=1, keepdims=True)", "db = delta")
    assert_rejected(LAB, wrong, tmp_path, "shared by the whole batch")


def test_bias_gradient_without_keepdims_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.sum(delta, axis=1, keepdims=True)", "np.sum(delta, axis=1)")
    assert_rejected(LAB, wrong, tmp_path, "keepdims=True")


def test_mean_instead_of_sum_is_named(tmp_path):
    wrong = mutate(solution(LAB), "dW = delta @ a.T", "dW = delta @ a.T / delta.shape[1]")
    assert_rejected(LAB, wrong, tmp_path, "do not average")


def test_bias_summed_over_the_wrong_axis_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.sum(delta, axis=1, keepdims=True)",
                   "np.sum(delta, axis=0, keepdims=True)")
    assert_rejected(LAB, wrong, tmp_path, "axis 0")


def test_da_without_transpose_is_named(tmp_path):
    wrong = mutate(solution(LAB), "da = W.T @ delta", "da = W @ delta")
    assert_rejected(LAB, wrong, tmp_path, "W^T delta")


def test_forgotten_activation_derivative_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return (W_next.T @ delta_next) * activation_grad(z, activation)",
                   "return W_next.T @ delta_next")
    assert_rejected(LAB, wrong, tmp_path, "sigma'(z^l)")


def test_relu_derivative_of_one_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), "(z > 0).astype(z.dtype)", "(z >= 0).astype(z.dtype)")
    assert_rejected(LAB, wrong, tmp_path, "relu'(0)")
