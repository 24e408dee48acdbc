"""Where a recipe with its own ``train`` puts what the standard report cannot compute.

A run object may carry an ``extra`` dict (numbers the report shows next to the metrics) and
a folder (``folder``, ``path``, ``dir`` or ``run_dir``). `record_extra` fills ``run.extra``
when there is one, else merges the numbers into ``extra_metrics.json`` in the run folder;
`run_folder` finds the folder (None when the run has none, as in a tuning trial).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

EXTRA_METRICS_FILE = "extra_metrics.json"
_FOLDER_ATTRIBUTES = ("folder", "path", "dir", "run_dir", "directory")


def run_folder(run) -> Path | None:
    """The run's folder, or None."""
    for name in _FOLDER_ATTRIBUTES:
        value = getattr(run, name, None)
        if isinstance(value, (str, os.PathLike)):
            return Path(value)
    return None


def record_extra(run, metrics: dict) -> None:
    """Add ``metrics`` (name -> number) to the run's extra metrics."""
    metrics = {key: float(value) for key, value in metrics.items()}
    extra = getattr(run, "extra", None)
    if isinstance(extra, dict):
        extra.update(metrics)
        return
    folder = run_folder(run)
    if folder is None:
        return
    target = folder / EXTRA_METRICS_FILE
    merged = json.loads(target.read_text()) if target.is_file() else {}
    merged.update(metrics)
    write_text_atomic(target, json.dumps(merged, indent=2, sort_keys=True) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
