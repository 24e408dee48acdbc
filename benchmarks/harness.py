"""Side-by-side training-speed measurement of dlpath and PyTorch, in one process.

dlpath runs at the threads set for the run (all cores by default); PyTorch is timed at 1
thread and at that count, and its faster setting is the one compared against (on a 2-core
machine PyTorch's convolutions are often faster at 1 thread). Same batch, float32. Repeats are interleaved (dlpath, torch, dlpath, torch, ...) so that both see the
same machine state, and the median of the repeats is reported with the ratio
dlpath / PyTorch in samples per second (above 1.0: dlpath is faster).

``--load`` measures instead how dlpath holds up on a busy machine: one process of its own
keeps one core busy (a bounded loop that ends by itself), and dlpath's samples/s with the
threads it chooses (`dlpath.engine.threads`) are printed beside those on the idle machine
at 1 thread and those under load at all cores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
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
            steps: int = 20, warmup: int = 3, load: bool = False) -> dict:
    """Time both step functions, interleaved; print and return the medians and ratio.
    With ``load``, time dlpath alone on a busy machine instead (`under_load`)."""
    if load:
        return under_load(name, dlpath_step, batch_size, repeats, steps, warmup)
    import torch

    # PyTorch at its best thread setting: timed at 1 thread and at the threads set for the
    # run (all cores by default), interleaved with dlpath; the faster median counts.
    settings = sorted({1, torch.get_num_threads()})
    for _ in range(warmup):
        dlpath_step()
        for threads in settings:
            torch.set_num_threads(threads)
            torch_step()
    ours, theirs = [], {threads: [] for threads in settings}
    for _ in range(repeats):
        ours.append(batch_size / time_steps(dlpath_step, steps))
        for threads in settings:
            torch.set_num_threads(threads)
            theirs[threads].append(batch_size / time_steps(torch_step, steps))
    torch.set_num_threads(settings[-1])
    medians = {threads: statistics.median(values) for threads, values in theirs.items()}
    best = max(medians, key=medians.get)
    result = {
        "model": name,
        "dlpath_samples_per_s": statistics.median(ours),
        "torch_samples_per_s": medians[best],
        "torch_threads": best,
        "torch_samples_per_s_by_threads": medians,
    }
    result["ratio"] = result["dlpath_samples_per_s"] / result["torch_samples_per_s"]
    others = ", ".join(f"{medians[t]:,.0f} at {t}" for t in settings if t != best)
    print(f"{name:<16} dlpath {result['dlpath_samples_per_s']:>10,.0f} samples/s   "
          f"torch {result['torch_samples_per_s']:>10,.0f} samples/s at {best} thread(s)"
          f"{f' ({others})' if others else ''}   ratio dlpath/torch {result['ratio']:.2f}   "
          f"(median of {repeats} x {steps} steps, batch {batch_size})", flush=True)
    return result


# The busy loop ends by itself after this long, even if the benchmark is killed.
LOAD_SECONDS = 300
# dlpath samples the machine about once a second: let it decide before timing.
SETTLE_SECONDS = 1.5


@contextlib.contextmanager
def busy_core(seconds: float = LOAD_SECONDS):
    """Another process keeping one core (the last usable one) busy for at most ``seconds``."""
    cpu = max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    pin = f"os.sched_setaffinity(0, {{{cpu}}})\n" if cpu is not None else ""
    code = (f"import os, time\n{pin}end = time.monotonic() + {seconds}\n"
            "while time.monotonic() < end:\n    pass\n")
    loop = subprocess.Popen([sys.executable, "-c", code])
    try:
        time.sleep(0.3)  # the loop is running
        yield loop
    finally:
        loop.terminate()
        loop.wait(timeout=10)


def samples_per_s(step, batch_size: int, repeats: int, steps: int, warmup: int,
                  settle: float = 0.0) -> float:
    """Median samples/s of ``step`` after ``warmup`` steps and at least ``settle`` seconds."""
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < settle:
        step()
        done += 1
    return statistics.median(batch_size / time_steps(step, steps) for _ in range(repeats))


def under_load(name: str, dlpath_step, batch_size: int, repeats: int = 7, steps: int = 20,
               warmup: int = 3) -> dict:
    """dlpath's samples/s idle at 1 thread, and with one core busy at all cores and with the
    threads dlpath chooses (its trainer calls `threads.tick()` once per batch, as here)."""
    from dlpath.engine import threads

    def auto_step():
        threads.tick()
        dlpath_step()

    cores = threads.usable_cores(threads.usable_cpus())
    threads.set_threads(1)
    idle_one = samples_per_s(dlpath_step, batch_size, repeats, steps, warmup)
    with busy_core():
        threads.set_threads(cores)
        loaded_all = samples_per_s(dlpath_step, batch_size, repeats, steps, warmup)
        threads.set_threads(None)  # dlpath decides from here on
        loaded_auto = samples_per_s(auto_step, batch_size, repeats, steps, warmup,
                                    settle=SETTLE_SECONDS)
        chosen = threads.get_threads()
    result = {"model": name, "idle_1_thread_samples_per_s": idle_one,
              f"loaded_{cores}_threads_samples_per_s": loaded_all,
              "loaded_default_samples_per_s": loaded_auto, "loaded_default_threads": chosen,
              "fraction": loaded_auto / idle_one}
    print(f"{name:<16} one core busy: dlpath default ({chosen} threads) {loaded_auto:>9,.0f} "
          f"samples/s = {result['fraction']:.2f} x idle at 1 thread ({idle_one:,.0f}); "
          f"at {cores} threads {loaded_all:,.0f} ({loaded_all / idle_one:.2f} x)   "
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
    parser.add_argument("--load", action="store_true",
                        help="dlpath alone, with one core kept busy by another process")
    args = parser.parse_args()
    set_threads(args.threads)
    return args


def random_batch(shape, classes: int, seed: int = 0):
    """A float32 batch of ``shape`` and int64 labels in [0, classes)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    y = rng.integers(0, classes, shape[0]).astype(np.int64)
    return x, y
