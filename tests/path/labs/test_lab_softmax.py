"""The softmax lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "softmax"
SHIFT = "    shifted = z - np.max(z, axis=-1, keepdims=True)\n    e = np.exp(shifted)"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_softmax_without_the_maximum_is_named(tmp_path):
    wrong = mutate(solution(LAB), SHIFT, "    e = np.exp(z)")
    assert_rejected(LAB, wrong, tmp_path, "subtract the maximum first")


def test_one_global_maximum_is_named(tmp_path):
    wrong = mutate(solution(LAB), SHIFT, "    e = np.exp(z - np.max(z))")
    assert_rejected(LAB, wrong, tmp_path, "each row's own maximum")


def test_maximum_without_keepdims_is_named(tmp_path):
    wrong = mutate(solution(LAB), SHIFT,
                   "    shifted = z - np.max(z, axis=-1)\n    e = np.exp(shifted)")
    assert_rejected(LAB, wrong, tmp_path, "keepdims=True")


def test_normalising_over_the_whole_array_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return e / np.sum(e, axis=-1, keepdims=True)",
                   "return e / np.sum(e)")
    assert_rejected(LAB, wrong, tmp_path, "whole array")


def test_softmax_over_the_columns_is_named(tmp_path):
    wrong = mutate(solution(LAB), SHIFT + "\n    return e / np.sum(e, axis=-1, keepdims=True)",
                   "    e = np.exp(z - np.max(z, axis=0, keepdims=True))\n"
                   "    return e / np.sum(e, axis=0, keepdims=True)")
    assert_rejected(LAB, wrong, tmp_path, "axis 0")


def test_log_of_softmax_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, "
                                  "keepdims=True))", "    return np.log(softmax(z))")
    assert_rejected(LAB, wrong, tmp_path, "log(softmax(z))")
