"""The sgd-momentum lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "sgd-momentum"
BODY = ("    velocity = momentum * velocity - learning_rate * g\n"
        "    return w + velocity, velocity")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_pytorch_buffer_is_named(tmp_path):
    wrong = mutate(solution(LAB), BODY, "    velocity = momentum * velocity + g\n"
                                        "    return w - learning_rate * velocity, velocity")
    assert_rejected(LAB, wrong, tmp_path, "PyTorch", "includes the learning rate")


def test_old_velocity_in_the_update_is_named(tmp_path):
    wrong = mutate(solution(LAB), BODY, "    new = momentum * velocity - learning_rate * g\n"
                                        "    return w + velocity, new")
    assert_rejected(LAB, wrong, tmp_path, "old velocity")


def test_positive_velocity_convention_is_named(tmp_path):
    wrong = mutate(solution(LAB), BODY, "    velocity = momentum * velocity + learning_rate * g\n"
                                        "    return w - velocity, velocity")
    assert_rejected(LAB, wrong, tmp_path, "step itself")


def test_dampened_velocity_is_named(tmp_path):
    wrong = mutate(solution(LAB), BODY,
                   "    velocity = momentum * velocity - (1 - momentum) * learning_rate * g\n"
                   "    return w + velocity, velocity")
    assert_rejected(LAB, wrong, tmp_path, "dampening")


def test_in_place_velocity_update_is_reported(tmp_path):
    wrong = mutate(solution(LAB), BODY, "    velocity *= momentum\n"
                                        "    velocity -= learning_rate * g\n"
                                        "    return w + velocity, velocity")
    assert_rejected(LAB, wrong, tmp_path, "changed its input")
