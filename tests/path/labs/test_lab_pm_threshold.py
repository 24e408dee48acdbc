"""The pm-threshold lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "pm-threshold"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_strict_comparison_is_named(tmp_path):
    wrong = mutate(solution(LAB), "predicted = scores >= threshold",
                   "predicted = scores > threshold")
    assert_rejected(LAB, wrong, tmp_path, "score >= threshold")


def test_swapped_costs_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(cost_fp * fp + cost_fn * fn)",
                   "return float(cost_fn * fp + cost_fp * fn)")
    assert_rejected(LAB, wrong, tmp_path, "cost_fp for the false negatives")


def test_mean_cost_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(cost_fp * fp + cost_fn * fn)",
                   "return float(cost_fp * fp + cost_fn * fn) / len(scores)")
    assert_rejected(LAB, wrong, tmp_path, "total cost")


def test_smallest_of_tied_thresholds_is_named(tmp_path):
    wrong = mutate(solution(LAB), "if best_cost is None or cost < best_cost:",
                   "if best_cost is None or cost <= best_cost:")
    assert_rejected(LAB, wrong, tmp_path, "on a tie return the largest")


def test_returning_the_index_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    for t in np.unique(scores)[::-1]:",
                   "    for t in range(len(scores)):")
    wrong = mutate(wrong, "cost = total_cost(scores, labels, t, cost_fp, cost_fn)",
                   "cost = total_cost(scores, labels, scores[t], cost_fp, cost_fn)")
    assert_rejected(LAB, wrong, tmp_path, "not one of the scores")


def test_counting_errors_instead_of_costs_is_named(tmp_path):
    wrong = mutate(solution(LAB), "cost = total_cost(scores, labels, t, cost_fp, cost_fn)",
                   "cost = total_cost(scores, labels, t, 1.0, 1.0)")
    assert_rejected(LAB, wrong, tmp_path, "fewest mistakes")
