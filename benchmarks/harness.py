"""Side-by-side training-speed measurement of dlpath and PyTorch, in one process.

dlpath runs at the threads set for the run (all cores by default); PyTorch is timed at 1
thread and at that count, and its faster setting is the one compared against (on a 2-core
machine PyTorch's convolutions are often faster at 1 thread). Same batch, float32. Repeats
are interleaved (dlpath, torch, dlpath, torch, ...) so that both see the same machine
state, and the median of the repeats is reported with the ratio dlpath / PyTorch in
samples per second (above 1.0: dlpath is faster).

``--load`` measures instead how dlpath holds up on a busy machine: one process of its own
keeps one core busy (a bounded loop that ends by itself), and dlpath's samples/s with the
threads it chooses (`dlpath.engine.threads`) are printed beside those on the idle machine
at 1 thread and those under load at all cores.

Memory (`step_peak_mib`, `memory_line`): the peak resident memory of one training step,
after a warm-up step, each framework in a fresh process at 1 thread; every benchmark prints
its models' lines after the speed ones, or only them with ``--memory-only``
(``benchmarks/memory.py`` prints all of them as a table).
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


# ---------------------------------------------------------------------------------- memory
FRAMEWORKS = ("dlpath", "torch")
# The memory runs are single-threaded in both frameworks (BLAS and OpenMP thread pools).
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS")}


def _status_mib(field: str) -> float:
    """A size from /proc/self/status (VmRSS: resident now, VmHWM: peak resident), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def _reset_peak() -> bool:
    """Reset the kernel's peak-resident counter (VmHWM) to the resident size now."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def step_peak_mib(make_step, warmup: int = 1) -> float:
    """Peak resident MiB of one training step, above the resident size before the model.

    Call it once imports and data are in place: it reads the resident size (VmRSS), builds
    the model with ``make_step()`` (which returns the step function), runs ``warmup`` steps,
    resets the kernel's peak counter (writing 5 to /proc/self/clear_refs) and runs one more
    step. The result, VmHWM minus that first resident size, is what one steady training
    step holds at its peak: weights, optimizer state, saved activations, gradients and
    temporaries. getrusage's maxrss alone would not do: a child started by a large process
    may inherit its parent's peak, and the imports' own peak can hide the step's. Without
    /proc (not Linux) it falls back on getrusage's peak.
    """
    proc = os.path.exists("/proc/self/status")
    baseline = _status_mib("VmRSS") if proc else peak_rss_mib()
    step = make_step()
    for _ in range(warmup):
        step()
    reset = proc and _reset_peak()
    step()
    peak = _status_mib("VmHWM") if reset else peak_rss_mib()
    return peak - baseline


def warm_framework(framework: str) -> None:
    """One training step of a tiny dense model, so that the framework's lazy imports and
    one-time set-up (PyTorch's optimizer and autograd modules: ~75 MiB of code and data on
    the first `nn.Linear` and `optim.Adam`) are in the baseline, not in the model's peak."""
    if framework == "torch":
        import torch

        model = torch.nn.Linear(2, 1)
        optimizer = torch.optim.Adam(model.parameters())
        model(torch.ones(4, 2)).sum().backward()
        optimizer.step()
        return
    from dlpath.engine import Tensor
    from dlpath.layers import Dense
    from dlpath.optimizers import Adam

    layer, optimizer = Dense(1), Adam()
    layer(Tensor(np.ones((4, 2), np.float32))).sum().backward()
    optimizer.step(layer.trainable_weights)


def measure_rss(make_step, warmup: int = 1) -> None:
    """In a fresh process started by `rss_in_subprocess`: print `step_peak_mib`."""
    print(f"{step_peak_mib(make_step, warmup):.1f}", flush=True)


def rss_in_subprocess(script: str, model: str, framework: str) -> float:
    """Peak MiB of one ``framework`` training step of ``model``, measured by ``script
    --rss framework --rss-model model`` in a fresh process at one thread."""
    command = [sys.executable, os.path.abspath(script), "--rss", framework,
               "--rss-model", model, "--threads", "1"]
    env = {**os.environ, **ONE_THREAD}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{os.path.basename(script)} --rss {framework} --rss-model "
                           f"{model} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def memory_line(script: str, model: str) -> dict:
    """Measure both frameworks' peak for ``model`` (each in a fresh process); print the
    line and return the figures with the ratio dlpath / PyTorch (above 1.0: dlpath holds
    more)."""
    ours = rss_in_subprocess(script, model, "dlpath")
    theirs = rss_in_subprocess(script, model, "torch")
    result = {"model": model, "dlpath_peak_mib": ours, "torch_peak_mib": theirs,
              "ratio": ours / theirs if theirs > 0 else float("inf")}
    print(f"{model:<16} peak RSS of one training step: dlpath {ours:>7.1f} MiB   "
          f"torch {theirs:>7.1f} MiB   ratio dlpath/torch {result['ratio']:.2f}   "
          f"(after 1 warm-up step, 1 thread)", flush=True)
    return result


def memory(args, script: str, memory_steps: dict) -> bool:
    """Handle the memory options of a benchmark script; True when nothing else should run.

    ``memory_steps`` maps each model name to a function of the framework that prepares the
    batch and returns ``make_step`` for `step_peak_mib`. ``--rss FRAMEWORK --rss-model
    NAME`` (internal) prints one figure; ``--memory-only`` prints the memory lines of the
    script's models (those of ``--models`` when it has that option).
    """
    if args.rss:
        if args.rss_model not in memory_steps:
            raise SystemExit(f"--rss-model: expected one of {sorted(memory_steps)}, "
                             f"got {args.rss_model!r}")
        from dlpath.engine.memory import retain_freed_memory

        retain_freed_memory()  # as in the speed runs and in fit, for both frameworks
        warm_framework(args.rss)
        measure_rss(memory_steps[args.rss_model](args.rss))
        return True
    if args.memory_only:
        for model in getattr(args, "models", None) or memory_steps:
            memory_line(script, model)
        return True
    return False


def add_memory_args(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--memory-only", action="store_true",
                        help="print only the peak memory of one training step per model "
                             "(each framework in a fresh process, at 1 thread)")
    parser.add_argument("--rss", choices=FRAMEWORKS,
                        help="(internal) print one step's peak RSS in MiB and exit")
    parser.add_argument("--rss-model", help="(internal) the model of --rss")
    return parser


def parse_args(description: str, models=None):
    """The benchmarks' options (``--models`` too when the script has several ``models``);
    sets both frameworks' threads."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for both frameworks (default: all cores)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--steps", type=int, default=20, help="training steps per repeat")
    parser.add_argument("--load", action="store_true",
                        help="dlpath alone, with one core kept busy by another process")
    if models:
        parser.add_argument("--models", nargs="+", default=list(models), choices=list(models))
    add_memory_args(parser)
    args = parser.parse_args()
    set_threads(args.threads)
    return args


def random_batch(shape, classes: int, seed: int = 0):
    """A float32 batch of ``shape`` and int64 labels in [0, classes)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    y = rng.integers(0, classes, shape[0]).astype(np.int64)
    return x, y
