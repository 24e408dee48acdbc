"""The batch-norm lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "batch-norm"
VARIANCE = "        var = ((x - mean) ** 2).mean(axis=axes)\n"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_unbiased_variance_is_named(tmp_path):
    wrong = mutate(solution(LAB), VARIANCE, "        var = x.var(axis=axes, ddof=1)\n")
    assert_rejected(LAB, wrong, tmp_path, "unbiased variance")


def test_variance_by_cancellation_is_named(tmp_path):
    wrong = mutate(solution(LAB), VARIANCE,
                   "        var = (x ** 2).mean(axis=axes) - mean ** 2\n")
    assert_rejected(LAB, wrong, tmp_path, "catastrophic cancellation")


def test_swapped_momentum_is_named(tmp_path):
    wrong = mutate(solution(LAB), "new_mean = moving_mean * momentum + mean * (1 - momentum)",
                   "new_mean = moving_mean * (1 - momentum) + mean * momentum")
    assert_rejected(LAB, wrong, tmp_path, "what the old value keeps")


def test_batch_statistics_at_inference_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    if training:\n", "    if True:\n")
    assert_rejected(LAB, wrong, tmp_path, "in inference mode")


def test_epsilon_outside_the_square_root_is_named(tmp_path):
    wrong = mutate(solution(LAB), "y = gamma * (x - mean) / np.sqrt(var + epsilon) + beta",
                   "y = gamma * (x - mean) / (np.sqrt(var) + epsilon) + beta")
    assert_rejected(LAB, wrong, tmp_path, "inside the square root")


def test_gradient_with_constant_statistics_is_named(tmp_path):
    wrong = mutate(solution(LAB), "dx = gamma * r * (dy - dbeta / n - x_hat * dgamma / n)",
                   "dx = gamma * r * dy")
    assert_rejected(LAB, wrong, tmp_path, "as if mean and var were constants")


def test_gradient_without_the_variance_path_is_named(tmp_path):
    wrong = mutate(solution(LAB), "dx = gamma * r * (dy - dbeta / n - x_hat * dgamma / n)",
                   "dx = gamma * r * (dy - dbeta / n)")
    assert_rejected(LAB, wrong, tmp_path, "not the one through the variance")


def test_moving_statistics_updated_in_place_are_named(tmp_path):
    wrong = mutate(solution(LAB), "new_mean = moving_mean * momentum + mean * (1 - momentum)",
                   "moving_mean *= momentum\n        moving_mean += mean * (1 - momentum)\n"
                   "        new_mean = moving_mean")
    assert_rejected(LAB, wrong, tmp_path, "in place")


def test_pytorch_default_epsilon_is_named(tmp_path):
    wrong = mutate(solution(LAB), "momentum=0.99,\n                      epsilon=1e-3):",
                   "momentum=0.99,\n                      epsilon=1e-5):")
    assert_rejected(LAB, wrong, tmp_path, "default epsilon is 1e-3")
