"""The conv2d lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "conv2d"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_flipped_kernel_is_named(tmp_path):
    wrong = mutate(solution(LAB), "y += patch @ kernel[m, q]",
                   "y += patch @ kernel[kh - 1 - m, kw - 1 - q]")
    assert_rejected(LAB, wrong, tmp_path, "kernel flipped", "cross-correlation")


def test_ignored_stride_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    n, h, w, _ = x.shape\n",
                   "    n, h, w, _ = x.shape\n    stride = 1\n")
    assert_rejected(LAB, wrong, tmp_path, "stride-1 output")


def test_padding_off_by_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "pads = ((padding, padding), (padding, padding))",
                   "pads = ((padding + 1, padding + 1), (padding + 1, padding + 1))")
    assert_rejected(LAB, wrong, tmp_path, "padding of")


def test_output_size_without_plus_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return (size + 2 * pad - kernel_size) // stride + 1",
                   "return (size + 2 * pad - kernel_size) // stride")
    assert_rejected(LAB, wrong, tmp_path, "+ 1 is missing")


def test_output_size_with_true_division_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return (size + 2 * pad - kernel_size) // stride + 1",
                   "return (size + 2 * pad - kernel_size) / stride + 1")
    assert_rejected(LAB, wrong, tmp_path, "floor division")


def test_same_padding_with_the_odd_pixel_before_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return total // 2, total - total // 2",
                   "return total - total // 2, total // 2")
    assert_rejected(LAB, wrong, tmp_path, "odd pixel", "after")


def test_same_padding_ignoring_the_stride_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    out = -(-size // stride)  # ceil(size / stride)\n"
                                  "    total = max((out - 1) * stride + kernel_size - size, 0)",
                   "    total = kernel_size - 1")
    assert_rejected(LAB, wrong, tmp_path, "only for stride 1")


def test_forgotten_bias_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    if bias is not None:\n        y += bias\n", "")
    assert_rejected(LAB, wrong, tmp_path, "without the bias")
