"""The im2col lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "im2col"
RETURN = "    return cols.reshape(n * ho * wo, kh * kw * c)"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_channel_first_columns_are_named(tmp_path):
    wrong = mutate(solution(LAB), RETURN,
                   "    return cols.transpose(0, 1, 2, 5, 3, 4).reshape(n * ho * wo, kh * kw * c)")
    assert_rejected(LAB, wrong, tmp_path, "(c, m, q) order", "channel first")


def test_rows_in_column_major_order_are_named(tmp_path):
    wrong = mutate(solution(LAB), RETURN,
                   "    return cols.transpose(0, 2, 1, 3, 4, 5).reshape(n * ho * wo, kh * kw * c)")
    assert_rejected(LAB, wrong, tmp_path, "(n, j, i) order")


def test_unflattened_windows_are_named(tmp_path):
    wrong = mutate(solution(LAB), RETURN, "    return cols")
    assert_rejected(LAB, wrong, tmp_path, "flattened into a 2-d matrix")


def test_ignored_stride_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    n, h, w, c = x.shape\n",
                   "    n, h, w, c = x.shape\n    stride = 1\n")
    assert_rejected(LAB, wrong, tmp_path, "the shape for stride 1")


def test_kernel_flattened_channel_first_is_named(tmp_path):
    wrong = mutate(solution(LAB), "@ kernel.reshape(kh * kw * c, o)",
                   "@ kernel.transpose(2, 0, 1, 3).reshape(kh * kw * c, o)")
    assert_rejected(LAB, wrong, tmp_path, "(C, kh, kw) order")


def test_conv_not_built_on_im2col_is_named(tmp_path):
    wrong = mutate(solution(LAB), "def conv2d_im2col(",
                   "_windows = im2col\n\n\ndef conv2d_im2col(")
    wrong = mutate(wrong, "y = im2col(x, kh, kw, stride, pad) @",
                   "y = _windows(x, kh, kw, stride, pad) @")
    assert_rejected(LAB, wrong, tmp_path, "never called im2col")
