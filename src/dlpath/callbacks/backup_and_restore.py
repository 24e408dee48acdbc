"""`BackupAndRestore`: resume an interrupted ``fit`` where it stopped (tf.keras semantics).

At the end of every epoch the callback writes ``<backup_dir>/latest.keras``: the model,
its optimizer state, the number of epochs done and the state of dlpath's random generator,
in one atomic write (the checkpoint of `dlpath.workflow.checkpoint`). When ``fit`` starts
and a backup exists, the weights, the optimizer state and the random state are put back
and ``fit`` resumes at the first epoch not done; the shuffles and dropout masks that follow
are the ones the uninterrupted run drew, so the final weights are the same, bit for bit.
A ``fit`` that ends normally deletes the backup (unless ``delete_checkpoint=False``); one
interrupted by an exception keeps it.
"""

from __future__ import annotations

import os
import shutil

from dlpath.callbacks.callback import Callback

BACKUP_NAME = "latest.keras"


class BackupAndRestore(Callback):
    """Back up the training state each epoch and restore it when ``fit`` runs again.

    Args:
        backup_dir: the folder of the backup (created when needed); one per training run.
        save_freq: ``"epoch"``: back up at the end of every epoch (dlpath resumes at epoch
            boundaries, so a number of batches is refused).
        delete_checkpoint: delete the backup when training ends normally.
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True,
                 save_before_preemption=False):
        super().__init__()
        if backup_dir is None:
            raise ValueError("BackupAndRestore: backup_dir must be a folder path, got None")
        try:
            self.backup_dir = os.fspath(backup_dir)
        except TypeError as error:
            raise TypeError(f"BackupAndRestore: backup_dir must be a str or path-like, got "
                            f"{type(backup_dir).__name__}") from error
        if save_freq != "epoch":
            raise ValueError(f"BackupAndRestore: save_freq must be 'epoch' (dlpath resumes "
                             f"training at the start of an epoch), got {save_freq!r}")
        if save_before_preemption:
            raise ValueError("BackupAndRestore: save_before_preemption concerns TensorFlow's "
                             "multi-worker training and is not supported")
        self.save_freq = save_freq
        self.delete_checkpoint = bool(delete_checkpoint)
        self.path = os.path.join(self.backup_dir, BACKUP_NAME)

    def on_train_begin(self, logs=None):
        if not os.path.exists(self.path):
            return
        from dlpath.workflow import checkpoint

        saved, state = checkpoint.load(self.path)
        self.model.set_weights(saved.get_weights())
        if saved.optimizer is not None and self.model.optimizer is not None:
            self.model.optimizer.set_state(saved.optimizer.get_state(),
                                           variables=self.model.trainable_weights)
        checkpoint.restore_random_state(state)
        self.model._initial_epoch = state["epochs_done"]

    def on_epoch_begin(self, epoch, logs=None):
        self.model._initial_epoch = None  # read once by fit; a later fit starts afresh

    def on_epoch_end(self, epoch, logs=None):
        from dlpath.workflow import checkpoint

        os.makedirs(self.backup_dir, exist_ok=True)
        checkpoint.save(self.model, self.path, epochs_done=epoch + 1)

    def on_train_end(self, logs=None):
        self.model._initial_epoch = None
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
