"""The mse-loss lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "mse-loss"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_missing_factor_two_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return 2 * (y_pred - y_true) / y_pred.size",
                   "return (y_pred - y_true) / y_pred.size")
    assert_rejected(LAB, wrong, tmp_path, "d(e^2)/de = 2e")


def test_gradient_with_respect_to_y_true_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return 2 * (y_pred - y_true) / y_pred.size",
                   "return 2 * (y_true - y_pred) / y_pred.size")
    assert_rejected(LAB, wrong, tmp_path, "with respect to y_true")


def test_dividing_by_the_batch_size_only_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return 2 * (y_pred - y_true) / y_pred.size",
                   "return 2 * (y_pred - y_true) / len(y_pred)")
    assert_rejected(LAB, wrong, tmp_path, "batch size N only")


def test_root_mean_square_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(np.mean((y_pred - y_true) ** 2))",
                   "return float(np.sqrt(np.mean((y_pred - y_true) ** 2)))")
    assert_rejected(LAB, wrong, tmp_path, "square root")


def test_summed_loss_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return float(np.mean(np.abs(y_pred - y_true)))",
                   "return float(np.sum(np.abs(y_pred - y_true)))")
    assert_rejected(LAB, wrong, tmp_path, "sum over the elements")


def test_mae_gradient_of_one_at_exact_hits_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return np.sign(y_pred - y_true) / y_pred.size",
                   "return np.where(y_pred >= y_true, 1.0, -1.0) / y_pred.size")
    assert_rejected(LAB, wrong, tmp_path, "y_pred == y_true")


def test_float32_must_stay_float32(tmp_path):
    wrong = mutate(solution(LAB), "return np.sign(y_pred - y_true) / y_pred.size",
                   "return np.sign(y_pred - y_true).astype(float) / y_pred.size")
    assert_rejected(LAB, wrong, tmp_path, "dtype")
