"""The gru-cell lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "gru-cell"
GATES = ("    z = sigmoid(xs[:, :u] + hs[:, :u])\n"
         "    r = sigmoid(xs[:, u:2 * u] + hs[:, u:2 * u])\n")
CANDIDATE = "n = np.tanh(xs[:, 2 * u:] + r * hs[:, 2 * u:])"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_pytorch_gate_order_is_named(tmp_path):
    wrong = mutate(solution(LAB), GATES,
                   "    r = sigmoid(xs[:, :u] + hs[:, :u])\n"
                   "    z = sigmoid(xs[:, u:2 * u] + hs[:, u:2 * u])\n")
    assert_rejected(LAB, wrong, tmp_path, "order r, z, h", "pytorch")


def test_swapped_update_mix_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return z * h_prev + (1 - z) * n",
                   "return (1 - z) * h_prev + z * n")
    assert_rejected(LAB, wrong, tmp_path, "share of the old state")


def test_reset_before_the_product_is_named(tmp_path):
    wrong = mutate(solution(LAB), CANDIDATE,
                   "n = np.tanh(xs[:, 2 * u:] + (r * h_prev) @ recurrent_kernel[:, 2 * u:]"
                   " + bias[1][2 * u:])")
    assert_rejected(LAB, wrong, tmp_path, "reset_after=false")


def test_recurrent_bias_outside_the_reset_gate_is_named(tmp_path):
    wrong = mutate(solution(LAB), CANDIDATE,
                   "n = np.tanh(xs[:, 2 * u:] + r * (h_prev @ recurrent_kernel[:, 2 * u:])"
                   " + bias[1][2 * u:])")
    assert_rejected(LAB, wrong, tmp_path, "outside the reset gate")


def test_missing_recurrent_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB), "hs = h_prev @ recurrent_kernel + bias[1]",
                   "hs = h_prev @ recurrent_kernel")
    assert_rejected(LAB, wrong, tmp_path, "without the recurrent bias")


def test_sigmoid_candidate_is_named(tmp_path):
    wrong = mutate(solution(LAB), CANDIDATE, "n = sigmoid(xs[:, 2 * u:] + r * hs[:, 2 * u:])")
    assert_rejected(LAB, wrong, tmp_path, "candidate uses the sigmoid")
