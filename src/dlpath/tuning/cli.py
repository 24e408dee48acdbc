"""``dlpath tune RECIPE --trials N``: search a recipe's hyperparameters with Optuna.

    dlpath tune digits-mlp --trials 20 --epochs 5
    dlpath tune mnist-cnn --trials 10 --timeout 1800 --set train_limit=10000

Each trial trains the recipe and scores it by its best epoch's validation accuracy (the
recipe's ``tuning_monitor``), which the search maximizes. Trials are stored in ``--storage``
(default ``sqlite:///<runs dir>/tune-<recipe>.db``) under ``--study-name`` (default
``tune-<recipe>``); running the same command again resumes the search, and a resume with
other settings is refused. The best trial is printed, the report is written to
``<runs dir>/<study name>/`` and ``dlpath runs`` lists the study.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(commands, parents=()) -> argparse.ArgumentParser:
    """Add the ``tune`` sub-command to the ``dlpath`` parser's ``commands``."""
    sub = commands.add_parser("tune", parents=list(parents), help="search hyperparameters",
                              description="Search RECIPE's hyperparameters with Optuna, "
                              "maximizing each trial's best validation accuracy; the same "
                              "command again resumes the search.")
    sub.add_argument("recipe", metavar="RECIPE", help="recipe name")
    sub.add_argument("--trials", type=int, required=True, help="number of trials to add")
    sub.add_argument("--timeout", type=float, metavar="S", help="stop starting trials "
                     "after S seconds")
    sub.add_argument("--storage", metavar="URL", help="Optuna storage (default "
                     "sqlite:///<runs dir>/tune-<recipe>.db)")
    sub.add_argument("--study-name", dest="study_name", metavar="NAME",
                     help="study name (default tune-<recipe>)")
    sub.add_argument("--epochs", type=int, help="epochs per trial")
    sub.add_argument("--set", action="append", dest="settings", metavar="KEY=VALUE",
                     default=[], help="a fixed recipe setting, e.g. --set train_limit=256")
    sub.add_argument("--out", metavar="DIR", help="runs folder (default ./runs or "
                     "$DLPATH_RUNS)")
    sub.add_argument("--verbose", type=int, choices=(0, 1, 2), default=0,
                     help="fit's verbosity inside each trial (default 0)")
    sub.set_defaults(handler=cmd_tune)
    return sub


def cmd_tune(args, log=print) -> int:
    """Run the search that ``args`` describe; prints the best trial; returns 0."""
    from dlpath.cli import parse_settings
    from dlpath.tuning.report import write_summary, write_tuning_report
    from dlpath.tuning.search import best_trial_or_none, format_params, monitor_of, tune
    from dlpath.workflow import UsageError
    from dlpath.workflow.run import resolve, runs_dir

    if args.trials < 1:
        raise UsageError(f"--trials must be at least 1, got {args.trials}")
    fixed = parse_settings(args.settings)
    if args.epochs is not None:
        fixed["epochs"] = args.epochs
    recipe, _ = resolve(args.recipe, fixed)  # unknown recipe or setting: a usage error
    monitor = monitor_of(recipe)
    if monitor is None:
        raise UsageError(f"recipe '{recipe.name}' has no validation accuracy to maximize, "
                         f"so it cannot be tuned")
    parent = runs_dir(args.out)
    parent.mkdir(parents=True, exist_ok=True)
    storage = args.storage or f"sqlite:///{(parent / f'tune-{recipe.name}.db').resolve()}"
    study_name = args.study_name or f"tune-{recipe.name}"
    folder = parent / study_name
    log(f"study {study_name} in {storage}")
    log(f"maximizing {monitor}: each trial's best epoch")
    study = tune(recipe, args.trials, storage, study_name, fixed=fixed, timeout=args.timeout,
                 verbose=args.verbose, log=log,
                 after_trial=lambda study, trial: write_summary(study, folder))
    best = best_trial_or_none(study)
    if best is None:
        log(f"no trial completed ({len(study.trials)} in the study)")
    else:
        log(f"best trial {best.number}: {monitor} {best.value:.4f}; "
            f"{format_params(best.params)}")
    report = write_tuning_report(study, folder)
    log(f"report: {report}")
    return 0


def main(argv=None) -> int:
    """``dlpath tune ...`` on its own: ``python -m dlpath.tuning RECIPE --trials N``."""
    from dlpath import cli

    return cli.main(["tune", *(sys.argv[1:] if argv is None else argv)])
