"""The gan-losses lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "gan-losses"
D_LOSS = "loss = softplus(-real_logits).mean() + softplus(fake_logits).mean()"
MINIMAX = ("    loss = -softplus(fake_logits).mean()\n"
           "    return float(loss), -sigmoid(fake_logits) / fake_logits.size\n")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_naive_log_sigmoid_is_named(tmp_path):
    wrong = mutate(solution(LAB), D_LOSS,
                   "loss = -np.log(sigmoid(real_logits)).mean()"
                   " - np.log(1 - sigmoid(fake_logits)).mean()")
    assert_rejected(LAB, wrong, tmp_path, "log(0) = -inf", "softplus")


def test_swapped_labels_are_named(tmp_path):
    wrong = mutate(solution(LAB), D_LOSS,
                   "loss = softplus(real_logits).mean() + softplus(-fake_logits).mean()")
    assert_rejected(LAB, wrong, tmp_path, "labels swapped")


def test_pooled_mean_is_named(tmp_path):
    wrong = mutate(solution(LAB), D_LOSS,
                   "loss = (softplus(-real_logits).sum() + softplus(fake_logits).sum())"
                   " / (real_logits.size + fake_logits.size)")
    assert_rejected(LAB, wrong, tmp_path, "n_r + n_f samples together")


def test_gradient_not_averaged_is_named(tmp_path):
    wrong = mutate(solution(LAB), "d_real = (sigmoid(real_logits) - 1) / real_logits.size",
                   "d_real = sigmoid(real_logits) - 1")
    assert_rejected(LAB, wrong, tmp_path, "n times too large")


def test_minimax_written_as_non_saturating_is_named(tmp_path):
    wrong = mutate(solution(LAB), MINIMAX,
                   "    loss = softplus(-fake_logits).mean()\n"
                   "    return float(loss), (sigmoid(fake_logits) - 1) / fake_logits.size\n")
    assert_rejected(LAB, wrong, tmp_path, "equals the non-saturating loss")


def test_non_saturating_with_label_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    loss = softplus(-fake_logits).mean()\n"
                   "    return float(loss), (sigmoid(fake_logits) - 1) / fake_logits.size\n",
                   "    loss = softplus(fake_logits).mean()\n"
                   "    return float(loss), sigmoid(fake_logits) / fake_logits.size\n")
    assert_rejected(LAB, wrong, tmp_path, "label 0 on the fakes")


def test_overflowing_softplus_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))",
                   "return np.log1p(np.exp(z))")
    assert_rejected(LAB, wrong, tmp_path, "overflows")
