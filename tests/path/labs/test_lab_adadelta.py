"""The adadelta lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "adadelta"
DELTA = ("    delta = np.sqrt(accumulated_delta + epsilon) / np.sqrt(accumulated_grad + epsilon)"
         " * g\n")
DELTA_AVERAGE = ("    accumulated_delta = rho * accumulated_delta + (1 - rho) * delta * delta\n")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_numerator_without_epsilon_is_named(tmp_path):
    wrong = mutate(solution(LAB), DELTA, "    delta = np.sqrt(accumulated_delta) / "
                                         "np.sqrt(accumulated_grad + epsilon) * g\n")
    assert_rejected(LAB, wrong, tmp_path, "stays 0")


def test_update_average_of_the_scaled_step_is_named(tmp_path):
    wrong = mutate(solution(LAB), DELTA_AVERAGE,
                   "    accumulated_delta = rho * accumulated_delta + "
                   "(1 - rho) * (learning_rate * delta) ** 2\n")
    assert_rejected(LAB, wrong, tmp_path, "unscaled delta")


def test_paper_form_without_learning_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return w - learning_rate * delta,",
                   "    return w - delta,")
    assert_rejected(LAB, wrong, tmp_path, "scales the step by the learning rate")


def test_inverted_ratio_is_named(tmp_path):
    wrong = mutate(solution(LAB), DELTA, "    delta = np.sqrt(accumulated_grad + epsilon) / "
                                         "np.sqrt(accumulated_delta + epsilon) * g\n")
    assert_rejected(LAB, wrong, tmp_path, "upside down")


def test_old_gradient_average_in_delta_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    accumulated_grad = rho * accumulated_grad + (1 - rho) * g * g\n" + DELTA,
                   "    delta = np.sqrt(accumulated_delta + epsilon) / "
                   "np.sqrt(accumulated_grad + epsilon) * g\n"
                   "    accumulated_grad = rho * accumulated_grad + (1 - rho) * g * g\n")
    assert_rejected(LAB, wrong, tmp_path, "OLD gradient average")
