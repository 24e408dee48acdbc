"""The clip-by-norm lab: its reference passes; typical mistakes fail with pointed messages."""

import pytest
from harness_labs import assert_rejected, mutate, run_source, solution

LAB = "clip-by-norm"
GLOBAL_RETURN = "    return [None if g is None else g * scale for g in grads], global_norm"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_solution_passes(tmp_path, seed):
    assert run_source(LAB, solution(LAB), tmp_path, seed)["passed"]


def test_scaling_small_gradients_up_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return g * (clip_norm / max(norm, clip_norm))",
                   "    return g * (clip_norm / norm)")
    assert_rejected(LAB, wrong, tmp_path, "within the limit", "only shrinks")


def test_clipping_each_tensor_alone_is_named(tmp_path):
    wrong = mutate(solution(LAB), GLOBAL_RETURN,
                   "    return [None if g is None else clip_by_norm(g, clip_norm) "
                   "for g in grads], global_norm")
    assert_rejected(LAB, wrong, tmp_path, "clipped on its own", "same factor")


def test_sum_of_norms_is_named(tmp_path):
    wrong = mutate(solution(LAB),
                   "global_norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads "
                   "if g is not None))",
                   "global_norm = sum(math.sqrt(float(np.sum(g * g))) for g in grads "
                   "if g is not None)")
    assert_rejected(LAB, wrong, tmp_path, "SQUARED norms")


def test_norm_after_clipping_is_named(tmp_path):
    wrong = mutate(solution(LAB), GLOBAL_RETURN,
                   "    return [None if g is None else g * scale for g in grads], "
                   "min(global_norm, clip_norm)")
    assert_rejected(LAB, wrong, tmp_path, "BEFORE clipping")


def test_elementwise_clipping_is_named(tmp_path):
    wrong = mutate(solution(LAB), "    return g * (clip_norm / max(norm, clip_norm))",
                   "    return np.clip(g, -clip_norm, clip_norm)")
    assert_rejected(LAB, wrong, tmp_path, "clipvalue=")


def test_in_place_scaling_is_reported(tmp_path):
    wrong = mutate(solution(LAB), GLOBAL_RETURN,
                   "    for g in grads:\n"
                   "        if g is not None:\n"
                   "            g *= scale\n"
                   "    return list(grads), global_norm")
    assert_rejected(LAB, wrong, tmp_path, "changed its input")
