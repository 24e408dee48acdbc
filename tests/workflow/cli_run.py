"""Running the real ``python -m dlpath`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def dlpath(*args, cwd=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    """``python -m dlpath ARGS``; returns the completed process (text output)."""
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "dlpath", *map(str, args)], cwd=cwd,
                          env=environment, capture_output=True, text=True, timeout=timeout)


def only_run(parent: Path) -> Path:
    """The one run folder under ``parent``."""
    runs = [path for path in Path(parent).iterdir() if path.is_dir()]
    if len(runs) != 1:
        raise AssertionError(f"expected one run folder in {parent}, found {runs}")
    return runs[0]
