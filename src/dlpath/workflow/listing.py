"""``dlpath runs``: a table of the runs in a folder and their key metrics, then the tuning
studies whose reports are in that folder (``dlpath tune`` writes ``<study>/best.json``)."""

from __future__ import annotations

import math
from pathlib import Path

from dlpath.workflow import files
from dlpath.workflow.errors import UsageError

COLUMNS = ["run", "recipe", "epochs", "loss", "val_loss", "val_accuracy", "test_loss",
           "test_accuracy", "status"]
# Columns of text, sorted alphabetically; every other column is a number, sorted best first.
TEXT_COLUMNS = ("run", "recipe", "epochs", "status")
STUDY_COLUMNS = ["study", "recipe", "metric", "trials", "complete", "pruned", "best",
                 "best params"]
STUDY_FILE = "best.json"


def collect(parent) -> list:
    """One dict per run folder under ``parent``, oldest first."""
    from dlpath.workflow.run import run_folders

    runs = []
    for folder in run_folders(Path(parent)):
        saved = folder.read_config()
        rows = folder.read_metrics()
        entry = {"run": folder.path.name, "recipe": saved.get("recipe", "?"),
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
    """Best first: ascending for losses and errors, descending otherwise; missing last.

    Text columns (run, recipe, epochs, status) sort alphabetically. A column that no run
    has is a `UsageError` that lists the columns there are.
    """
    known = list(COLUMNS) + [key for entry in runs for key in entry if key not in COLUMNS]
    if metric not in known:
        names = ", ".join(dict.fromkeys(known))
        raise UsageError(f"cannot sort by '{metric}': no run has it; columns: {names}")
    if metric in TEXT_COLUMNS:
        return sorted(runs, key=lambda entry: str(entry.get(metric, "")))
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
    return _aligned(columns, [[_format(entry.get(c, "")) for c in columns] for entry in runs])


def collect_studies(parent) -> list:
    """The summaries (``best.json``) of the tuning studies reported under ``parent``."""
    studies = []
    for path in sorted(Path(parent).glob(f"*/{STUDY_FILE}")) if Path(parent).is_dir() else []:
        summary = files.read_json(path)
        if isinstance(summary, dict) and "study" in summary:
            studies.append(summary)
    return studies


def studies_table(studies: list) -> str:
    """The tuning studies as aligned text columns."""
    cells = []
    for summary in studies:
        states = summary.get("states", {})
        best = summary.get("best") or {}
        params = ", ".join(f"{k}={_format(v, 3)}" for k, v in best.get("params", {}).items())
        cells.append([summary["study"], summary.get("recipe", "?"),
                      summary.get("metric", "?"), summary.get("trials", ""),
                      states.get("complete", 0), states.get("pruned", 0),
                      best.get("value", ""), params])
    return _aligned(STUDY_COLUMNS, [[_format(value) for value in row] for row in cells])


def _aligned(columns: list, rows: list) -> str:
    cells = [columns] + rows
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(value.ljust(w) for value, w in zip(row, widths)).rstrip()
                     for row in cells)


def _format(value, digits: int | None = None) -> str:
    """A float with 4 decimals, or ``digits`` significant digits; anything else as text."""
    if isinstance(value, float):
        return f"{value:.{digits}g}" if digits else f"{value:.4f}"
    return str(value)
