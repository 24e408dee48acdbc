"""The attention lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "attention"
SCORES = "scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)"
MASKING = "scores = np.where(mask, scores, -1e9)"
SOFTMAX = ("    scores = scores - scores.max(axis=-1, keepdims=True)\n"
           "    e = np.exp(scores)\n"
           "    weights = (e / e.sum(axis=-1, keepdims=True)).astype(q.dtype)\n")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_missing_scaling_is_named(tmp_path):
    wrong = mutate(solution(LAB), SCORES, "scores = q @ np.swapaxes(k, -1, -2)")
    assert_rejected(LAB, wrong, tmp_path, "without the scaling")


def test_scaling_by_d_is_named(tmp_path):
    wrong = mutate(solution(LAB), SCORES, "scores = q @ np.swapaxes(k, -1, -2) / d")
    assert_rejected(LAB, wrong, tmp_path, "divided by d")


def test_softmax_over_the_queries_is_named(tmp_path):
    wrong = mutate(solution(LAB), SOFTMAX,
                   "    scores = scores - scores.max(axis=-2, keepdims=True)\n"
                   "    e = np.exp(scores)\n"
                   "    weights = (e / e.sum(axis=-2, keepdims=True)).astype(q.dtype)\n")
    assert_rejected(LAB, wrong, tmp_path, "over the queries")


def test_ignored_mask_is_named(tmp_path):
    wrong = mutate(solution(LAB), MASKING, "scores = scores")
    assert_rejected(LAB, wrong, tmp_path, "without the mask")


def test_inverted_mask_is_named(tmp_path):
    wrong = mutate(solution(LAB), MASKING, "scores = np.where(mask, -1e9, scores)")
    assert_rejected(LAB, wrong, tmp_path, "mask inverted")


def test_minus_infinity_mask_is_named(tmp_path):
    wrong = mutate(solution(LAB), MASKING, "scores = np.where(mask, scores, -np.inf)")
    assert_rejected(LAB, wrong, tmp_path, "-inf", "nan")


def test_softmax_without_the_maximum_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    scores = scores - scores.max(axis=-1, keepdims=True)\n",
                   "")
    assert_rejected(LAB, wrong, tmp_path, "subtract each row's maximum")


def test_leaking_mild_mask_is_named(tmp_path):
    wrong = mutate(solution(LAB), MASKING, "scores = np.where(mask, scores, scores - 30.0)")
    assert_rejected(LAB, wrong, tmp_path, "must get exactly 0")


def test_float64_promotion_is_named(tmp_path):
    wrong = mutate(solution(LAB), "weights = (e / e.sum(axis=-1, keepdims=True)).astype(q.dtype)",
                   "weights = e / e.sum(axis=-1, keepdims=True)")
    assert_rejected(LAB, wrong, tmp_path, "np.sqrt(d)", "float64")
