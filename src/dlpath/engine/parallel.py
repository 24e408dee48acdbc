"""Running independent blocks of NumPy work on several threads.

NumPy releases the GIL inside its loops and BLAS calls, so blocks of work on separate
slices of arrays run truly in parallel on Python threads. A fused op made of many small
copies and matrix products over a batch can gain more from giving each thread whole blocks
than from BLAS splitting every small product; while the blocks run, BLAS is held to one
thread per call so that the two kinds of threads do not compete for the cores. (Measure:
for attention, BLAS threads on a serial loop of blocks were faster here.)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

_state = {"pool": None, "workers": 0, "controller": None}
PARALLEL = os.environ.get("DLPATH_PARALLEL_BLOCKS", "1") != "0"


def _controller():
    if _state["controller"] is None:
        from threadpoolctl import ThreadpoolController

        _state["controller"] = ThreadpoolController()
    return _state["controller"]


def blas_threads() -> int:
    """The number of threads BLAS is set to use (what `threadpool_limits` last set)."""
    counts = [lib.num_threads for lib in _controller().select(user_api="blas").lib_controllers]
    return max(counts) if counts else 1


def parallel_blocks(fn, blocks) -> None:
    """Call ``fn(block)`` for every block, on as many threads as BLAS is allowed."""
    workers = min(len(blocks), blas_threads()) if PARALLEL and len(blocks) > 1 else 1
    if workers <= 1:
        for block in blocks:
            fn(block)
        return
    if _state["workers"] < workers:
        _state["pool"] = ThreadPoolExecutor(max_workers=workers)
        _state["workers"] = workers
    with _controller().limit(limits=1, user_api="blas"):
        for _ in _state["pool"].map(fn, blocks):
            pass
