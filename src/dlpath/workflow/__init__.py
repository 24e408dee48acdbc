"""Run folders: what ``dlpath train`` writes, and how a run is resumed, evaluated and listed.

A run folder ``<runs dir>/<recipe>-<YYYYmmdd-HHMMSS>/`` holds ``config.json``,
``metrics.csv``/``metrics.json`` (one row per epoch), ``checkpoints/last.keras`` (written
when training begins and at each epoch's end, with the epoch and the random generator's
state), ``test_predictions.npz``, ``test_metrics.json``, ``timing.json``, ``report.html``
with its PNG figures, and ``model.keras``, written last: a run that has it is finished.
A run is named by its folder, by the folder's name in the runs folder, or by its recipe's
name (its newest run): `RunFolder.find`.
"""

from dlpath.workflow.run import RunFolder, resume, train
from dlpath.workflow.errors import UsageError, WorkflowError

__all__ = ["RunFolder", "train", "resume", "UsageError", "WorkflowError"]
