"""The nesterov lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "nesterov"
UPDATE = "    return w + momentum * velocity - learning_rate * g, velocity"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_plain_momentum_is_named(tmp_path):
    wrong = mutate(solution(LAB), UPDATE, "    return w + velocity, velocity")
    assert_rejected(LAB, wrong, tmp_path, "plain momentum", "look-ahead")


def test_old_velocity_in_the_update_is_named_as_plain_momentum(tmp_path):
    # w + momentum * v_old - lr * g is exactly w + v_new: plain momentum.
    wrong = mutate(solution(LAB),
                   "    velocity = momentum * velocity - learning_rate * g\n" + UPDATE,
                   "    new = momentum * velocity - learning_rate * g\n"
                   "    return w + momentum * velocity - learning_rate * g, new")
    assert_rejected(LAB, wrong, tmp_path, "old velocity", "plain momentum", "NEW velocity")


def test_returning_the_step_as_velocity_is_named(tmp_path):
    wrong = mutate(solution(LAB), UPDATE,
                   "    step = momentum * velocity - learning_rate * g\n"
                   "    return w + step, step")
    assert_rejected(LAB, wrong, tmp_path, "return the velocity itself")


def test_pytorch_buffer_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    velocity = momentum * velocity - learning_rate * g\n" + UPDATE,
                   "    b = momentum * velocity + g\n"
                   "    return w - learning_rate * (g + momentum * b), b")
    assert_rejected(LAB, wrong, tmp_path, "PyTorch")
