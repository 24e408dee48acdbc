"""The layer-norm lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "layer-norm"
FORWARD = ("    mean = x.mean(axis=-1, keepdims=True)\n"
           "    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)\n")
DX = ("    dx = r * (g - g.mean(axis=-1, keepdims=True)\n"
      "              - x_hat * (g * x_hat).mean(axis=-1, keepdims=True))\n")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_normalizing_over_the_batch_is_named(tmp_path):
    wrong = mutate(solution(LAB), FORWARD,
                   "    mean = x.mean(axis=0, keepdims=True)\n"
                   "    var = ((x - mean) ** 2).mean(axis=0, keepdims=True)\n")
    assert_rejected(LAB, wrong, tmp_path, "batch normalization")


def test_unbiased_variance_is_named(tmp_path):
    wrong = mutate(solution(LAB), FORWARD,
                   "    mean = x.mean(axis=-1, keepdims=True)\n"
                   "    var = x.var(axis=-1, keepdims=True, ddof=1)\n")
    assert_rejected(LAB, wrong, tmp_path, "unbiased variance")


def test_variance_by_cancellation_is_named(tmp_path):
    wrong = mutate(solution(LAB), FORWARD,
                   "    mean = x.mean(axis=-1, keepdims=True)\n"
                   "    var = (x ** 2).mean(axis=-1, keepdims=True) - mean ** 2\n")
    assert_rejected(LAB, wrong, tmp_path, "catastrophic cancellation")


def test_gamma_outside_the_means_is_named(tmp_path):
    wrong = mutate(solution(LAB), DX,
                   "    dx = gamma * r * (dy - dy.mean(axis=-1, keepdims=True)\n"
                   "              - x_hat * (dy * x_hat).mean(axis=-1, keepdims=True))\n")
    assert_rejected(LAB, wrong, tmp_path, "batch norm's formula")


def test_gradient_with_constant_statistics_is_named(tmp_path):
    wrong = mutate(solution(LAB), DX, "    dx = r * g\n")
    assert_rejected(LAB, wrong, tmp_path, "as if mean and var were constants")


def test_parameter_gradients_not_summed_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return dx, (dy * x_hat).sum(axis=axes), dy.sum(axis=axes)",
                   "return dx, dy * x_hat, dy")
    assert_rejected(LAB, wrong, tmp_path, "summed over every axis but the last")
