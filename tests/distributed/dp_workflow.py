"""``dlpath train`` steps under mpiexec, without the evaluation and report (for speed).

    dp_workflow.py train RUNS_DIR EPOCHS     a new digits-mlp run
    dp_workflow.py resume RUN_DIR EPOCHS     continue it up to EPOCHS epochs
"""

from __future__ import annotations

import sys

from dlpath.workflow import run

SETTINGS = {"train_limit": 200, "eval_limit": 40, "batch_size": 32}


def skip_finish(folder, *args, **kwargs):
    return folder  # checkpoints/last.keras holds the weights after the last epoch


def main(action: str, path: str, epochs: int) -> None:
    run._finish = skip_finish
    if action == "train":
        run.train("digits-mlp", dict(SETTINGS, epochs=epochs), parent=path, verbose=0)
    else:
        run.resume(path, epochs=epochs, verbose=0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
