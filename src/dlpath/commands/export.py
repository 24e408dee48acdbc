"""``dlpath export``: a run's model (or a saved .keras file) as an ONNX file.

    dlpath export RUN|MODEL_FILE [--format onnx] [--out FILE]
                  [--quantize int8|dynamic] [--calibration-samples N]

RUN is resolved as by the other run commands (a run folder, a run's name, or a recipe's
name for its newest run); the run's ``model.keras`` is exported, or its checkpoint when the
run has no final model. The file goes to ``<run>/model.onnx`` (or beside MODEL_FILE, with
the suffix .onnx) unless ``--out`` names another.

``--quantize int8`` writes the model quantized to int8 (QDQ form, `dlpath.export.quantization`)
to ``model.int8.onnx``, calibrated on the first N (``--calibration-samples``, default 500)
training samples of the run's recipe, loaded as the run loaded them. ``--quantize dynamic``
applies onnxruntime's dynamic quantization to the float export (for LSTM and Dense text
models) and needs no data.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("onnx",)
QUANTIZE = ("int8", "dynamic")


def _source(target: str):
    """(saved model file, default output file) for a model file or a run."""
    from dlpath.workflow import RunFolder

    path = Path(target)
    if path.is_file():
        return path, path.with_suffix(".onnx")
    folder = RunFolder.find(target)
    return folder.model_file("export"), folder.path / "model.onnx"


def calibration_samples(target: str, count: int):
    """The first ``count`` training inputs of the run ``target``'s recipe, prepared as
    the run prepared them (its saved config)."""
    from dlpath.recipes import get_recipe
    from dlpath.workflow import RunFolder, UsageError

    if Path(target).is_file():
        raise UsageError(f"--quantize int8 calibrates on a run's training data; {target} is "
                         f"a model file: give its run folder (or use --quantize dynamic)")
    if count < 1:
        raise UsageError(f"--calibration-samples must be at least 1, got {count}")
    saved = RunFolder.find(target).read_config()
    recipe = get_recipe(saved["recipe"])
    config = recipe.make_config({**saved.get("config", {}), "train_limit": count,
                                 "eval_limit": 1})
    x = recipe.load_data(config).train[0]
    return x[:count]


def cmd_export(args) -> int:
    from dlpath.export import to_onnx
    from dlpath.saving import load_model

    source, default_out = _source(args.target)
    if args.quantize:
        default_out = default_out.with_suffix(".int8.onnx")
    out = Path(args.out) if args.out else default_out
    model = load_model(source)
    if args.quantize == "int8":
        samples = calibration_samples(args.target, args.calibration_samples)
        written = to_onnx(model, out, quantize="int8", calibration_data=samples)
        detail = f"int8, calibrated on {len(samples)} training samples"
    elif args.quantize == "dynamic":
        from dlpath.export.quantization.onnx_dynamic import quantize_onnx_dynamic

        float_out = out.with_name(f".{out.name}.float.onnx")
        try:
            quantize_onnx_dynamic(to_onnx(model, float_out), out)
        finally:
            float_out.unlink(missing_ok=True)
        written, detail = out, "dynamic int8"
    else:
        written, detail = to_onnx(model, out), args.format
    print(f"exported {source} to {written} ({detail})")
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
    sub.add_argument("--quantize", choices=QUANTIZE,
                     help="int8: static int8 (QDQ), calibrated on the run's training data; "
                     "dynamic: int8 weights, activations quantized at run time")
    sub.add_argument("--calibration-samples", type=int, default=500, metavar="N",
                     help="training samples to calibrate int8 on (default 500)")
    sub.set_defaults(handler=cmd_export)
