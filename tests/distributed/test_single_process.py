"""The same code as one process: rank 0 of 1, no mpi4py import, the same training."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import dp_cases
from dlpath import distributed
from dlpath.distributed import collectives, context, launch
from dlpath.distributed.buckets import Buckets

_LAUNCHER = [name for name in os.environ if name.startswith(("OMPI_", "PMI", "PMIX_"))]


def _python(code: str, env_extra=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _LAUNCHER}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60)


def test_outside_mpiexec_init_is_rank_0_of_1_without_importing_mpi4py():
    result = _python("import sys, dlpath; from dlpath import distributed\n"
                     "print('mpi4py' in sys.modules)\n"
                     "c = distributed.init()\n"
                     "print(c.rank, c.size, c.local_rank, c.comm, c.is_root, "
                     "'mpi4py' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["False", "0 1 0 None True False"]


def test_without_mpi4py_one_launched_worker_runs_alone_and_several_fail_clearly():
    code = ("import sys; sys.modules['mpi4py'] = None\n"
            "from dlpath import distributed\n"
            "c = distributed.init(); print(c.rank, c.size)")
    alone = _python(code, {"OMPI_COMM_WORLD_SIZE": "1"})
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.strip() == "0 1"
    several = _python(code, {"OMPI_COMM_WORLD_SIZE": "2"})
    assert several.returncode != 0
    assert "one of 2 workers, but mpi4py cannot be imported" in several.stderr


def test_a_distributed_optimizer_alone_trains_exactly_as_the_plain_one():
    plain, plain_history = dp_cases.train("mlp", "float32", True)
    wrapped, history = dp_cases.train("mlp", "float32", True,
                                      wrap=distributed.DistributedOptimizer)
    for a, b in zip(plain, wrapped):
        np.testing.assert_array_equal(a, b)
    assert history == plain_history


def test_a_distributed_optimizer_keeps_the_class_name_config_and_state():
    from dlpath import keras

    adam = keras.optimizers.Adam(learning_rate=0.01)
    wrapped = distributed.DistributedOptimizer(adam)
    assert isinstance(wrapped, keras.optimizers.Adam)
    assert type(wrapped).__name__ == "Adam"
    assert wrapped.get_config() == adam.get_config()
    assert keras.optimizers.serialize(wrapped)["class_name"] == "Adam"
    assert distributed.DistributedOptimizer(wrapped) is wrapped
    assert distributed.is_distributed_optimizer(wrapped)
    assert not distributed.is_distributed_optimizer(adam)


def test_buckets_pack_few_buffers_per_dtype_and_average_by_weight():
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=s).astype(d) for s, d in
              [((3, 4), "float32"), ((5,), "float32"), ((200,), "float32"),
               ((2, 2), "float64"), ((7,), "float32")]]
    buckets = Buckets([(a.shape, a.dtype) for a in arrays], bucket_bytes=400)
    # float32 48 + 20 bytes, then 800 bytes alone (too large), float64, float32 again.
    assert [len(entries) for _, entries in buckets.plan] == [2, 1, 1, 1]
    assert [b.dtype for b in buckets.buffers] == [np.float32, np.float32, np.float64,
                                                  np.float32]
    buckets.pack(arrays, 3.0)  # one rank with weight 3: the average is the array itself
    for got, expected in zip(buckets.unpack(), arrays):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert buckets.nbytes == sum(a.nbytes for a in arrays) + 4


def test_buckets_reject_a_bad_size():
    with pytest.raises(ValueError, match="bucket_bytes must be a positive integer"):
        Buckets([((2,), "float32")], bucket_bytes=0)


@pytest.mark.parametrize("count", [1, 2, 3, 8, 9])
def test_shards_cover_every_row_of_a_batch_once(count):
    rows = [list(range(count))[distributed.shard_rows(3, r, count)] for r in range(3)]
    assert sum(rows, []) == list(range(count))


def test_the_collective_time_limit_is_read_and_checked(monkeypatch):
    monkeypatch.setenv(collectives.TIMEOUT_ENV, "2.5")
    assert collectives.timeout_seconds() == 2.5
    monkeypatch.setenv(collectives.TIMEOUT_ENV, "soon")
    with pytest.raises(ValueError, match="DLPATH_COLLECTIVE_TIMEOUT must be a number"):
        collectives.timeout_seconds()
    monkeypatch.setenv(collectives.TIMEOUT_ENV, "0")
    with pytest.raises(ValueError, match="must be positive"):
        collectives.timeout_seconds()


def test_collectives_alone_leave_the_buffer_and_check_its_type():
    alone = context.Context()
    buffer = np.arange(3.0)
    assert collectives.allreduce_sum(alone, buffer) is buffer
    np.testing.assert_array_equal(buffer, [0.0, 1.0, 2.0])
    assert collectives.broadcast_text(alone, "x") == "x"
    with pytest.raises(TypeError, match="float32 or float64"):
        collectives.allreduce_sum(alone, np.arange(3))


def test_the_launch_command_finds_the_environments_mpiexec():
    line = launch.command(3, ["python", "train.py"])
    assert line[0] == launch.mpiexec_path() and line[1:3] == ["-n", "3"]
    assert line[-2:] == ["python", "train.py"]
    env = launch.environment(1, base={})
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["OMP_NUM_THREADS"] == "1"
    with pytest.raises(ValueError, match="workers must be a positive integer"):
        launch.command(0, ["python"])


def test_only_recipes_that_train_with_fit_run_on_several_workers(monkeypatch):
    from dlpath.distributed.runs import Workers, trains_with_fit
    from dlpath.recipes import get_recipe
    from dlpath.workflow import UsageError

    assert trains_with_fit(get_recipe("digits-mlp"))
    assert trains_with_fit(get_recipe("cifar10-resnet"))  # its own train, through fit
    assert not trains_with_fit(get_recipe("mnist-gan"))
    monkeypatch.setattr(context, "_context", context.Context(rank=1, size=2))
    with pytest.raises(UsageError, match="'mnist-gan' trains with its own loop"):
        Workers.start(get_recipe("mnist-gan"))
    workers = Workers.start(get_recipe("digits-mlp"), log=print)
    assert not workers.is_root and workers.log is not print  # silent off rank 0


def test_a_distributed_optimizer_checks_its_arguments():
    with pytest.raises(ValueError, match="bucket_bytes must be a positive integer"):
        distributed.DistributedOptimizer("adam", bucket_bytes=-1)
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'"):
        distributed.DistributedOptimizer("adamm")
