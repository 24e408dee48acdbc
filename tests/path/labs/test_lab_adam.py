"""The adam lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "adam"
ALPHA = "    alpha = learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)\n"
STEP = "    return w - alpha * m / (np.sqrt(v) + epsilon), m, v"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_adam_without_bias_correction_is_named(tmp_path):
    wrong = mutate(solution(LAB), ALPHA, "    alpha = learning_rate\n")
    assert_rejected(LAB, wrong, tmp_path, "Adam without bias correction")


def test_pytorch_epsilon_placement_is_named(tmp_path):
    wrong = mutate(solution(LAB), ALPHA + STEP,
                   "    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)\n"
                   "    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v")
    assert_rejected(LAB, wrong, tmp_path, "PyTorch's form", "sqrt(v_new) + epsilon")


def test_epsilon_inside_the_root_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP, "    return w - alpha * m / np.sqrt(v + epsilon), m, v")
    assert_rejected(LAB, wrong, tmp_path, "after the root")


def test_zero_based_step_count_is_named(tmp_path):
    wrong = mutate(solution(LAB), ALPHA, "    t = t + 1\n" + ALPHA)
    assert_rejected(LAB, wrong, tmp_path, "t + 1")


def test_only_first_moment_corrected_is_named(tmp_path):
    wrong = mutate(solution(LAB), ALPHA, "    alpha = learning_rate / (1 - beta_1**t)\n")
    assert_rejected(LAB, wrong, tmp_path, "corrects only m")


def test_numpy_float64_step_size_on_float32_is_reported(tmp_path):
    wrong = mutate(solution(LAB), "math.sqrt(1 - beta_2**t)", "np.sqrt(1 - beta_2**t)")
    assert_rejected(LAB, wrong, tmp_path, "dtype", "float32")
