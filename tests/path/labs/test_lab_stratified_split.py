"""The stratified-split lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "stratified-split"
CUTS = ("        n_train = round(fractions[0] * n)\n"
        "        n_train_val = round((fractions[0] + fractions[1]) * n)\n")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_a_split_that_ignores_the_classes_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    for c in np.unique(labels):\n"
                                  "        idx = rng.permutation(np.flatnonzero(labels == c))",
                   "    for c in [None]:\n        idx = rng.permutation(len(labels))")
    assert_rejected(LAB, wrong, tmp_path, "split every class on its own")


def test_rounding_each_part_down_is_named(tmp_path):
    wrong = mutate(solution(LAB), CUTS,
                   "        n_train = int(fractions[0] * n)\n"
                   "        n_train_val = n_train + int(fractions[1] * n)\n")
    assert_rejected(LAB, wrong, tmp_path, "round the cumulative boundaries")


def test_overlapping_parts_are_named(tmp_path):
    wrong = mutate(solution(LAB), "parts[2].append(idx[n_train_val:])",
                   "parts[2].append(idx[n_train:])")
    assert_rejected(LAB, wrong, tmp_path, "disjoint")


def test_boolean_masks_are_named(tmp_path):
    wrong = mutate(solution(LAB), "return tuple(np.sort(np.concatenate(part)) for part in parts)",
                   "return tuple(np.isin(np.arange(len(labels)), np.concatenate(part)) "
                   "for part in parts)")
    assert_rejected(LAB, wrong, tmp_path, "boolean mask")


def test_reseeding_the_global_generator_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    rng = np.random.default_rng(seed)\n",
                   "    np.random.seed(seed)\n    rng = np.random\n")
    assert_rejected(LAB, wrong, tmp_path, "global random generator")


def test_an_ignored_seed_is_named(tmp_path):
    wrong = mutate(solution(LAB), "rng = np.random.default_rng(seed)",
                   "rng = np.random.default_rng(0)")
    assert_rejected(LAB, wrong, tmp_path, "the same split for seeds")


def test_no_shuffle_at_all_is_named(tmp_path):
    wrong = mutate(solution(LAB), "idx = rng.permutation(np.flatnonzero(labels == c))",
                   "idx = np.flatnonzero(labels == c)")
    assert_rejected(LAB, wrong, tmp_path, "the same split for seeds")
