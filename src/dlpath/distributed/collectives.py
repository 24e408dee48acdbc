"""The collective calls data parallelism needs, each with a time limit.

* `allreduce_sum` (in place): every rank ends with :math:`\\sum_r b_r`, element-wise, of the
  ranks' buffers ``b_r`` (``MPI_Iallreduce`` with ``MPI_IN_PLACE`` on a contiguous float32 or
  float64 array, so no copy is made).
* `broadcast` (in place): every rank ends with rank 0's buffer (``MPI_Ibcast``).
* `broadcast_text`: rank 0's string on every rank (its length, then its UTF-8 bytes).

Cost model (the ring algorithm, N ranks, a buffer of B bytes, bandwidth W, latency a):
an all-reduce sends :math:`2 (N - 1) / N \\cdot B` bytes from each rank, in 2 (N - 1) steps:
:math:`t \\approx 2 (N - 1) a + 2 (N - 1) / N \\cdot B / W`; a broadcast,
:math:`t \\approx \\log_2 N \\cdot (a + B / W)` (binomial tree). Few large calls beat many
small ones because the latency term is paid per call: hence the buckets of `buckets`.

Every call is non-blocking and then waited for with ``Test`` until it completes or its
time limit passes (``DLPATH_COLLECTIVE_TIMEOUT`` seconds, default 120): a worker that died
or is stuck makes the others print what they were waiting for and abort the job, instead of
hanging forever. (When a worker process dies, mpiexec itself also ends the job.)
"""

from __future__ import annotations

import os
import time

import numpy as np

from dlpath.distributed.context import Context, abort

TIMEOUT_ENV = "DLPATH_COLLECTIVE_TIMEOUT"
DEFAULT_TIMEOUT = 120.0


def timeout_seconds() -> float:
    """The time limit of one collective call, from ``$DLPATH_COLLECTIVE_TIMEOUT``."""
    text = os.environ.get(TIMEOUT_ENV, "")
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV} must be a number of seconds, got {text!r}") from None
    if not value > 0:
        raise ValueError(f"{TIMEOUT_ENV} must be positive, got {text!r}")
    return value


def _check_buffer(buffer, what: str) -> None:
    if not isinstance(buffer, np.ndarray) or buffer.dtype not in (np.float32, np.float64):
        kind = getattr(buffer, "dtype", type(buffer).__name__)
        raise TypeError(f"{what}: expected a float32 or float64 ndarray, got {kind}")
    if not buffer.flags.c_contiguous:
        raise ValueError(f"{what}: the buffer must be C-contiguous")


def _wait(context: Context, request, what: str) -> None:
    """Wait for ``request``; past the time limit, abort the job saying what was waited for."""
    limit = timeout_seconds()
    started = time.monotonic()
    pause = 0.0
    while not request.Test():
        waited = time.monotonic() - started
        if waited > limit:
            abort(context, f"waited {waited:.1f} s for {what} (the limit is {limit:g} s, "
                           f"${TIMEOUT_ENV}); another worker has died or is stuck. "
                           f"Stopping all {context.size} workers.")
        # Spin briefly (a step's all-reduce is usually done within microseconds of the
        # last rank's arrival), then yield the core, up to 1 ms between tests.
        if waited > 1e-3:
            pause = min(1e-3, pause * 2 or 1e-5)
            time.sleep(pause)


def allreduce_sum(context: Context, buffer: np.ndarray, what: str = "an all-reduce"):
    """``buffer`` <- the element-wise sum of every rank's ``buffer`` (in place)."""
    _check_buffer(buffer, "allreduce_sum")
    if context.comm is None:
        return buffer
    from mpi4py import MPI

    _wait(context, context.comm.Iallreduce(MPI.IN_PLACE, buffer, op=MPI.SUM), what)
    return buffer


def broadcast(context: Context, buffer: np.ndarray, what: str = "a broadcast", root=0):
    """``buffer`` <- rank ``root``'s ``buffer`` (in place)."""
    if not isinstance(buffer, np.ndarray) or not buffer.flags.c_contiguous:
        raise TypeError("broadcast: expected a C-contiguous ndarray")
    if context.comm is None:
        return buffer
    _wait(context, context.comm.Ibcast(buffer, root=root), what)
    return buffer


def broadcast_text(context: Context, text: str, what: str = "a broadcast", root=0) -> str:
    """Rank ``root``'s ``text`` on every rank (the others' ``text`` is ignored)."""
    if context.comm is None:
        return text
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    length = np.array([len(data)], dtype=np.int64)
    broadcast(context, length, what, root)
    buffer = np.empty(int(length[0]), dtype=np.uint8)
    if context.rank == root:
        buffer[:] = data
    broadcast(context, buffer, what, root)
    return buffer.tobytes().decode("utf-8")


def barrier(context: Context, what: str = "a barrier") -> None:
    """Wait until every rank arrives (``MPI_Ibarrier``, with the time limit)."""
    if context.comm is not None:
        _wait(context, context.comm.Ibarrier(), what)
