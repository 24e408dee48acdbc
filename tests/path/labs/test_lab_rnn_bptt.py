"""The rnn-bptt lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "rnn-bptt"
STEP = "        a = (dh[:, t] + carry) * (1 - h[:, t] ** 2)\n"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gradient_not_carried_back_through_time_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP, "        a = dh[:, t] * (1 - h[:, t] ** 2)\n")
    assert_rejected(LAB, wrong, tmp_path, "flows back through time")


def test_recurrent_gradient_with_the_current_state_is_named(tmp_path):
    wrong = mutate(solution(LAB), "dWh += h_prev.T @ a", "dWh += h[:, t].T @ a")
    assert_rejected(LAB, wrong, tmp_path, "instead of h_{t-1}ᵀ a_t")


def test_tanh_slope_of_the_previous_state_is_named(tmp_path):
    wrong = mutate(solution(LAB), STEP + "        h_prev = h[:, t - 1] if t > 0 else h0\n",
                   "        h_prev = h[:, t - 1] if t > 0 else h0\n"
                   "        a = (dh[:, t] + carry) * (1 - h_prev ** 2)\n")
    assert_rejected(LAB, wrong, tmp_path, "1 - h_{t-1}²")


def test_carry_that_skips_the_tanh_is_named(tmp_path):
    wrong = mutate(solution(LAB), "        a = (dh[:, t] + carry) * (1 - h[:, t] ** 2)\n",
                   "        g = dh[:, t] + carry\n        a = g * (1 - h[:, t] ** 2)\n")
    wrong = mutate(wrong, "carry = a @ Wh.T", "carry = g @ Wh.T")
    assert_rejected(LAB, wrong, tmp_path, "instead of a_t Whᵀ")


def test_forward_without_tanh_is_named(tmp_path):
    wrong = mutate(solution(LAB), "prev = np.tanh(x[:, t] @ Wx + prev @ Wh + b)",
                   "prev = x[:, t] @ Wx + prev @ Wh + b")
    assert_rejected(LAB, wrong, tmp_path, "without the tanh")


def test_gradients_in_the_wrong_order_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return dx, carry, dWx, dWh, db",
                   "return dWx, dWh, db, dx, carry")
    assert_rejected(LAB, wrong, tmp_path, "(dx, dh0, dWx, dWh, db)")
