"""The early-stopping lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

from dlpath.path.labs.checks import early_stopping as checks

LAB = "early-stopping"
IMPROVED = "        if loss + abs(min_delta) < best:\n"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_the_checks_model_of_keras_agrees_with_dlpath():
    import numpy as np

    rng = np.random.default_rng(0)
    for _ in range(300):
        losses = checks._curve(rng)
        patience, min_delta = int(rng.integers(0, 5)), float(rng.choice([0, 0.01, 0.05]))
        assert checks.variant(losses, patience, min_delta) == \
            checks.dlpath_run(losses, patience, min_delta)[:2]


def test_stopping_one_epoch_late_is_named(tmp_path):
    wrong = mutate(solution(LAB), "        elif wait >= patience and epoch > 0:\n",
                   "        elif wait > patience and epoch > 0:\n")
    assert_rejected(LAB, wrong, tmp_path, "one epoch late")


def test_ties_counted_as_improvement_are_named(tmp_path):
    wrong = mutate(solution(LAB), IMPROVED, "        if loss + abs(min_delta) <= best:\n")
    assert_rejected(LAB, wrong, tmp_path, "equal to the best", "strict")


def test_ignored_min_delta_is_named(tmp_path):
    wrong = mutate(solution(LAB), IMPROVED, "        if loss < best:\n")
    assert_rejected(LAB, wrong, tmp_path, "is ignored", "MORE than |min_delta|")


def test_best_creeping_down_is_named(tmp_path):
    wrong = mutate(solution(LAB), "        elif wait >= patience and epoch > 0:\n",
                   "        elif (best := min(best, loss)) and wait >= patience and epoch > 0:\n")
    assert_rejected(LAB, wrong, tmp_path, "smaller than min_delta")


def test_tf_keras_2_restore_only_when_stopped_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    return best_epoch if restore_best_weights else stop_epoch",
                   "    stopped = stop_epoch < len(val_losses) - 1\n"
                   "    return best_epoch if restore_best_weights and stopped else stop_epoch")
    assert_rejected(LAB, wrong, tmp_path, "Keras 3 restores them", "tf.keras 2")


def test_counting_epochs_from_one_is_named(tmp_path):
    wrong = mutate(solution(LAB), "            return epoch, best_epoch",
                   "            return epoch + 1, best_epoch")
    assert_rejected(LAB, wrong, tmp_path, "count from 0")
