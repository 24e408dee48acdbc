"""The allocator setting and the block runner used by fused ops."""

from dlpath.engine import parallel
from dlpath.engine.memory import retain_freed_memory


def test_retain_freed_memory_is_idempotent():
    first = retain_freed_memory()
    assert isinstance(first, bool)
    assert retain_freed_memory() == first


def test_parallel_blocks_runs_every_block_once_with_one_blas_thread_each(monkeypatch):
    real_blas_threads = parallel.blas_threads
    monkeypatch.setattr(parallel, "blas_threads", lambda: 2)
    seen, blas_inside = [], []

    def work(block):
        seen.append(block)
        blas_inside.append(real_blas_threads())

    parallel.parallel_blocks(work, list(range(8)))
    assert sorted(seen) == list(range(8))
    assert set(blas_inside) == {1}


def test_parallel_blocks_is_a_plain_loop_for_one_block_or_one_thread(monkeypatch):
    monkeypatch.setattr(parallel, "blas_threads", lambda: 1)
    seen = []
    parallel.parallel_blocks(seen.append, [3, 1, 2])
    assert seen == [3, 1, 2]
