"""The max-pool lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "max-pool"
CHOSEN = "chosen = (x[:, rows, cols, :] == y) & ~routed"
ADD = "dx[:, rows, cols, :] += dy * chosen"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gradient_to_every_tied_maximum_is_named(tmp_path):
    wrong = mutate(solution(LAB), CHOSEN, "chosen = x[:, rows, cols, :] == y")
    assert_rejected(LAB, wrong, tmp_path, "every element equal to its maximum")


def test_gradient_to_the_last_tied_maximum_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    for p in range(k):\n        for q in range(k):\n"
                                  "            rows =",
                   "    for p in reversed(range(k)):\n        for q in reversed(range(k)):\n"
                   "            rows =")
    assert_rejected(LAB, wrong, tmp_path, "last maximal element")


def test_overwriting_overlapping_gradients_is_named(tmp_path):
    wrong = mutate(solution(LAB), ADD, "dx[:, rows, cols, :] = dy * chosen")
    assert_rejected(LAB, wrong, tmp_path, "covered by several windows", "+=")


def test_average_pooling_gradient_is_named(tmp_path):
    wrong = mutate(solution(LAB), ADD, "dx[:, rows, cols, :] += dy / (k * k)")
    assert_rejected(LAB, wrong, tmp_path, "average pooling's gradient")


def test_maximum_started_at_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), "y = np.full((n, ho, wo, c), -np.inf, dtype=x.dtype)",
                   "y = np.zeros((n, ho, wo, c), dtype=x.dtype)")
    assert_rejected(LAB, wrong, tmp_path, "started at 0")


def test_default_stride_of_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    s = k if stride is None else stride\n    n, h, w, c",
                   "    s = 1 if stride is None else stride\n    n, h, w, c")
    assert_rejected(LAB, wrong, tmp_path, "stride=none means")
