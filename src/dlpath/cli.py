"""The ``dlpath`` command: train recipes, and evaluate, predict with, list and report runs.

    dlpath recipes                       the recipes, their data sets and expected accuracy
    dlpath train RECIPE [options]        train in a new run folder (./runs/<recipe>-<time>)
    dlpath train --resume RUN            continue an interrupted run from its checkpoint
    dlpath evaluate RUN                  test metrics, classification report, confusion matrix
    dlpath predict RUN INPUT...          class and probability for images, .npy or texts
    dlpath runs [--sort COLUMN]          past runs and their key metrics, tuning studies
    dlpath report RUN                    rebuild a run's report.html
    dlpath export RUN [--out FILE]       the run's model as an ONNX file (or a .keras file's)
    dlpath explain RUN INPUT...          attribution maps and their sanity checks (HTML)
    dlpath serve RUN [--port 8000]       serve the run's model over HTTP (REST API, web page)
    dlpath tune RECIPE --trials N        hyperparameter search with Optuna (resumable)
    dlpath path [show ID | roles | html OUT.html]   the learning path and your verified state
    dlpath progress [export FILE.json]   what is verified, when and by which check
    dlpath lab list|start|check|hint|solution|watch|notebook   labs that verify the skills
    dlpath quiz STAGE                    a stage's quiz

RUN is a run folder, a run's name as ``dlpath runs`` prints it, or a recipe's name for its
newest run (in ./runs or $DLPATH_RUNS). Exit codes: 0 ok, 1 error, 2 usage error, 130
interrupted. Errors are one line on stderr;
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

    if args.workers is not None:  # data parallelism: mpiexec -n N dlpath train ...
        from dlpath.distributed.launch import train_workers

        launched = train_workers(args.workers, getattr(args, "argv", None))
        if launched is not None:
            return launched
    if args.resume:
        if args.recipe or args.settings or any(
                getattr(args, name) is not None for name in ("batch_size", "lr", "seed")):
            raise workflow.UsageError("--resume continues a run with its own settings; give "
                                      "only RUN and, to train longer, --epochs")
        workflow.resume(args.resume, epochs=args.epochs, verbose=args.verbose,
                        parent=args.out)
        return EXIT_OK
    if not args.recipe:
        raise workflow.UsageError("train needs a RECIPE (see 'dlpath recipes') or --resume "
                                  "RUN")
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


def _open_run(run, with_data=True):
    """``(folder, recipe, config, data, model)`` of a finished (or checkpointed) run;
    ``data`` is None unless ``with_data``."""
    from dlpath.saving import load_model
    from dlpath.workflow import RunFolder
    from dlpath.workflow.run import resolve

    folder = RunFolder.find(run)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved["config"])
    path = folder.model_file()
    data = _load_data(recipe, config) if with_data else None
    return folder, recipe, config, data, load_model(path)


def _load_data(recipe, config):
    """The run's data splits, drawn with its seed as when it was trained."""
    from dlpath import random as dlrandom

    dlrandom.set_seed(config.seed)
    return recipe.load_data(config)


def cmd_evaluate(args) -> int:
    from dlpath.workflow import evaluation

    folder, recipe, config, data, model = _open_run(args.run)
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
    from dlpath.workflow import RunFolder, evaluation
    from dlpath.workflow.predict import load_inputs, print_readings
    from dlpath.workflow.run import resolve

    folder = RunFolder.find(args.run)
    saved = folder.read_config()
    recipe, config = resolve(saved["recipe"], saved["config"])
    model = load_model(folder.model_file("predict"))
    labels, x = load_inputs(recipe, config, saved["data"]["kind"], args.inputs)
    outputs = model.predict(x, verbose=0)
    if print_readings(recipe, labels, outputs):  # a sequence reader: the text it read
        return EXIT_OK
    probabilities = evaluation.class_probabilities(outputs)
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
    runs, studies = listing.collect(parent), listing.collect_studies(parent)
    if args.sort:
        runs = listing.sort(runs, args.sort)  # an unknown column is a usage error
    if not runs and not studies:
        print(f"no runs in {parent}")
        return EXIT_OK
    if runs:
        print(listing.table(runs, extra=args.sort))
    if runs and studies:
        print()
    if studies:
        print("tuning studies (dlpath tune):")
        print(listing.studies_table(studies))
    return EXIT_OK


def cmd_report(args) -> int:
    """Rebuild the report from the saved test predictions (no data, no model run); a run
    without them (stopped before its evaluation) is evaluated from its checkpoint."""
    from dlpath.reports import write_report
    from dlpath.workflow import evaluation, files

    folder, recipe, config, data, model = _open_run(args.run, with_data=False)
    saved = folder.read_config()
    result = None
    if folder.predictions.is_file() and folder.test_metrics.is_file():
        result = evaluation.load(folder.predictions, files.read_json(folder.test_metrics),
                                 saved["data"]["class_names"], saved["data"]["kind"])
    elif not folder.timing.is_file() or folder.test_metrics.is_file():
        # Unfinished, or made before predictions were saved: evaluate on the test split.
        # (A finished run without test metrics is no classifier: nothing to evaluate.)
        data = _load_data(recipe, config)
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


RUN_HELP = ("a run folder, a run's name as 'dlpath runs' prints it, or a recipe's name for "
            "its newest run")


def _version() -> str:
    from dlpath import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true",
                        help="show the full traceback on errors")
    parser = argparse.ArgumentParser(
        prog="dlpath",
        description="Train dlpath's recipes, inspect their runs, and follow the learning path.",
        epilog="Runs go to ./runs (or $DLPATH_RUNS); data sets are read from $DLPATH_DATA.")
    parser.add_argument("--version", action="version", version=f"dlpath {_version()}")
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
    sub.add_argument("--resume", metavar="RUN", help="continue this run from its "
                     "checkpoint, or finish it when all its epochs are trained (" +
                     RUN_HELP + ")")
    sub.add_argument("--verbose", type=_verbosity, default=1, metavar="0|1|2",
                     help="0 silent, 1 progress bar, 2 one line per epoch")
    sub.add_argument("--workers", type=int, metavar="N", help="train data-parallel on N "
                     "MPI processes (mpiexec); --batch-size stays the global batch")
    sub.set_defaults(handler=cmd_train)

    sub = commands.add_parser("evaluate", parents=[common], help="test metrics of a run")
    sub.add_argument("run", metavar="RUN", help=RUN_HELP)
    sub.set_defaults(handler=cmd_evaluate)

    sub = commands.add_parser("predict", parents=[common], help="classify inputs with a run",
                              description="Print the predicted class and its probability "
                              "for image files, .npy arrays or texts (text recipes).")
    sub.add_argument("run", metavar="RUN", help=RUN_HELP)
    sub.add_argument("inputs", nargs="+", metavar="INPUT")
    sub.set_defaults(handler=cmd_predict)

    sub = commands.add_parser("runs", parents=[common], help="list past runs and tuning "
                              "studies")
    sub.add_argument("--sort", metavar="COLUMN", help="sort by this column: a metric best "
                     "first (e.g. test_accuracy, val_loss), or run, recipe, status")
    sub.add_argument("--dir", metavar="DIR", help="runs folder (default ./runs or "
                     "$DLPATH_RUNS)")
    sub.set_defaults(handler=cmd_runs)

    sub = commands.add_parser("report", parents=[common], help="rebuild a run's report")
    sub.add_argument("run", metavar="RUN", help=RUN_HELP)
    sub.set_defaults(handler=cmd_report)

    from dlpath.commands import export as export_verb

    export_verb.add_parser(commands, parents=[common])  # dlpath export RUN|MODEL_FILE

    from dlpath.commands import explain as explain_verb

    explain_verb.add_parser(commands, parents=[common])  # dlpath explain RUN INPUT...

    from dlpath.commands import serve as serve_verb

    serve_verb.add_parser(commands, parents=[common])  # dlpath serve RUN_DIR|MODEL_FILE

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
    args.argv = list(sys.argv[1:] if argv is None else argv)  # what --workers relaunches
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
        print(f"\ndlpath: interrupted; {stop.advice()}", file=sys.stderr)
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
