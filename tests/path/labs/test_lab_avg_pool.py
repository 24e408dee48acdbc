"""The avg-pool lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "avg-pool"
SHARE = "dx[:, r0:r1, c0:c1, :] += dy[:, i, j, None, None, :] / count"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_padding_counted_in_the_mean_is_named(tmp_path):
    wrong = mutate(solution(LAB), "x[:, r0:r1, c0:c1, :].mean(axis=(1, 2))",
                   "x[:, r0:r1, c0:c1, :].sum(axis=(1, 2)) / (k * k)")
    assert_rejected(LAB, wrong, tmp_path, "padding included")


def test_gradient_not_divided_is_named(tmp_path):
    wrong = mutate(solution(LAB), SHARE, "dx[:, r0:r1, c0:c1, :] += dy[:, i, j, None, None, :]")
    assert_rejected(LAB, wrong, tmp_path, "the whole dy", "dy / n_ij")


def test_overwritten_overlaps_are_named(tmp_path):
    wrong = mutate(solution(LAB), SHARE,
                   "dx[:, r0:r1, c0:c1, :] = dy[:, i, j, None, None, :] / count")
    assert_rejected(LAB, wrong, tmp_path, "where windows overlap", "+=")


def test_border_gradient_divided_by_the_full_window_is_named(tmp_path):
    wrong = mutate(solution(LAB), "count = (r1 - r0) * (c1 - c0)", "count = k * k")
    assert_rejected(LAB, wrong, tmp_path, "also in border windows")


def test_odd_padding_pixel_at_the_top_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "        top = max((ho - 1) * s + k - h, 0) // 2\n"
                   "        left = max((wo - 1) * s + k - w, 0) // 2\n    else:\n        ho, wo",
                   "        top = -(-max((ho - 1) * s + k - h, 0) // 2)\n"
                   "        left = -(-max((wo - 1) * s + k - w, 0) // 2)\n"
                   "    else:\n        ho, wo")
    assert_rejected(LAB, wrong, tmp_path, "odd pixel of padding at the top/left")


def test_default_stride_of_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    s = k if stride is None else stride\n    n, h, w, c",
                   "    s = 1 if stride is None else stride\n    n, h, w, c")
    assert_rejected(LAB, wrong, tmp_path, "stride=none means")
