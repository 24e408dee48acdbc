"""``dlpath export``: a run's model (or a saved .keras file) as an ONNX file.

    dlpath export RUN|MODEL_FILE [--format onnx] [--out FILE]

RUN is resolved as by the other run commands (a run folder, a run's name, or a recipe's
name for its newest run); the run's ``model.keras`` is exported, or its checkpoint when the
run has no final model. The file goes to ``<run>/model.onnx`` (or beside MODEL_FILE, with
the suffix .onnx) unless ``--out`` names another.
"""

from __future__ import annotations

import sys
from pathlib import Path

FORMATS = ("onnx",)


def _source(target: str):
    """(saved model file, default output file) for a model file or a run."""
    from dlpath.workflow import RunFolder, WorkflowError

    path = Path(target)
    if path.is_file():
        return path, path.with_suffix(".onnx")
    folder = RunFolder.find(target)
    model = folder.model if folder.model.is_file() else folder.checkpoint
    if not model.is_file():
        raise WorkflowError(f"{folder.path} has no model.keras and no checkpoint to export")
    if model == folder.checkpoint:
        print(f"note: no final model; exporting the checkpoint {model}", file=sys.stderr)
    return model, folder.path / "model.onnx"


def cmd_export(args) -> int:
    from dlpath.export import to_onnx
    from dlpath.saving import load_model

    source, default_out = _source(args.target)
    out = Path(args.out) if args.out else default_out
    written = to_onnx(load_model(source), out)
    print(f"exported {source} to {written} ({args.format})")
    return 0


def add_parser(commands, parents) -> None:
    sub = commands.add_parser("export", parents=parents, help="export a run's model to ONNX",
                              description="Write a run's model (or a saved .keras model) as "
                              "an ONNX file, checked by onnx and runnable by onnxruntime.")
    sub.add_argument("target", metavar="RUN|MODEL_FILE",
                     help="a run folder, a run's name, a recipe's name for its newest run, "
                     "or a saved model file")
    sub.add_argument("--format", choices=FORMATS, default="onnx",
                     help="the export format (only onnx)")
    sub.add_argument("--out", metavar="FILE",
                     help="the file to write (default: model.onnx in the run folder, or the "
                     "model file with the suffix .onnx)")
    sub.set_defaults(handler=cmd_export)
