"""The dropout lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "dropout"
INFERENCE = "    if not training:\n        return x\n"
DRAW = "    keep = rng.random(x.shape) >= rate\n"
SCALE = "    return x * keep / (1 - rate)"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_scaling_at_inference_is_named(tmp_path):
    wrong = mutate(solution(LAB), INFERENCE,
                   "    if not training:\n        return x * (1 - rate)\n")
    assert_rejected(LAB, wrong, tmp_path, "inference is the identity")


def test_no_scaling_in_training_is_named(tmp_path):
    wrong = mutate(solution(LAB), SCALE, "    return x * keep")
    assert_rejected(LAB, wrong, tmp_path, "scales them by 1 / (1 − rate)")


def test_dropping_with_probability_one_minus_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), DRAW, "    keep = rng.random(x.shape) < rate\n")
    assert_rejected(LAB, wrong, tmp_path, "probability to DROP")


def test_scaling_by_the_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), SCALE, "    return x * keep / rate")
    assert_rejected(LAB, wrong, tmp_path, "not by the drop rate")


def test_one_mask_for_every_row_is_named(tmp_path):
    wrong = mutate(solution(LAB), DRAW, "    keep = rng.random(x.shape[-1]) >= rate\n")
    assert_rejected(LAB, wrong, tmp_path, "same along")


def test_global_numpy_random_is_named(tmp_path):
    wrong = mutate(solution(LAB), DRAW, "    keep = np.random.random(x.shape) >= rate\n")
    assert_rejected(LAB, wrong, tmp_path, "`rng` argument")


def test_ignoring_training_is_named(tmp_path):
    wrong = mutate(solution(LAB), INFERENCE, "")
    assert_rejected(LAB, wrong, tmp_path, "training=False", "only drawn when training")
