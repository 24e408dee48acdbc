"""The rmsprop lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "rmsprop"
AVERAGE = "    velocity = rho * velocity + (1 - rho) * g * g\n"
STEP = "    return w - learning_rate * g / np.sqrt(velocity + epsilon), velocity"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_epsilon_outside_the_root_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP,
                   "    return w - learning_rate * g / (np.sqrt(velocity) + epsilon), velocity")
    assert_rejected(LAB, wrong, tmp_path, "PyTorch", "inside the root")


def test_old_velocity_in_the_step_is_named(tmp_path):
    wrong = mutate(solution(LAB), AVERAGE + STEP,
                   "    new = rho * velocity + (1 - rho) * g * g\n"
                   "    return w - learning_rate * g / np.sqrt(velocity + epsilon), new")
    assert_rejected(LAB, wrong, tmp_path, "OLD velocity")


def test_swapped_rho_is_named(tmp_path):
    wrong = mutate(solution(LAB), AVERAGE,
                   "    velocity = (1 - rho) * velocity + rho * g * g\n")
    assert_rejected(LAB, wrong, tmp_path, "share of the OLD average")


def test_missing_square_root_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP,
                   "    return w - learning_rate * g / (velocity + epsilon), velocity")
    assert_rejected(LAB, wrong, tmp_path, "square root")


def test_float64_arithmetic_on_float32_is_reported(tmp_path):
    wrong = mutate(solution(LAB), STEP,
                   "    return (w - learning_rate * g / np.sqrt(velocity + epsilon)"
                   ").astype(np.float64), velocity")
    assert_rejected(LAB, wrong, tmp_path, "dtype")
