"""The dense-forward lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "dense-forward"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_forgotten_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB), "z = W @ a + b", "z = W @ a")
    assert_rejected(LAB, wrong, tmp_path, "without the bias")


def test_row_convention_is_caught_as_a_transpose(tmp_path):
    wrong = mutate(solution(LAB), "z = W @ a + b", "z = a.T @ W.T + b.T")
    assert_rejected(LAB, wrong, tmp_path, "transpose", "one sample per column")


def test_flattened_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB), "z = W @ a + b", "z = W @ a + b.ravel()")
    assert_rejected(LAB, wrong, tmp_path, "wrong axis")


def test_activation_before_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    z = W @ a + b\n    return z, activate(z, activation)",
                   "    z = W @ a + b\n    return z, activate(W @ a, activation) + b")
    assert_rejected(LAB, wrong, tmp_path, "add the bias first")


def test_naive_sigmoid_overflow_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))",
                   "return np.exp(z) / (1 + np.exp(z))")
    assert_rejected(LAB, wrong, tmp_path, "overflow")


def test_unknown_activation_returning_none_is_named(tmp_path):
    wrong = mutate(solution(LAB), '    raise ValueError(f"unknown activation {activation!r}")',
                   "    return None")
    assert_rejected(LAB, wrong, tmp_path, "must raise ValueError")


def test_mlp_without_activations_is_named(tmp_path):
    wrong = mutate(solution(LAB), "_, h = dense_forward(W, h, b, activation)",
                   "h, _ = dense_forward(W, h, b, activation)")
    assert_rejected(LAB, wrong, tmp_path, "without their activations")
