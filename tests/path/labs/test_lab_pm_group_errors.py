"""The pm-group-errors lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "pm-group-errors"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_fpr_over_the_whole_group_is_named(tmp_path):
    wrong = mutate(solution(LAB), "fpr = fp / negatives if negatives else np.nan",
                   "fpr = fp / len(t) if negatives else np.nan")
    assert_rejected(LAB, wrong, tmp_path, "all of the group's samples")


def test_false_discovery_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), "fpr = fp / negatives if negatives else np.nan",
                   "fpr = fp / np.sum(p == 1) if np.sum(p == 1) else np.nan")
    assert_rejected(LAB, wrong, tmp_path, "false discovery rate")


def test_swapped_rates_are_named(tmp_path):
    wrong = mutate(solution(LAB), "rates[g.item()] = (float(fpr), float(fnr))",
                   "rates[g.item()] = (float(fnr), float(fpr))")
    assert_rejected(LAB, wrong, tmp_path, "swapped")


def test_zero_for_an_undefined_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), "fpr = fp / negatives if negatives else np.nan",
                   "fpr = fp / negatives if negatives else 0.0")
    assert_rejected(LAB, wrong, tmp_path, "undefined", "nan")


def test_rates_of_the_whole_data_set_are_named(tmp_path):
    wrong = mutate(solution(LAB), "t, p = y_true[groups == g], y_pred[groups == g]",
                   "t, p = y_true, y_pred")
    assert_rejected(LAB, wrong, tmp_path, "whole data set")


def test_nan_in_the_gap_is_named(tmp_path):
    wrong = mutate(solution(LAB), "values = [r[i] for r in rates.values() if not np.isnan(r[i])]",
                   "values = [r[i] for r in rates.values()]")
    assert_rejected(LAB, wrong, tmp_path, "left out")


def test_gap_as_the_largest_rate_is_named(tmp_path):
    wrong = mutate(solution(LAB), "gaps.append(max(values) - min(values) if len(values) >= 2 "
                                  "else 0.0)", "gaps.append(max(values) if values else 0.0)")
    assert_rejected(LAB, wrong, tmp_path, "largest rate minus the smallest")
