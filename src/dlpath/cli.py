"""The ``dlpath`` command: train recipes, and evaluate, predict with, list and report runs.

    dlpath recipes                       the recipes, their data sets and expected accuracy
    dlpath train RECIPE [options]        train in a new run folder (./runs/<recipe>-<time>)
    dlpath train --resume RUN_DIR        continue an interrupted run from its checkpoint
    dlpath evaluate RUN_DIR              test metrics, classification report, confusion matrix
    dlpath predict RUN_DIR INPUT...      class and probability for images, .npy or texts
    dlpath runs [--sort METRIC]          past runs and their key metrics
    dlpath report RUN_DIR                rebuild a run's report.html
    dlpath tune RECIPE --trials N        hyperparameter search with Optuna (resumable)
    dlpath path [show ID | roles | html OUT.html]   the learning path and your verified state
    dlpath progress [export FILE.json]   what is verified, when and by which check
    dlpath lab list|start|check|hint|solution|watch|notebook   labs that verify the skills
    dlpath quiz STAGE                    a stage's quiz

Exit codes: 0 ok, 1 error, 2 usage error, 130 interrupted. Errors are one line on stderr;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


# ---------------------------------------------------------------- the commands
def cmd_recipes(args) -> int:
    from dlpath.recipes import all_recipes

    rows = [["name", "description", "data set", "expected"]]
    for recipe in all_recipes():
        expected = ", ".join(f"{k} >= {v:g}" for k, v in recipe.expected.items())
        rows.append([recipe.name, recipe.description, recipe.dataset, expected])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
    return EXIT_OK


def cmd_train(args) -> int:
    from dlpath import workflow

    if args.resume:
        if args.recipe or args.settings or any(
                getattr(args, name) is not None for name in ("batch_size", "lr", "seed")):
            raise workflow.UsageError("--resume continues a run with its own settings; give "
                                      "only RUN_DIR and, to train longer, --epochs")
        workflow.resume(args.resume, epochs=args.epochs, verbose=args.verbose)
        return EXIT_OK
    if not args.recipe:
        raise workflow.UsageError("train needs a RECIPE (see 'dlpath recipes') or --resume "
                                  "RUN_DIR")
    overrides = parse_settings(args.settings)
    for option, key in (("epochs", "epochs"), ("batch_size", "batch_size"),
                        ("lr", "learning_rate"), ("seed", "seed")):
        if getattr(args, option) is not None:
            overrides[key] = getattr(args, option)
    workflow.train(args.recipe, overrides, parent=args.out, verbose=args.verbose)
    return EXIT_OK


def parse_settings(items) -> dict:
    """``["key=value", ...]`` -> dict; a malformed item is a usage error."""
    from dlpath.workflow import UsageError

    settings = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set expects key=value, got {item!r}")
        settings[key.strip()] = value.strip()
    return settings


def _open_run(run_dir):
    """``(folder, recipe, config, data, model)`` of a finished (or checkpointed) run."""
    from dlpath import random as dlrandom
    from dlpath.saving import load_model
    from dlpath.workflow import RunFolder
    from dlpath.workflow.run import resolve

    folder = RunFolder.open(run_dir)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved["config"])
    dlrandom.set_seed(config.seed)
    data = recipe.load_data(config)
    path = folder.model if folder.model.is_file() else folder.checkpoint
    if not path.is_file():
        from dlpath.workflow import WorkflowError

        raise WorkflowError(f"{folder.path} has no model.keras and no checkpoint")
    if path == folder.checkpoint:
        print(f"note: no final model; using the checkpoint {path}", file=sys.stderr)
    return folder, recipe, config, data, load_model(path)


def cmd_evaluate(args) -> int:
    from dlpath.workflow import evaluation

    folder, recipe, config, data, model = _open_run(args.run_dir)
    if not evaluation.is_classifier(model, data):
        from dlpath.workflow import WorkflowError

        raise WorkflowError(f"recipe '{recipe.name}' is not a single-output classifier; see "
                            f"its report and extra_metrics.json")
    result = evaluation.evaluate(model, data, config.batch_size)
    print(f"run {folder.path.name} ({recipe.name}), {len(result.y_true)} test samples")
    print("test: " + "  ".join(f"{k} {v:.4f}" for k, v in result.metrics.items()))
    print()
    print(evaluation.classification_report(result))
    print("confusion matrix:")
    print(evaluation.confusion_text(result))
    return EXIT_OK


def cmd_predict(args) -> int:
    from dlpath.saving import load_model
    from dlpath.workflow import RunFolder, WorkflowError, evaluation
    from dlpath.workflow.predict import load_inputs
    from dlpath.workflow.run import resolve

    folder = RunFolder.open(args.run_dir)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved["config"])
    path = folder.model if folder.model.is_file() else folder.checkpoint
    if not path.is_file():
        raise WorkflowError(f"{folder.path} has no model.keras and no checkpoint")
    model = load_model(path)
    labels, x = load_inputs(recipe, config, saved["data"]["kind"], args.inputs)
    probabilities = evaluation.class_probabilities(model.predict(x, verbose=0))
    names = saved["data"]["class_names"] or [str(i) for i in range(probabilities.shape[1])]
    width = max(len(label) for label in labels)
    for label, row in zip(labels, probabilities):
        best = int(row.argmax())
        print(f"{label.ljust(width)}  {names[best]}  {row[best]:.4f}")
    return EXIT_OK


def cmd_runs(args) -> int:
    from dlpath.workflow import listing
    from dlpath.workflow.run import runs_dir

    parent = runs_dir(args.dir)
    runs = listing.collect(parent)
    if not runs:
        print(f"no runs in {parent}")
        return EXIT_OK
    if args.sort:
        runs = listing.sort(runs, args.sort)
    print(listing.table(runs, extra=args.sort))
    return EXIT_OK


def cmd_report(args) -> int:
    from dlpath.reports import write_report
    from dlpath.workflow import evaluation

    folder, recipe, config, data, model = _open_run(args.run_dir)
    result = None
    if evaluation.is_classifier(model, data):
        result = evaluation.evaluate(model, data, config.batch_size)
    write_report(folder, recipe, model, result)
    print(f"report: {folder.report}")
    return EXIT_OK


# ---------------------------------------------------------------- the parser
def _verbosity(text: str) -> int:
    if text not in ("0", "1", "2"):
        raise argparse.ArgumentTypeError(f"expected 0, 1 or 2, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true",
                        help="show the full traceback on errors")
    parser = argparse.ArgumentParser(
        prog="dlpath", description="Train dlpath's recipes, inspect their runs, and follow the learning path.",
        epilog="Runs go to ./runs (or $DLPATH_RUNS); data sets are read from $DLPATH_DATA.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub = commands.add_parser("recipes", parents=[common], help="list the recipes")
    sub.set_defaults(handler=cmd_recipes)

    sub = commands.add_parser("train", parents=[common], help="train a recipe",
                              description="Train RECIPE in a new run folder, or resume one.")
    sub.add_argument("recipe", nargs="?", metavar="RECIPE", help="recipe name")
    sub.add_argument("--epochs", type=int, help="number of epochs (with --resume: the "
                     "new total)")
    sub.add_argument("--batch-size", type=int, dest="batch_size", help="batch size")
    sub.add_argument("--lr", type=float, help="learning rate")
    sub.add_argument("--seed", type=int, help="random seed")
    sub.add_argument("--set", action="append", dest="settings", metavar="KEY=VALUE",
                     default=[], help="any recipe setting, e.g. --set train_limit=256")
    sub.add_argument("--out", metavar="DIR", help="runs folder (default ./runs or "
                     "$DLPATH_RUNS)")
    sub.add_argument("--resume", metavar="RUN_DIR", help="continue this run from its "
                     "checkpoint")
    sub.add_argument("--verbose", type=_verbosity, default=1, metavar="0|1|2",
                     help="0 silent, 1 progress bar, 2 one line per epoch")
    sub.set_defaults(handler=cmd_train)

    sub = commands.add_parser("evaluate", parents=[common], help="test metrics of a run")
    sub.add_argument("run_dir", metavar="RUN_DIR")
    sub.set_defaults(handler=cmd_evaluate)

    sub = commands.add_parser("predict", parents=[common], help="classify inputs with a run",
                              description="Print the predicted class and its probability "
                              "for image files, .npy arrays or texts (text recipes).")
    sub.add_argument("run_dir", metavar="RUN_DIR")
    sub.add_argument("inputs", nargs="+", metavar="INPUT")
    sub.set_defaults(handler=cmd_predict)

    sub = commands.add_parser("runs", parents=[common], help="list past runs")
    sub.add_argument("--sort", metavar="METRIC", help="sort by this column, best first "
                     "(e.g. test_accuracy, val_loss)")
    sub.add_argument("--dir", metavar="DIR", help="runs folder (default ./runs or "
                     "$DLPATH_RUNS)")
    sub.set_defaults(handler=cmd_runs)

    sub = commands.add_parser("report", parents=[common], help="rebuild a run's report")
    sub.add_argument("run_dir", metavar="RUN_DIR")
    sub.set_defaults(handler=cmd_report)

    from dlpath.tuning.cli import add_parser as add_tune_parser

    add_tune_parser(commands, parents=[common])  # dlpath tune RECIPE --trials N

    from dlpath.commands import lab, path, progress, quiz

    for verb in (path, progress, lab, quiz):  # the learning path and its labs
        verb.add_parser(commands, parents=[common])
    return parser


# ---------------------------------------------------------------- main
def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text


def main(argv=None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from dlpath.workflow import UsageError
    from dlpath.workflow.run import Interrupted

    from dlpath.path.roadmap import UnknownId

    try:
        return args.handler(args)
    except (UsageError, UnknownId) as error:
        if args.debug:
            raise
        print(f"dlpath {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as stop:
        print(f"\ndlpath: interrupted; {stop.folder.path} keeps the checkpoint of epoch "
              f"{stop.epochs_done}. Resume with: dlpath train --resume {stop.folder.path}",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("\ndlpath: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``dlpath runs | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # every other failure: one line, the traceback with --debug
        if args.debug:
            raise
        print(f"dlpath {args.command}: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
