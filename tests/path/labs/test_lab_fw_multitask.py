"""The fw-multitask lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-multitask"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_swapped_loss_weights_are_named(tmp_path):
    wrong = mutate(solution(LAB), 'loss_weights={"digit": 1.0, "parity": 0.5}',
                   'loss_weights={"digit": 0.5, "parity": 1.0}')
    assert_rejected(LAB, wrong, tmp_path, "weights are swapped")


def test_missing_loss_weights_are_named(tmp_path):
    wrong = mutate(solution(LAB),
                   '                  loss_weights={"digit": 1.0, "parity": 0.5},\n', "")
    assert_rejected(LAB, wrong, tmp_path, "not applied", "loss_weights")


def test_an_inverted_parity_target_is_named(tmp_path):
    wrong = mutate(solution(LAB), '"parity": (y % 2).astype', '"parity": (1 - y % 2).astype')
    assert_rejected(LAB, wrong, tmp_path, "1 for even digits")


def test_outputs_in_the_wrong_order_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    model = keras.Model(inputs, [digit, parity])\n",
                   "    model = keras.Model(inputs, [parity, digit])\n")
    assert_rejected(LAB, wrong, tmp_path, "digit first")


def test_unnamed_heads_are_named(tmp_path):
    wrong = mutate(solution(LAB), ', name="parity")(features)', ")(features)")
    assert_rejected(LAB, wrong, tmp_path, "name the output layers")


def test_a_flat_parity_target_is_named(tmp_path):
    wrong = mutate(solution(LAB), ".astype(np.float32).reshape(-1, 1)}", ".astype(np.float32)}")
    assert_rejected(LAB, wrong, tmp_path, "reshape(-1, 1)")


def test_a_parity_loss_for_categories_is_named(tmp_path):
    wrong = mutate(solution(LAB), '"parity": "binary_crossentropy"}',
                   '"parity": "mean_squared_error"}')
    assert_rejected(LAB, wrong, tmp_path, "binary cross-entropy of the parity output")
