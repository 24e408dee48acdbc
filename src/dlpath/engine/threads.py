"""How many threads BLAS runs: dlpath decides from the machine's state, unless the user did.

A BLAS product split over n threads finishes with its slowest thread, and a thread that
shares its core with another busy process gets half of that core or less. So on a machine
where other processes are running, more threads than free cores is much slower than fewer:
on 2 cores with one kept busy, MNIST CNN training at 2 threads ran at 28% of its idle speed,
at 1 thread at 88%. dlpath therefore runs BLAS on the cores that are free:

    threads = max(1, cores - ceil(other_busy - SLACK)),   at most work / MIN_WORK_PER_THREAD

``cores`` is what this process may run on (`os.sched_getaffinity`, and a cgroup CPU quota if
there is one). ``other_busy`` is how many cores other processes kept busy between two
samples, from the per-CPU clock ticks in /proc/stat and this process's own CPU time:

    other_busy = sum_c (d busy_c / d total_c)  -  d cpu_time(this process) / d wall

Reading /proc/stat takes ~50 us; nothing is probed or waited for. ``SLACK`` ignores short
bursts (a core busy a quarter of the time does not count). ``work``, when known, is the
multiply-adds of one step: a small model gains nothing from waking threads.

The decision is retaken at cheap points: `tick()` is called once per training batch and
samples at most once per ``INTERVAL`` seconds (the first decision of a run after
``FIRST_INTERVAL``). A user's choice always wins, and then dlpath leaves the count alone:
an environment variable (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ...),
`set_threads(n)`, or a count set through threadpoolctl (e.g. inside
``threadpool_limits(1)``) that differs from the one dlpath set.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass

# Setting any of these in the environment is the user's choice of BLAS / OpenMP threads.
USER_VARIABLES = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS",
                  "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
SLACK = 0.25  # cores of other load below which a core still counts as free
INTERVAL = 1.0  # seconds between two decisions
FIRST_INTERVAL = 0.2  # seconds from the first sample of a run to its first decision
STALE = 3 * INTERVAL  # a sample older than this is not compared with (the machine changed)
MIN_WORK_PER_THREAD = 1 << 18  # multiply-adds per step below which another thread loses


@dataclass(frozen=True)
class Sample:
    """One reading of the machine: per-CPU ``(busy, total)`` clock ticks from /proc/stat,
    this process's CPU seconds and the wall clock (seconds)."""

    ticks: dict
    own_cpu: float
    wall: float


def parse_proc_stat(text: str) -> dict:
    """``{cpu index: (busy ticks, total ticks)}`` from the text of /proc/stat.

    Fields of a ``cpuN`` line: user nice system idle iowait irq softirq steal guest
    guest_nice. Idle is idle + iowait; steal (time the hypervisor gave to others) is busy;
    guest time is already inside user, so only the first eight fields are summed.
    """
    ticks = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu") or not name[3:].isdigit():
            continue
        values = [int(value) for value in rest.split()[:8]]
        total = sum(values)
        ticks[int(name[3:])] = (total - values[3] - values[4], total)
    return ticks


def other_busy_cores(before: Sample, after: Sample, cpus) -> float:
    """Cores that processes other than this one kept busy between two samples, over
    ``cpus`` (the CPUs this process may run on)."""
    busy = 0.0
    for cpu in cpus:
        if cpu not in before.ticks or cpu not in after.ticks:
            continue
        busy_ticks = after.ticks[cpu][0] - before.ticks[cpu][0]
        total_ticks = after.ticks[cpu][1] - before.ticks[cpu][1]
        if total_ticks > 0:
            busy += busy_ticks / total_ticks
    wall = after.wall - before.wall
    own = (after.own_cpu - before.own_cpu) / wall if wall > 0 else 0.0
    return max(0.0, busy - own)


def decide_threads(cores: int, other_busy: float, work: int | None = None) -> int:
    """BLAS threads for ``cores`` usable cores of which ``other_busy`` are used by other
    processes, for a step of ``work`` multiply-adds (None: unknown)."""
    threads = max(1, cores - max(0, math.ceil(other_busy - SLACK)))
    if work is not None:
        threads = min(threads, max(1, int(work) // MIN_WORK_PER_THREAD))
    return threads


def _cgroup_quota_cores() -> float | None:
    """The CPU quota of this process's cgroup in cores (v2 ``cpu.max``, v1 cfs files)."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as file:
            quota, period = file.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as file:
            quota = int(file.read())
        with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as file:
            period = int(file.read())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError):
        return None


def usable_cpus() -> list:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def usable_cores(cpus) -> int:
    """How many cores of ``cpus`` this process may keep busy at once (the quota's whole
    cores, when a cgroup sets one)."""
    quota = _cgroup_quota_cores()
    cores = len(cpus)
    return max(1, min(cores, int(quota)) if quota is not None else cores)


def _read_proc_stat() -> str:
    with open("/proc/stat") as file:
        return file.read()


def _blas_libraries():
    from threadpoolctl import ThreadpoolController  # loaded with the first decision

    # A fresh controller each time sees BLAS libraries loaded since (SciPy's, ...).
    return ThreadpoolController().select(user_api="blas").lib_controllers


class ThreadController:
    """Samples the machine at cheap points and sets the BLAS threads (see the module).

    ``read_stat``, ``clock``, ``cpu_clock``, ``environ`` and ``libraries`` are the outside
    world (/proc/stat, the wall clock, this process's CPU time, the environment and
    threadpoolctl's BLAS libraries), given to tests in their place.
    """

    def __init__(self, cpus=None, cores=None, read_stat=_read_proc_stat, clock=time.monotonic,
                 cpu_clock=time.process_time, environ=os.environ, libraries=_blas_libraries,
                 interval: float = INTERVAL):
        self.cpus = sorted(cpus) if cpus is not None else usable_cpus()
        self.cores = cores if cores is not None else usable_cores(self.cpus)
        self._read_stat, self._clock, self._cpu_clock = read_stat, clock, cpu_clock
        self._environ, self._libraries, self.interval = environ, libraries, interval
        self.user_threads = None  # set by set_threads
        self.threads = None  # the count dlpath last set
        self.other_busy = None  # the last measurement, for reports
        self._last = None
        self._next = 0.0

    # ------------------------------------------------------------------ the user's choice
    def user_variable(self) -> str | None:
        """The name of the thread variable the user set in the environment, if any."""
        for name in USER_VARIABLES:
            if self._environ.get(name, "").strip():
                return name
        return None

    def set_threads(self, threads: int | None) -> None:
        """Pin BLAS to ``threads`` threads (dlpath no longer decides); None: decide again."""
        if threads is None:  # the count stays dlpath's own, so ticks manage it again
            self.user_threads, self._last = None, None
            return
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError(f"set_threads: threads must be an int >= 1 or None, got "
                            f"{threads!r}")
        if threads < 1:
            raise ValueError(f"set_threads: threads must be >= 1, got {threads}")
        self.user_threads = threads
        self._apply(threads)

    def _chosen_elsewhere(self, libraries) -> bool:
        """True when the BLAS count is not dlpath's: set through threadpoolctl by the user."""
        current = min(lib.num_threads for lib in libraries)
        if self.threads is None:
            return current < self.cores
        return current != self.threads

    # ------------------------------------------------------------------ deciding
    def tick(self, work: int | None = None) -> int | None:
        """At a cheap point (a batch): decide again if ``interval`` has passed. Returns the
        thread count dlpath set, or None when it did not decide."""
        now = self._clock()
        if now < self._next:
            return None
        self._next = now + self.interval
        if self.user_threads is not None or self.user_variable() is not None:
            return None
        try:
            current = Sample(parse_proc_stat(self._read_stat()), self._cpu_clock(), now)
        except OSError:  # no /proc/stat (not Linux): nothing to decide from
            self._next = math.inf
            return None
        previous, self._last = self._last, current
        if previous is None or now - previous.wall > STALE:
            self._next = now + FIRST_INTERVAL
            return None
        self.other_busy = other_busy_cores(previous, current, self.cpus)
        return self._decide(decide_threads(self.cores, self.other_busy, work))

    def _decide(self, threads: int) -> int | None:
        libraries = self._libraries()
        if not libraries or self._chosen_elsewhere(libraries):
            return None
        if threads != self.threads:
            self._apply(threads, libraries)
        return self.threads

    def _apply(self, threads: int, libraries=None) -> None:
        libraries = self._libraries() if libraries is None else libraries
        for lib in libraries:
            lib.set_num_threads(threads)
        # OpenBLAS caps the count at its own maximum: remember what it took.
        self.threads = min((lib.num_threads for lib in libraries), default=threads)


_state = {"controller": None}


def controller() -> ThreadController:
    """The process's controller (made on first use)."""
    if _state["controller"] is None:
        _state["controller"] = ThreadController()
    return _state["controller"]


def tick(work: int | None = None) -> int | None:
    """Decide the BLAS threads again if it is time (called once per training batch)."""
    return controller().tick(work)


def set_threads(threads: int | None) -> None:
    """Run BLAS on ``threads`` threads from now on, whatever the machine's state; None gives
    the decision back to dlpath."""
    controller().set_threads(threads)


def get_threads() -> int:
    """The number of threads BLAS runs now (1 when no BLAS library is found)."""
    return min((lib.num_threads for lib in _blas_libraries()), default=1)
