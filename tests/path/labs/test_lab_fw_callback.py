"""The fw-callback lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-callback"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_a_strict_comparison_is_named(tmp_path):
    wrong = mutate(solution(LAB), "if value >= self.target:", "if value > self.target:")
    assert_rejected(LAB, wrong, tmp_path, "equal to the target", ">=")


def test_returning_true_instead_of_stopping_is_named(tmp_path):
    wrong = mutate(solution(LAB), "            self.model.stop_training = True",
                   "            return True")
    assert_rejected(LAB, wrong, tmp_path, "never stopped", "stop_training = true")


def test_an_inverted_comparison_stops_too_early(tmp_path):
    wrong = mutate(solution(LAB), "if value >= self.target:", "if value <= self.target:")
    assert_rejected(LAB, wrong, tmp_path, "stopped at epoch 0", "below the target")


def test_a_one_based_epoch_is_named(tmp_path):
    wrong = mutate(solution(LAB), "self.stopped_epoch = epoch\n",
                   "self.stopped_epoch = epoch + 1\n")
    assert_rejected(LAB, wrong, tmp_path, "counts from 0")


def test_a_hard_coded_monitor_is_named(tmp_path):
    wrong = mutate(solution(LAB), "value = float(logs[self.monitor])",
                   'value = float(logs["val_accuracy"])')
    assert_rejected(LAB, wrong, tmp_path, "logs[self.monitor]")


def test_a_record_kept_across_fits_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    def on_train_begin(self, logs=None):\n"
                                  '        """A fresh record for this fit: values = [], '
                                  'stopped_epoch = None."""\n'
                                  "        self.values = []\n"
                                  "        self.stopped_epoch = None\n", "")
    assert_rejected(LAB, wrong, tmp_path, "second fit", "on_train_begin")


def test_a_missing_monitor_ignored_silently_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "        if self.monitor not in logs:\n"
                   "            raise KeyError(", "        if self.monitor not in logs:\n"
                   "            return\n            raise KeyError(")
    assert_rejected(LAB, wrong, tmp_path, "went on silently")
