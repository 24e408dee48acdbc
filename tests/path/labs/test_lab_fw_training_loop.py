"""The fw-training-loop lab: its reference passes; typical mistakes fail with pointed
messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "fw-training-loop"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_gradients_never_cleared_are_named(tmp_path):
    wrong = mutate(solution(LAB), "    optimizer.zero_grad(variables)\n", "")
    assert_rejected(LAB, wrong, tmp_path, "still set", "zero_grad")


def test_forgetting_to_apply_the_gradients_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    optimizer.apply([v.grad for v in variables], variables)\n", "")
    assert_rejected(LAB, wrong, tmp_path, "did not change the weights", "optimizer.apply")


def test_negated_gradients_are_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "    optimizer.apply([v.grad for v in variables], variables)\n",
                   "    optimizer.apply([-v.grad for v in variables], variables)\n")
    assert_rejected(LAB, wrong, tmp_path, "uphill")


def test_inference_mode_in_the_step_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    y_pred = model(x, training=True)\n",
                   "    y_pred = model(x)\n")
    assert_rejected(LAB, wrong, tmp_path, "training=False", "batchnormalization")


def test_dropping_the_last_batch_is_named(tmp_path):
    wrong = mutate(solution(LAB), "range(0, len(x), batch_size)",
                   "range(0, len(x) // batch_size * batch_size, batch_size)")
    assert_rejected(LAB, wrong, tmp_path, "without the last, smaller batch")


def test_shuffled_batches_do_not_match_fit(tmp_path):
    wrong = mutate(solution(LAB), "    losses = []\n",
                   "    order = np.random.default_rng(0).permutation(len(x))\n"
                   "    x, y = x[order], y[order]\n    losses = []\n")
    wrong = "import numpy as np\n" + wrong
    assert_rejected(LAB, wrong, tmp_path, "in order (no shuffling)")


def test_returning_the_loss_after_the_update_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return float(loss.data)",
                   "    return float(loss_fn(y, model(x, training=True)).data)")
    assert_rejected(LAB, wrong, tmp_path, "after the update")
