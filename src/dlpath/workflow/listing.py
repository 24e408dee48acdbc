"""``dlpath runs``: a table of the runs in a folder and their key metrics."""

from __future__ import annotations

import math
from pathlib import Path

from dlpath.workflow import files

COLUMNS = ["run", "recipe", "epochs", "loss", "val_loss", "val_accuracy", "test_loss",
           "test_accuracy", "status"]


def collect(parent) -> list:
    """One dict per run folder under ``parent`` (newest name last)."""
    from dlpath.workflow.run import RunFolder

    runs = []
    for path in sorted(Path(parent).iterdir()) if Path(parent).is_dir() else []:
        folder = RunFolder(path)
        if not folder.config.is_file():
            continue
        saved = folder.read_config()
        rows = folder.read_metrics()
        entry = {"run": path.name, "recipe": saved.get("recipe", "?"),
                 "epochs": f"{len(rows)}/{saved.get('config', {}).get('epochs', '?')}"}
        entry.update({k: v for k, v in (rows[-1] if rows else {}).items()
                      if k not in ("epoch", "seconds")})
        if folder.test_metrics.is_file():
            entry.update({f"test_{k}": v for k, v in files.read_json(
                folder.test_metrics).items()})
        entry["status"] = ("done" if folder.model.is_file() else
                           "resumable" if folder.checkpoint.is_file() else "incomplete")
        runs.append(entry)
    return runs


def sort(runs: list, metric: str) -> list:
    """Best first: ascending for losses and errors, descending otherwise; missing last."""
    ascending = "loss" in metric or "error" in metric

    def key(entry):
        value = entry.get(metric)
        if not isinstance(value, (int, float)) or math.isnan(value):
            return (1, 0.0)
        return (0, value if ascending else -value)

    return sorted(runs, key=key)


def table(runs: list, extra: str | None = None) -> str:
    """The runs as aligned text columns."""
    columns = COLUMNS + ([extra] if extra and extra not in COLUMNS else [])
    cells = [columns] + [[_format(entry.get(c, "")) for c in columns] for entry in runs]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(value.ljust(w) for value, w in zip(row, widths)).rstrip()
                     for row in cells)


def _format(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
