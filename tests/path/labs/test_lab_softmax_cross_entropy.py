"""The softmax-cross-entropy lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "softmax-cross-entropy"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gradient_without_one_over_n_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return grad / n", "    return grad")
    assert_rejected(LAB, wrong, tmp_path, "without the 1/N")


def test_summed_loss_is_named(tmp_path):
    wrong = mutate(solution(LAB), "float(-np.mean(log_probs", "float(-np.sum(log_probs")
    assert_rejected(LAB, wrong, tmp_path, "sum over the batch")


def test_forgotten_onehot_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    grad[np.arange(n), labels] -= 1\n", "")
    assert_rejected(LAB, wrong, tmp_path, "subtract 1")


def test_gradient_sign_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return grad / n", "    return -grad / n")
    assert_rejected(LAB, wrong, tmp_path, "wrong sign")


def test_wrong_fancy_indexing_is_named(tmp_path):
    wrong = mutate(solution(LAB), "log_probs[np.arange(n), labels]", "log_probs[:, labels]")
    assert_rejected(LAB, wrong, tmp_path, "one entry per row")


def test_naive_log_of_softmax_overflows_and_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, "
                   "keepdims=True))",
                   "    log_probs = np.log(np.exp(logits) / np.sum(np.exp(logits), axis=1, "
                   "keepdims=True))")
    assert_rejected(LAB, wrong, tmp_path, "row maximum")
