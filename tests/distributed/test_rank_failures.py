"""A failing rank ends the whole job quickly, with a message that says what happened."""

from __future__ import annotations

import time

from mpi_run import WORKER, run_mpi


def _run(mode: str, env=None):
    started = time.monotonic()
    result = run_mpi([WORKER, "unused.npz", "fail", mode], ranks=2, timeout=60, env=env)
    return result, time.monotonic() - started


def test_an_uncaught_exception_aborts_every_rank():
    result, seconds = _run("raise")
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert seconds < 30
    assert "rank 1 of 2: uncaught ValueError; stopping all 2 workers" in text
    assert "a failure on rank 1" in text  # the traceback of the failing rank


def test_killing_a_rank_ends_the_job_within_30_seconds():
    result, seconds = _run("kill")
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert seconds < 30
    assert "rank 1" in text and "signal 9" in text


def test_a_stuck_rank_makes_the_others_stop_at_the_collective_time_limit():
    result, seconds = _run("hang", env={"DLPATH_COLLECTIVE_TIMEOUT": "3"})
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert seconds < 30  # the stuck rank sleeps 120 s: the job was aborted, not finished
    assert "rank 0 of 2: waited 3." in text
    assert "for the gradients (bucket 1 of 1, step 3)" in text
    assert "another worker has died or is stuck" in text


def test_ranks_with_different_gradients_stop_with_a_clear_error():
    result, seconds = _run("layout")
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert seconds < 30
    assert "uncaught RuntimeError" in text
    assert "every rank must compute the gradients of the same variables" in text
