"""``dlpath train``: make a run folder, fit a recipe's model, checkpoint, evaluate, report.

train(recipe) and resume(run folder) share the same steps:

1. Resolve the recipe and its config (command-line settings checked against the dataclass).
2. Seed dlpath's generator, load the data, build the model (or load the checkpoint and
   restore the generator's state, to resume).
3. Fit, with callbacks that rewrite the metrics files and ``checkpoints/last.keras`` when
   training begins and at each epoch's end. Ctrl-C stops after leaving that checkpoint.
4. Evaluate on the test split, write ``test_predictions.npz``, ``test_metrics.json``,
   ``timing.json``, ``explanations/`` (image classifiers) and the report, and save
   ``model.keras`` last: a run with a ``model.keras`` is finished. Resuming a run whose
   epochs are all done but which has no ``model.keras`` (stopped during this step) does
   this step only.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dlpath import random as dlrandom
from dlpath.recipes import get_recipe
from dlpath.workflow import checkpoint, environment, evaluation, files
from dlpath.workflow.callbacks import EpochCheckpoint, MetricsLogger
from dlpath.workflow.errors import UsageError, WorkflowError

RUNS_ENV = "DLPATH_RUNS"
DEFAULT_RUNS_DIR = "runs"
# A run folder's name: <recipe>-<YYYYmmdd>-<HHMMSS>, then -2, -3, ... when taken.
_RUN_NAME = re.compile(r"-(\d{8})-(\d{6})(?:-(\d+))?$")


def runs_dir(explicit=None) -> Path:
    """``explicit``, else ``$DLPATH_RUNS``, else ``./runs``."""
    return Path(explicit or os.environ.get(RUNS_ENV) or DEFAULT_RUNS_DIR)


class Interrupted(Exception):
    """Training was stopped with Ctrl-C; ``advice()`` says how to go on with ``folder``."""

    def __init__(self, folder, epochs_done: int, epochs: int):
        super().__init__(f"interrupted after {epochs_done} of {epochs} epoch(s)")
        self.folder, self.epochs_done, self.epochs = folder, epochs_done, epochs

    def advice(self) -> str:
        """One sentence: what the run folder keeps and the command that continues it."""
        path = self.folder.path
        if not self.folder.checkpoint.is_file():
            recipe = self.folder.read_config().get("recipe", "RECIPE")
            return (f"{path} has no checkpoint yet, so there is nothing to resume; start "
                    f"again with: dlpath train {recipe}")
        if self.epochs_done >= self.epochs:
            return (f"all {self.epochs} epochs are trained; finish the run (evaluate, "
                    f"report) with: dlpath train --resume {path}")
        kept = ("the initial weights" if self.epochs_done == 0 else
                f"the checkpoint after epoch {self.epochs_done} of {self.epochs}")
        return f"{path} keeps {kept}. Resume with: dlpath train --resume {path}"


class RunFolder:
    """The files of one run, by name."""

    def __init__(self, path):
        self.path = Path(path)
        self.config = self.path / "config.json"
        self.metrics_csv = self.path / "metrics.csv"
        self.metrics_json = self.path / "metrics.json"
        self.checkpoint = self.path / "checkpoints" / "last.keras"
        self.model = self.path / "model.keras"
        self.test_metrics = self.path / "test_metrics.json"
        self.predictions = self.path / evaluation.PREDICTIONS_FILE
        self.timing = self.path / "timing.json"
        self.report = self.path / "report.html"

    def model_file(self, purpose: str = "use") -> Path:
        """The run's final ``model.keras``, else its last checkpoint (saying so on stderr:
        the run stopped before it finished), else a `WorkflowError`; ``purpose`` words
        the note and the error ("export", "serve")."""
        if self.model.is_file():
            return self.model
        if not self.checkpoint.is_file():
            raise WorkflowError(f"{self.path} has no model.keras and no checkpoint to "
                                f"{purpose}")
        print(f"note: no final model; using the checkpoint {self.checkpoint} to {purpose}",
              file=sys.stderr)
        return self.checkpoint

    @classmethod
    def create(cls, parent, recipe_name: str) -> "RunFolder":
        """A new folder ``<parent>/<recipe>-<YYYYmmdd-HHMMSS>`` (``-2``, ... if taken)."""
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        parent = Path(parent)
        parent.mkdir(parents=True, exist_ok=True)
        path, count = parent / f"{recipe_name}-{stamp}", 1
        while True:
            try:
                path.mkdir()
                break
            except FileExistsError:
                count += 1
                path = parent / f"{recipe_name}-{stamp}-{count}"
        (path / "checkpoints").mkdir()
        return cls(path)

    @classmethod
    def open(cls, path) -> "RunFolder":
        """An existing run folder; a clear error when ``path`` is not one."""
        folder = cls(path)
        if not folder.config.is_file():
            raise WorkflowError(f"{path} is not a run folder (no config.json); list runs "
                                f"with 'dlpath runs'")
        return folder

    @classmethod
    def find(cls, name, parent=None) -> "RunFolder":
        """The run ``name``: a run folder, a run's name in the runs folder ``parent`` (as
        ``dlpath runs`` prints it), or a recipe's name for its newest run there."""
        path = Path(name)
        if (path / "config.json").is_file():
            return cls(path)
        parent = runs_dir(parent)
        if path.name == str(name) and (parent / name / "config.json").is_file():
            return cls(parent / name)
        newest = [run for run in run_folders(parent)
                  if run.read_config().get("recipe") == name]
        if newest:
            return newest[-1]
        if path.exists():
            return cls.open(path)  # the error: a folder, but not a run folder
        raise WorkflowError(f"no run '{name}': no such run folder, and no run or recipe of "
                            f"that name in {parent}; list runs with 'dlpath runs'")

    def __fspath__(self) -> str:
        return str(self.path)

    def read_config(self) -> dict:
        return files.read_json(self.config)

    def read_metrics(self) -> list:
        return files.read_json(self.metrics_json) if self.metrics_json.is_file() else []


def run_folders(parent: Path) -> list:
    """The run folders in ``parent``, oldest first (by the time in their names)."""
    if not parent.is_dir():
        return []
    runs = [RunFolder(path) for path in parent.iterdir() if (path / "config.json").is_file()]
    return sorted(runs, key=lambda run: _name_order(run.path.name))


def _name_order(name: str) -> tuple:
    """``<recipe>-<YYYYmmdd>-<HHMMSS>[-N]`` -> (time, N, name), to sort runs by time."""
    match = _RUN_NAME.search(name)
    if match is None:
        return ("", 0, name)
    return (match[1] + match[2], int(match[3] or 1), name)


@dataclass
class Run:
    """What a recipe's ``train(run, config, data)`` gets: the model and how to fit it."""

    folder: RunFolder
    model: object
    callbacks: list = field(default_factory=list)
    initial_epoch: int = 0
    verbose: int = 1


# ---------------------------------------------------------------- step 1: recipe and config
def resolve(recipe_name: str, overrides: dict):
    """``(recipe, config)``; unknown recipes and bad settings raise `UsageError`."""
    try:
        recipe = get_recipe(recipe_name)
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    try:
        config = recipe.make_config(overrides)
    except ValueError as error:
        raise UsageError(str(error)) from None
    for name in ("epochs", "batch_size"):
        if getattr(config, name) < 1:
            raise UsageError(f"setting '{name}' must be at least 1, got "
                             f"{getattr(config, name)}")
    return recipe, config


# ---------------------------------------------------------------- the two entry points
def train(recipe_name: str, overrides: dict, parent=None, verbose: int = 1,
          log=print) -> RunFolder:
    """Train ``recipe_name`` in a new run folder under ``parent``; returns the folder."""
    recipe, config = resolve(recipe_name, overrides)
    workers = _workers(recipe, log)  # one, or the MPI ranks of `dlpath train --workers N`
    log = workers.log
    # 2. Seed, data, model.
    dlrandom.set_seed(config.seed)
    data = recipe.load_data(config)
    model = workers.prepare(recipe.build_model(config, data))
    folder = workers.run_folder(lambda: RunFolder.create(runs_dir(parent), recipe.name),
                                RunFolder)
    log(f"run folder: {folder.path}")
    workers.write_json(folder.config, {
        "recipe": recipe.name, "config": dataclasses.asdict(config),
        "data": {"kind": data.kind, "class_names": list(data.class_names),
                 "sizes": {name: len(getattr(data, name)[1])
                           for name in ("train", "validation", "test")}},
        "environment": environment.describe(config.seed),
        "created": datetime.datetime.now().isoformat(timespec="seconds")})
    return _fit_and_finish(folder, recipe, config, data, model, 0, [], verbose, log)


def resume(run_dir, epochs: int | None = None, verbose: int = 1, log=print,
           parent=None) -> RunFolder:
    """Continue a run from ``checkpoints/last.keras``, up to ``epochs`` (default: its own).

    ``run_dir`` is anything `RunFolder.find` accepts (a name is looked for in ``parent``).
    A run whose epochs are all trained but which has no ``model.keras`` is finished:
    evaluated and reported.
    """
    folder = RunFolder.find(run_dir, parent)
    saved = folder.read_config()
    overrides = dict(saved["config"])
    if epochs is not None:
        overrides["epochs"] = epochs
    recipe, config = resolve(saved["recipe"], overrides)
    workers = _workers(recipe, log)
    log = workers.log
    if not folder.checkpoint.is_file():
        raise WorkflowError(f"{folder.path} has no checkpoint to resume from "
                            f"({folder.checkpoint} is missing); start again with: "
                            f"dlpath train {recipe.name}")
    # 2. Seed and data as in the first run; the model and generator state from the checkpoint.
    dlrandom.set_seed(config.seed)
    data = recipe.load_data(config)
    model, state = checkpoint.load(folder.checkpoint)
    model = workers.prepare(model)  # a checkpoint resumes under any number of workers
    checkpoint.restore_random_state(state)
    done = int(state["epochs_done"])
    rows = [row for row in folder.read_metrics() if row["epoch"] <= done]
    if done >= config.epochs and folder.model.is_file():
        raise WorkflowError(f"{folder.path} has already trained {done} of {config.epochs} "
                            f"epochs; pass --epochs N (N > {done}) to train longer")
    if done >= config.epochs and not workers.is_root:
        return folder
    if done >= config.epochs:
        log(f"finishing {folder.path}: all {done} epochs are trained; evaluating and "
            f"writing the report")
        return _finish(folder, recipe, config, data, model, rows, _seconds(rows), log)
    log(f"resuming {folder.path} at epoch {done + 1}/{config.epochs}")
    saved["config"] = dataclasses.asdict(config)
    workers.write_json(folder.config, saved)
    return _fit_and_finish(folder, recipe, config, data, model, done, rows, verbose, log)


# ---------------------------------------------------------------- steps 3 and 4
def _fit_and_finish(folder, recipe, config, data, model, initial_epoch, rows, verbose, log):
    earlier = _seconds(rows)  # the epochs of earlier sessions of a resumed run
    logger = MetricsLogger(folder.metrics_csv, folder.metrics_json, rows)
    workers = _workers(recipe, log)  # rank 0 alone writes the metrics and checkpoints
    run = Run(folder=folder, model=model, initial_epoch=initial_epoch, verbose=verbose,
              callbacks=[logger, EpochCheckpoint(folder.checkpoint, initial_epoch)]
              if workers.is_root else [])
    # 3. Fit; Ctrl-C keeps the checkpoint of the last completed epoch (or the initial one).
    started = time.perf_counter()
    try:
        recipe.train(run, config, data)
    except KeyboardInterrupt:
        raise Interrupted(folder, len(logger.rows), config.epochs) from None
    if not workers.is_root:
        return folder
    return _finish(folder, recipe, config, data, model, logger.rows,
                   earlier + time.perf_counter() - started, log)


def _workers(recipe, log):
    from dlpath.distributed.runs import Workers

    return Workers.start(recipe, log)


def _seconds(rows: list) -> float:
    return sum(row["seconds"] for row in rows)


def _finish(folder, recipe, config, data, model, rows, train_seconds, log):
    """Step 4: test predictions and metrics, timing, report, then ``model.keras``.

    ``train_seconds`` is the training time of all the run's sessions.
    """
    try:
        started = time.perf_counter()
        result = None
        if evaluation.is_classifier(model, data):
            result = evaluation.evaluate(model, data, config.batch_size)
            evaluation.save(result, folder.predictions)
            files.write_json(folder.test_metrics, result.metrics)
            log("test: " + "  ".join(f"{k} {v:.4f}" for k, v in result.metrics.items()))
        files.write_json(folder.timing, {
            "train_seconds": round(train_seconds, 3), "epochs": len(rows),
            "seconds_per_epoch": round(_seconds(rows) / max(len(rows), 1), 3),
            "evaluate_seconds": round(time.perf_counter() - started, 3),
            "finished": datetime.datetime.now().isoformat(timespec="seconds")})
        from dlpath.explain.report import write_explanations
        from dlpath.reports import write_report

        write_explanations(folder, recipe, model, result)  # explanations/, for the report
        write_report(folder, recipe, model, result)
        model.save(folder.model)
    except KeyboardInterrupt:
        raise Interrupted(folder, len(rows), config.epochs) from None
    log(f"report: {folder.report}")
    return folder
