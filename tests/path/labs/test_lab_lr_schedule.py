"""The lr-schedule lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "lr-schedule"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_ignored_staircase_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    if staircase:\n        progress = np.floor(progress)\n",
                   "")
    assert_rejected(LAB, wrong, tmp_path, "staircase=True", "floor")


def test_rounded_staircase_is_named(tmp_path):
    wrong = mutate(solution(LAB), "np.floor(progress)", "np.round(progress)")
    assert_rejected(LAB, wrong, tmp_path, "nearest integer")


def test_boundary_assigned_to_the_next_value_is_named(tmp_path):
    wrong = mutate(solution(LAB), 'side="left"', 'side="right"')
    assert_rejected(LAB, wrong, tmp_path, "equal to a boundary", "side='left'")


def test_cosine_without_clamp_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "np.minimum(np.asarray(step, dtype=np.float64), decay_steps) / decay_steps",
                   "np.asarray(step, dtype=np.float64) / decay_steps")
    assert_rejected(LAB, wrong, tmp_path, "climbs again")


def test_unscaled_alpha_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    return initial_learning_rate * ((1 - alpha) * cosine + alpha)",
                   "    return initial_learning_rate * (1 - alpha) * cosine + alpha")
    assert_rejected(LAB, wrong, tmp_path, "fraction of initial_learning_rate")


def test_scalar_only_code_is_reported(tmp_path):
    wrong = mutate(solution(LAB), "np.floor(progress)", "float(int(progress))")
    assert_rejected(LAB, wrong, tmp_path, "raised")
