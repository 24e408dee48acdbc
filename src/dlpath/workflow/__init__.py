"""Run folders: what ``dlpath train`` writes, and how a run is resumed, evaluated and listed.

A run folder ``<runs dir>/<recipe>-<YYYYmmdd-HHMMSS>/`` holds ``config.json``,
``metrics.csv``/``metrics.json`` (one row per epoch), ``checkpoints/last.keras`` (written at
each epoch's end, with the epoch and the random generator's state), ``model.keras``,
``test_metrics.json``, ``timing.json`` and ``report.html`` with its PNG figures.
"""

from dlpath.workflow.run import RunFolder, resume, train
from dlpath.workflow.errors import UsageError, WorkflowError

__all__ = ["RunFolder", "train", "resume", "UsageError", "WorkflowError"]
