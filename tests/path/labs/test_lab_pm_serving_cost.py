"""The pm-serving-cost lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "pm-serving-cost"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gigabytes_instead_of_gibibytes_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return BYTES_PER_PARAMETER * params / 1024 ** 3",
                   "return BYTES_PER_PARAMETER * params / 1e9")
    assert_rejected(LAB, wrong, tmp_path, "1024^3")


def test_bits_instead_of_bytes_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return BYTES_PER_PARAMETER * params / 1024 ** 3",
                   "return 32 * params / 1024 ** 3")
    assert_rejected(LAB, wrong, tmp_path, "bits, not bytes")


def test_latency_of_one_sample_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return batch_size * flops_per_sample / device_flops",
                   "    return flops_per_sample / device_flops")
    assert_rejected(LAB, wrong, tmp_path, "one sample")


def test_rounding_down_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return max(1, math.ceil(requests_per_second / per_device))",
                   "return max(1, math.floor(requests_per_second / per_device))")
    assert_rejected(LAB, wrong, tmp_path, "round up")


def test_int_plus_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return max(1, math.ceil(requests_per_second / per_device))",
                   "return int(requests_per_second / per_device) + 1")
    assert_rejected(LAB, wrong, tmp_path, "int(x) + 1")


def test_zero_devices_for_tiny_traffic_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return max(1, math.ceil(requests_per_second / per_device))",
                   "return math.ceil(requests_per_second / per_device)")
    assert_rejected(LAB, wrong, tmp_path, "at least one device")


def test_forgotten_batch_in_the_throughput_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    per_device = batch_size / batch_latency(flops_per_sample, "
                                  "batch_size, device_flops)\n    return",
                   "    per_device = 1 / batch_latency(flops_per_sample, batch_size, "
                   "device_flops)\n    return")
    assert_rejected(LAB, wrong, tmp_path, "batch_size / batch_latency")


def test_a_float_device_count_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return max(1, math.ceil(requests_per_second / per_device))",
                   "return max(1.0, np.ceil(requests_per_second / per_device))")
    wrong = mutate(wrong, "import math", "import math\nimport numpy as np")
    assert_rejected(LAB, wrong, tmp_path, "return an int")


def test_thirty_day_month_is_named(tmp_path):
    wrong = mutate(solution(LAB), "return devices * price_per_hour * HOURS_PER_MONTH",
                   "return devices * price_per_hour * 24 * 30")
    assert_rejected(LAB, wrong, tmp_path, "730 hours")
