"""The gradient-descent lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "gradient-descent"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gradient_ascent_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return w - learning_rate * g", "return w + learning_rate * g")
    assert_rejected(LAB, wrong, tmp_path, "along the gradient", "w − learning_rate·g")


def test_forgotten_learning_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return w - learning_rate * g", "return w - g")
    assert_rejected(LAB, wrong, tmp_path, "scaled by the learning rate")


def test_in_place_update_is_reported(tmp_path):
    wrong = mutate(solution(LAB), "    return w - learning_rate * g",
                   "    w -= learning_rate * g\n    return w")
    assert_rejected(LAB, wrong, tmp_path, "changed its input")


def test_loss_without_its_half_is_named(tmp_path):
    wrong = mutate(solution(LAB), "0.5 * (w @ Aw) - b @ w", "(w @ Aw) - b @ w")
    assert_rejected(LAB, wrong, tmp_path, "factor 1/2")


def test_gradient_without_b_is_named(tmp_path):
    wrong = mutate(solution(LAB), ", Aw - b", ", Aw")
    assert_rejected(LAB, wrong, tmp_path, "−b", "missing")


def test_losses_without_the_last_one_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    losses.append(quadratic(A, b, w)[0])\n", "")
    assert_rejected(LAB, wrong, tmp_path, "after the loop")


def test_one_step_too_many_is_named(tmp_path):
    wrong = mutate(solution(LAB), "range(steps)", "range(steps + 1)")
    assert_rejected(LAB, wrong, tmp_path, "one update more")
