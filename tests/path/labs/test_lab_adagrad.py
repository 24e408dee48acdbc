"""The adagrad lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "adagrad"
GROW = "    accumulator = accumulator + g * g\n"
STEP = "    return w - learning_rate * g / np.sqrt(accumulator + epsilon), accumulator"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_pytorch_start_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return np.full_like(w, initial_accumulator_value)",
                   "return np.zeros_like(w)")
    assert_rejected(LAB, wrong, tmp_path, "PyTorch", "0.1")


def test_epsilon_outside_the_root_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP, "    return w - learning_rate * g / "
                                        "(np.sqrt(accumulator) + epsilon), accumulator")
    assert_rejected(LAB, wrong, tmp_path, "inside the root")


def test_decaying_accumulator_is_named(tmp_path):
    wrong = mutate(solution(LAB), GROW, "    accumulator = 0.9 * accumulator + 0.1 * g * g\n")
    assert_rejected(LAB, wrong, tmp_path, "RMSprop")


def test_old_accumulator_in_the_step_is_named(tmp_path):
    wrong = mutate(solution(LAB), GROW + STEP,
                   "    new = accumulator + g * g\n"
                   "    return w - learning_rate * g / np.sqrt(accumulator + epsilon), new")
    assert_rejected(LAB, wrong, tmp_path, "OLD accumulator")


def test_in_place_accumulation_is_reported(tmp_path):
    wrong = mutate(solution(LAB), GROW, "    accumulator += g * g\n")
    assert_rejected(LAB, wrong, tmp_path, "changed its input")
