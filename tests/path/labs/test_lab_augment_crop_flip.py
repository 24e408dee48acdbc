"""The augment-crop-flip lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "augment-crop-flip"
WINDOW = "        out[i] = padded[i, tops[i]:tops[i] + height, lefts[i]:lefts[i] + width]\n"
FLIP = "    return np.where(flips[:, None, None, None], images[:, :, ::-1], images)"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_vertical_flip_is_named(tmp_path):
    wrong = mutate(solution(LAB), FLIP,
                   "    return np.where(flips[:, None, None, None], images[:, ::-1], images)")
    assert_rejected(LAB, wrong, tmp_path, "upside down", "axis 2")


def test_swapped_offsets_are_named(tmp_path):
    wrong = mutate(solution(LAB), WINDOW,
                   "        out[i] = padded[i, lefts[i]:lefts[i] + height, "
                   "tops[i]:tops[i] + width]\n")
    assert_rejected(LAB, wrong, tmp_path, "tops are the rows")


def test_exclusive_upper_bound_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    tops = rng.integers(0, 2 * padding + 1, size=n)\n"
                                  "    lefts = rng.integers(0, 2 * padding + 1, size=n)\n",
                   "    tops = rng.integers(0, 2 * padding, size=n)\n"
                   "    lefts = rng.integers(0, 2 * padding, size=n)\n")
    assert_rejected(LAB, wrong, tmp_path, "upper bound is exclusive")


def test_edge_padding_is_named(tmp_path):
    wrong = mutate(solution(LAB), "(padding, padding), (0, 0)))",
                   "(padding, padding), (0, 0)), mode='edge')")
    assert_rejected(LAB, wrong, tmp_path, "pad with zeros")


def test_returning_the_padded_images_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return out\n", "    return padded\n")
    assert_rejected(LAB, wrong, tmp_path, "crop back")


def test_changed_labels_are_named(tmp_path):
    wrong = mutate(solution(LAB), "flips), labels", "flips), labels[::-1]")
    assert_rejected(LAB, wrong, tmp_path, "never labels")


def test_output_of_another_dtype_is_reported(tmp_path):
    wrong = mutate(solution(LAB), "    out = np.empty_like(images)\n",
                   "    out = np.empty(images.shape)\n")
    assert_rejected(LAB, wrong, tmp_path, "has dtype float64", "expected float32")
