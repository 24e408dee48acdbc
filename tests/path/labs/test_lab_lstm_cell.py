"""The lstm-cell lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "lstm-cell"
CANDIDATE = "    g = np.tanh(a[:, 2 * u:3 * u])\n"
OUTPUT_GATE = "    o = sigmoid(a[:, 3 * u:])\n"
HIDDEN = "h = o * np.tanh(c)"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gate_order_i_f_o_c_is_named(tmp_path):
    wrong = mutate(solution(LAB), CANDIDATE + OUTPUT_GATE,
                   "    g = np.tanh(a[:, 3 * u:])\n    o = sigmoid(a[:, 2 * u:3 * u])\n")
    assert_rejected(LAB, wrong, tmp_path, "order i, f, o, c")


def test_gate_order_i_c_f_o_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    f = sigmoid(a[:, u:2 * u])\n" + CANDIDATE,
                   "    f = sigmoid(a[:, 2 * u:3 * u])\n    g = np.tanh(a[:, u:2 * u])\n")
    assert_rejected(LAB, wrong, tmp_path, "order i, c, f, o")


def test_sigmoid_candidate_is_named(tmp_path):
    wrong = mutate(solution(LAB), CANDIDATE, "    g = sigmoid(a[:, 2 * u:3 * u])\n")
    assert_rejected(LAB, wrong, tmp_path, "candidate g uses the sigmoid")


def test_output_without_tanh_is_named(tmp_path):
    wrong = mutate(solution(LAB), HIDDEN, "h = o * c")
    assert_rejected(LAB, wrong, tmp_path, "without the tanh")


def test_output_of_the_old_cell_is_named(tmp_path):
    wrong = mutate(solution(LAB), HIDDEN, "h = o * np.tanh(c_prev)")
    assert_rejected(LAB, wrong, tmp_path, "tanh(c_prev)", "new cell state")


def test_missing_forget_term_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    c = f * c_prev + i * g\n    h = o",
                   "    c = i * g\n    h = o")
    assert_rejected(LAB, wrong, tmp_path, "without the forget term")


def test_states_returned_in_the_wrong_order_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    return h, c\n", "    return c, h\n")
    assert_rejected(LAB, wrong, tmp_path, "returned (c, h)")


def test_overflowing_sigmoid_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)",
                   "    return (np.exp(z) / (1 + np.exp(z))).astype(z.dtype)")
    assert_rejected(LAB, wrong, tmp_path, "exp overflows")
