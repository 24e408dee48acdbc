"""The int8-quantization lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "int8-quantization"
RANGE = "lo, hi = min(x_min, 0.0), max(x_max, 0.0)"
DEQUANTIZE = "return (q.astype(np.float32) - np.float32(zero_point)) * np.float32(scale)"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_range_without_zero_is_named(tmp_path):
    wrong = mutate(solution(LAB), RANGE, "lo, hi = x_min, x_max")
    assert_rejected(LAB, wrong, tmp_path, "not widened to contain 0")


def test_scale_over_256_is_named(tmp_path):
    wrong = mutate(solution(LAB), "scale = (hi - lo) / 255 if", "scale = (hi - lo) / 256 if")
    assert_rejected(LAB, wrong, tmp_path, "255 steps")


def test_uint8_zero_point_is_named(tmp_path):
    wrong = mutate(solution(LAB), "zero_point = int(-128 - np.round(lo / scale))",
                   "zero_point = int(-np.round(lo / scale))")
    assert_rejected(LAB, wrong, tmp_path, "uint8 zero point")


def test_cast_without_clipping_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return np.clip(q, -128, 127).astype(np.int8)",
                   "return q.astype(np.int8)")
    assert_rejected(LAB, wrong, tmp_path, "wraps around")


def test_truncation_instead_of_rounding_is_named(tmp_path):
    wrong = mutate(solution(LAB), "q = np.round(x / scale) + zero_point",
                   "q = (x / scale).astype(np.int64) + zero_point")
    assert_rejected(LAB, wrong, tmp_path, "truncates")


def test_int8_overflow_in_dequantize_is_named(tmp_path):
    wrong = mutate(solution(LAB), DEQUANTIZE,
                   "return ((q - zero_point) * scale).astype(np.float32)")
    assert_rejected(LAB, wrong, tmp_path, "computed in int8")


def test_one_scale_for_all_channels_is_named(tmp_path):
    wrong = mutate(solution(LAB), "peak = np.abs(w).max(axis=axes)", "peak = np.abs(w).max()")
    assert_rejected(LAB, wrong, tmp_path, "single scale")


def test_nan_scale_for_a_zero_channel_is_named(tmp_path):
    wrong = mutate(solution(LAB), "scales = np.where(peak > 0, peak / 127, 1.0)",
                   "scales = peak / 127")
    assert_rejected(LAB, wrong, tmp_path, "channel of zeros is 0 or not finite")
