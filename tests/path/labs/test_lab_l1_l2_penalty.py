"""The l1-l2-penalty lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "l1-l2-penalty"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_l2_with_one_half_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(lam * np.sum(w ** 2))",
                   "return float(0.5 * lam * np.sum(w ** 2))")
    assert_rejected(LAB, wrong, tmp_path, "without the 1/2")


def test_l2_gradient_without_the_2_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return 2 * lam * w", "return lam * w")
    assert_rejected(LAB, wrong, tmp_path, "2 lam w")


def test_l1_gradient_of_w_over_abs_w_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return lam * np.sign(w)", "return lam * w / np.abs(w)")
    assert_rejected(LAB, wrong, tmp_path, "0 / 0", "np.sign")


def test_l1_gradient_of_one_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return lam * np.sign(w)",
                   "return lam * np.where(w >= 0, 1.0, -1.0)")
    assert_rejected(LAB, wrong, tmp_path, "sign(0) = 0")


def test_mean_instead_of_sum_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(lam * np.sum(np.abs(w)))",
                   "return float(lam * np.mean(np.abs(w)))")
    assert_rejected(LAB, wrong, tmp_path, "is a sum")


def test_penalising_only_the_last_weight_is_named(tmp_path):
    wrong = mutate(solution(LAB), "total = total + l1_penalty(w, l1) + l2_penalty(w, l2)",
                   "total = data_loss + l1_penalty(w, l1) + l2_penalty(w, l2)")
    assert_rejected(LAB, wrong, tmp_path, "only the last weight array")


def test_swapped_factors_are_named(tmp_path):
    wrong = mutate(solution(LAB), "total = total + l1_penalty(w, l1) + l2_penalty(w, l2)",
                   "total = total + l1_penalty(w, l2) + l2_penalty(w, l1)")
    assert_rejected(LAB, wrong, tmp_path, "l1 multiplies sum |w|")


def test_forgotten_data_gradient_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return [g + l1_penalty_grad(w, l1) + l2_penalty_grad(w, l2)",
                   "return [l1_penalty_grad(w, l1) + l2_penalty_grad(w, l2)")
    assert_rejected(LAB, wrong, tmp_path, "data loss's gradient")
