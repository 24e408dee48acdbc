"""Trained recipe runs for the deployment benchmarks, trained once and reused.

The lightweighting and serving benchmarks measure models trained in full by the recipes
(mnist-cnn, cifar10-cnn, imdb-lstm). Training them takes minutes, so the newest finished
run of a recipe under ``$DLPATH_BENCH_RUNS`` (default ``benchmarks/runs/``, ignored by git)
is reused; a recipe without one is trained there first with ``dlpath train``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RUNS = Path(os.environ.get("DLPATH_BENCH_RUNS") or Path(__file__).parent / "runs")


def trained_run(recipe: str) -> Path:
    """The folder of a finished run of ``recipe`` (one with its final ``model.keras``),
    training one in full with ``dlpath train RECIPE`` if there is none."""
    from dlpath.workflow.run import run_folders

    finished = [run.path for run in run_folders(RUNS)
                if run.read_config().get("recipe") == recipe
                and (run.path / "model.keras").is_file()]
    if finished:
        return Path(finished[-1])
    RUNS.mkdir(parents=True, exist_ok=True)
    print(f"training {recipe} into {RUNS} (once; later runs reuse it)", flush=True)
    subprocess.run([sys.executable, "-m", "dlpath", "train", recipe],
                   check=True, env={**os.environ, "DLPATH_RUNS": str(RUNS)})
    return trained_run(recipe)
