"""The callbacks ``dlpath train`` adds to ``fit``: the metrics files and the checkpoint."""

from __future__ import annotations

import csv
import io
import time

from dlpath.callbacks import Callback
from dlpath.workflow import checkpoint, files


class MetricsLogger(Callback):
    """Rewrite ``metrics.csv`` and ``metrics.json`` atomically at each epoch's end.

    A row is ``{"epoch": 1-based epoch, "seconds": wall time, loss, accuracy, val_...}``.
    ``rows`` are the rows of earlier epochs (when a run is resumed).
    """

    def __init__(self, csv_path, json_path, rows=None):
        super().__init__()
        self.csv_path, self.json_path = csv_path, json_path
        self.rows = list(rows or [])
        self._started = None

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        row = {"epoch": epoch + 1, "seconds": round(time.perf_counter() - self._started, 3)}
        row.update({key: float(value) for key, value in (logs or {}).items()})
        self.rows.append(row)
        files.write_json(self.json_path, self.rows)
        files.write_text(self.csv_path, rows_to_csv(self.rows))


def rows_to_csv(rows: list) -> str:
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class EpochCheckpoint(Callback):
    """Save ``checkpoints/last.keras`` (model, optimizer, epoch, random state) each epoch.

    A run that starts at epoch 0 also saves its initial state when training begins, so
    that a run stopped during its first epoch can be resumed too.
    """

    def __init__(self, path, initial_epoch: int = 0):
        super().__init__()
        self.path = path
        self.initial_epoch = initial_epoch

    def on_train_begin(self, logs=None):
        if self.initial_epoch == 0:
            checkpoint.save(self.model, self.path, epochs_done=0)

    def on_epoch_end(self, epoch, logs=None):
        checkpoint.save(self.model, self.path, epochs_done=epoch + 1)
