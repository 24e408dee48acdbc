"""The numerical-gradient lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "numerical-gradient"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_forward_differences_are_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "        x[i] = old - h\n        minus = f(x)\n",
                   "        x[i] = old\n        minus = f(x)\n")
    wrong = mutate(wrong, "grad[i] = (plus - minus) / (2 * h)", "grad[i] = (plus - minus) / h")
    assert_rejected(LAB, wrong, tmp_path, "forward differences")


def test_perturbation_left_in_place_is_named(tmp_path):
    wrong = mutate(solution(LAB), "        x[i] = old  # restore before moving on to the next "
                                  "element\n", "")
    assert_rejected(LAB, wrong, tmp_path, "x[i] - h", "old value")


def test_dividing_by_h_instead_of_2h_is_named(tmp_path):
    wrong = mutate(solution(LAB), "(plus - minus) / (2 * h)", "(plus - minus) / h")
    assert_rejected(LAB, wrong, tmp_path, "divide by 2h")


def test_perturbing_the_input_in_place_is_named(tmp_path):
    wrong = mutate(solution(LAB), "x = np.array(x, dtype=np.float64)  #", "#")
    wrong = mutate(wrong, "grad = np.zeros_like(x)", "grad = np.zeros(x.shape)")
    wrong = mutate(wrong, "        x[i] = old  # restore", "        x[i] = old - h  # restore")
    assert_rejected(LAB, wrong, tmp_path, "changed its input")


def test_a_float32_copy_is_named(tmp_path):
    wrong = mutate(solution(LAB), "x = np.array(x, dtype=np.float64)", "x = np.array(x)")
    wrong = mutate(wrong, "grad = np.zeros_like(x)", "grad = np.zeros(x.shape)")
    assert_rejected(LAB, wrong, tmp_path, "float64 copy")


def test_error_without_the_denominator_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.abs(analytic - numeric) / np.maximum(1.0, np.abs(numeric))",
                   "np.abs(analytic - numeric)")
    assert_rejected(LAB, wrong, tmp_path, "max(1, |n_i|)")


def test_mean_error_is_named(tmp_path):
    wrong = mutate(solution(LAB), "float(np.max(np.abs(analytic", "float(np.mean(np.abs(analytic")
    assert_rejected(LAB, wrong, tmp_path, "mean", "np.max")


def test_missing_transpose_in_the_chain_rule_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return A.T @ grad_u", "return A @ grad_u")
    assert_rejected(LAB, wrong, tmp_path, "A^T")


def test_tanh_instead_of_its_derivative_is_named(tmp_path):
    wrong = mutate(solution(LAB), "grad_u = 1 - y ** 2", "grad_u = y")
    assert_rejected(LAB, wrong, tmp_path, "not by tanh itself")
