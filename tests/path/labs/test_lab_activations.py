"""The activations lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "activations"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_naive_sigmoid_overflows_on_large_inputs(tmp_path):
    # exp(x) / (1 + exp(x)) is inf / inf = nan at x = +1000.
    wrong = mutate(solution(LAB),
                   "    e = np.exp(-np.abs(x))  # never overflows: the exponent is <= 0\n"
                   "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)",
                   "    return (np.exp(x) / (1 + np.exp(x))).astype(x.dtype)")
    assert_rejected(LAB, wrong, tmp_path, "overflow")


def test_sigmoid_grad_returning_sigmoid_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return s * (1 - s)", "    return s")
    assert_rejected(LAB, wrong, tmp_path, "not its derivative")


def test_tanh_grad_with_flipped_sign_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return 1 - t * t", "    return t * t - 1")
    assert_rejected(LAB, wrong, tmp_path, "1 - tanh(x)^2")


def test_relu_grad_of_one_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), "(x > 0).astype", "(x >= 0).astype")
    assert_rejected(LAB, wrong, tmp_path, "relu_grad(0)")


def test_float32_inputs_must_stay_float32(tmp_path):
    wrong = mutate(solution(LAB), "    return np.tanh(x)", "    return np.tanh(x.astype(float))")
    assert_rejected(LAB, wrong, tmp_path, "dtype")
