"""Side-by-side training-speed measurement of dlpath and PyTorch, in one process.

Both frameworks get the same number of threads (all cores by default), the same batch and
float32. Repeats are interleaved (dlpath, torch, dlpath, torch, ...) so that both see the
same machine state, and the median of the repeats is reported with the ratio
dlpath / PyTorch in samples per second (above 1.0: dlpath is faster).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import numpy as np


def set_threads(threads: int) -> None:
    """Limit NumPy's BLAS and PyTorch to ``threads`` threads."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(threads)
    threadpool_limits(threads)


def time_steps(step, steps: int) -> float:
    """Seconds per call of ``step`` over ``steps`` calls."""
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def compare(name: str, dlpath_step, torch_step, batch_size: int, repeats: int = 7,
            steps: int = 20, warmup: int = 3) -> dict:
    """Time both step functions, interleaved; print and return the medians and ratio."""
    for _ in range(warmup):
        dlpath_step()
        torch_step()
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(batch_size / time_steps(dlpath_step, steps))
        theirs.append(batch_size / time_steps(torch_step, steps))
    result = {
        "model": name,
        "dlpath_samples_per_s": statistics.median(ours),
        "torch_samples_per_s": statistics.median(theirs),
    }
    result["ratio"] = result["dlpath_samples_per_s"] / result["torch_samples_per_s"]
    print(f"{name:<16} dlpath {result['dlpath_samples_per_s']:>10,.0f} samples/s   "
          f"torch {result['torch_samples_per_s']:>10,.0f} samples/s   "
          f"ratio dlpath/torch {result['ratio']:.2f}   "
          f"(median of {repeats} x {steps} steps, batch {batch_size})", flush=True)
    return result


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args(description: str):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for both frameworks (default: all cores)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--steps", type=int, default=20, help="training steps per repeat")
    args = parser.parse_args()
    set_threads(args.threads)
    return args


def random_batch(shape, classes: int, seed: int = 0):
    """A float32 batch of ``shape`` and int64 labels in [0, classes)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    y = rng.integers(0, classes, shape[0]).astype(np.int64)
    return x, y
