"""Callbacks with Keras' names and semantics: hooks into ``fit``, ``evaluate`` and
``predict`` (``model.fit(..., callbacks=[EarlyStopping(patience=3)])``).

``fit`` always adds a `History` (returned, and set as ``model.history``) and, when
``verbose != 0``, a `ProgbarLogger` that prints the Keras progress bar (`Progbar`).
"""

from dlpath.callbacks.callback import Callback, CallbackList
from dlpath.callbacks.csv_logger import CSVLogger
from dlpath.callbacks.early_stopping import EarlyStopping
from dlpath.callbacks.history import History
from dlpath.callbacks.lambda_callback import LambdaCallback
from dlpath.callbacks.lr_scheduler import LearningRateScheduler
from dlpath.callbacks.model_checkpoint import ModelCheckpoint
from dlpath.callbacks.progbar import Progbar, ProgbarLogger
from dlpath.callbacks.reduce_lr import ReduceLROnPlateau
from dlpath.callbacks.terminate_on_nan import TerminateOnNaN
from dlpath.callbacks.backup_and_restore import BackupAndRestore
from dlpath.callbacks.remote_monitor import RemoteMonitor
from dlpath.callbacks.tensorboard import TensorBoard

__all__ = [
    "Callback", "CallbackList", "History", "ProgbarLogger", "Progbar", "EarlyStopping",
    "ModelCheckpoint", "ReduceLROnPlateau", "LearningRateScheduler", "CSVLogger",
    "TerminateOnNaN", "LambdaCallback", "BackupAndRestore", "RemoteMonitor", "TensorBoard",
]
