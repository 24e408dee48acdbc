"""N = 2 ranks with shards of B rows reach the weights one process reaches with 2B rows.

One ``mpiexec -n 2`` run trains every case of `dp_cases` (MLP, CNN, LSTM; float64 and
float32; with and without BatchNormalization) with a DistributedOptimizer; the ranks start
from different initial weights (seeded by rank), so the broadcast from rank 0 is checked
too. The last global batch of the MLP case splits 1 / 2 rows, that of the "mlp-tail" case
0 / 1: the weighting by shard size, and a rank without rows that still joins the
all-reduce, are checked as well.

Tolerances: float64 within 1e-10 (observed ~1e-15). float32 within 1e-5: the sums of a
mean over 8 rows and of two means over 4 rows differ by a few units of float32's
eps = 1.2e-7 in relative terms; after 6 Adam steps (lr 0.05, each step
lr * m / sqrt(v) changes by about as much, relatively) the weights differ by at most about
6 * 0.05 * 1e-6 = 3e-7 (observed 6e-8); 1e-5 leaves a margin for other BLAS kernels while
still failing on a wrong average (which moves weights by ~1e-2).

With BatchNormalization the ranks normalise with their shard's statistics: the result is
exactly (1e-10 / 1e-5) that of `dp_cases.ghost_batch_reference`, and it differs from one
process normalising the whole batch.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import dp_cases
from mpi_run import WORKER, run_mpi

TOLERANCE = {"float64": 1e-10, "float32": 1e-5}


@pytest.fixture(scope="module")
def distributed_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp") / "weights.npz"
    result = run_mpi([WORKER, out, "cases"], ranks=2, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    saved = np.load(out)
    return dict({key: saved[key] for key in saved.files}, stdout=result.stdout)


def test_only_rank_0_prints_the_progress(distributed_results):
    lines = [line for line in distributed_results["stdout"].splitlines() if " - loss: " in line]
    assert len(lines) == dp_cases.EPOCHS  # verbose=2 on the mlp-float64 case: one per epoch


def _weights(results, name):
    count = len([k for k in results if k.startswith(name + "/")])
    return [results[f"{name}/{i}"] for i in range(count)]


def _max_difference(a, b):
    assert len(a) == len(b)
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))


@pytest.mark.parametrize("kind,dtype", [(k, d) for k, d, bn in dp_cases.CASES if not bn])
def test_two_ranks_equal_one_process_with_the_global_batch(distributed_results, kind, dtype):
    expected, history = dp_cases.train(kind, dtype, False)
    got = _weights(distributed_results, dp_cases.case_name(kind, dtype, False))
    assert _max_difference(got, expected) < TOLERANCE[dtype]
    # The logged metrics are those of the global batch (averaged across the ranks).
    logged = json.loads(str(distributed_results["histories"]))[
        dp_cases.case_name(kind, dtype, False)]
    np.testing.assert_allclose(logged["loss"], history["loss"], rtol=1e-6)
    np.testing.assert_allclose(logged["accuracy"], history["accuracy"], rtol=1e-12)


@pytest.mark.parametrize("kind,dtype", [(k, d) for k, d, bn in dp_cases.CASES if bn])
def test_batch_normalization_uses_each_ranks_statistics(distributed_results, kind, dtype):
    got = _weights(distributed_results, dp_cases.case_name(kind, dtype, True))
    reference = dp_cases.ghost_batch_reference(kind, dtype, True, ranks=2)
    assert _max_difference(got, reference) < TOLERANCE[dtype]
    whole_batch, _ = dp_cases.train(kind, dtype, True)
    assert _max_difference(got, whole_batch) > 1e-3


def test_a_custom_loop_with_broadcast_weights_and_apply(distributed_results):
    expected = dp_cases.custom_loop()
    assert _max_difference(_weights(distributed_results, "custom"), expected) < 1e-10
