"""Start a script under ``mpiexec -n N`` (oversubscribed, one BLAS thread per rank)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dlpath.distributed import launch

HERE = Path(__file__).resolve().parent
WORKER = HERE / "dp_worker.py"


def run_mpi(args: list, ranks: int = 2, timeout: float = 60, env: dict | None = None,
            cwd=HERE):
    """``mpiexec -n ranks PYTHON args...``: the CompletedProcess (stdout and stderr text)."""
    line = launch.command(ranks, [sys.executable, *map(str, args)])
    environment = launch.environment(1)
    environment.update(env or {})
    return subprocess.run(line, cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=timeout)
