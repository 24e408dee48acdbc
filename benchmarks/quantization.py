"""int8 against float for the trained recipe models: file size, accuracy, latency.

    .venv/bin/python benchmarks/quantization.py [--recipes mnist-cnn,cifar10-cnn,imdb-lstm]
        [--test-samples 2000] [--calibration-samples 500] [--repeats 7]

For each recipe, the newest finished run under benchmarks/runs/ (`trained_runs`) is
quantized after training:

1. static int8 (mnist-cnn, cifar10-cnn): calibrated by min-max on the first
   ``--calibration-samples`` training samples, in dlpath (`quantize_model`) and as the
   QDQ ONNX graph of the same integers (onnxruntime);
   dynamic int8 (imdb-lstm): `quantize_dynamic` in dlpath, onnxruntime's
   ``quantize_dynamic`` on the float ONNX export.
2. Sizes: the float model file (.keras without optimizer state) against the int8 file
   (`QuantizedModel.save`), and the float against the int8 ONNX file.
3. Accuracy on the first ``--test-samples`` test samples, float and int8, both runtimes.
4. Latency at batch 1 and 256: the median of ``--repeats`` timed calls after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DLPATH_DATA", str(Path("/work/shared/data")))

from trained_runs import trained_run  # noqa: E402

STATIC = ("mnist-cnn", "cifar10-cnn")


def median_ms(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def accuracy(pred, y) -> float:
    pred = np.asarray(pred)
    labels = (pred[:, 0] > 0.5).astype(int) if pred.shape[-1] == 1 else pred.argmax(-1)
    return float((labels == np.ravel(y)).mean())


def load(recipe_name: str, calibration: int, test: int):
    from dlpath.recipes import get_recipe
    from dlpath.saving import load_model
    from dlpath.workflow import RunFolder

    folder = RunFolder(trained_run(recipe_name))
    saved = folder.read_config()
    recipe = get_recipe(recipe_name)
    config = recipe.make_config({**saved["config"], "train_limit": calibration,
                                 "eval_limit": test})
    data = recipe.load_data(config)
    return load_model(folder.model, compile=False), data.train[0], data.test


def measure(recipe_name: str, args, folder: Path) -> dict:
    import onnxruntime as ort

    from dlpath.export import to_onnx
    from dlpath.export.quantization import quantize_dynamic, quantize_model
    from dlpath.export.quantization.onnx_dynamic import quantize_onnx_dynamic

    model, x_cal, (x_test, y_test) = load(recipe_name, args.calibration_samples,
                                          args.test_samples)
    # 1. Quantize, in dlpath and in ONNX.
    float_onnx = to_onnx(model, folder / f"{recipe_name}.onnx")
    int8_onnx = folder / f"{recipe_name}.int8.onnx"
    if recipe_name in STATIC:
        qmodel = quantize_model(model, x_cal, method="minmax")
        to_onnx(qmodel, int8_onnx)
    else:
        qmodel = quantize_dynamic(model)
        quantize_onnx_dynamic(float_onnx, int8_onnx)
    # 2. Sizes.
    model.save(folder / f"{recipe_name}.keras", include_optimizer=False)
    qmodel.save(folder / f"{recipe_name}.int8.zip")
    size = {"float": (folder / f"{recipe_name}.keras").stat().st_size,
            "int8": (folder / f"{recipe_name}.int8.zip").stat().st_size,
            "onnx float": float_onnx.stat().st_size, "onnx int8": int8_onnx.stat().st_size}
    sessions = {kind: ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
                for kind, path in (("float", float_onnx), ("int8", int8_onnx))}
    name = sessions["float"].get_inputs()[0].name
    runners = {
        "dlpath float": lambda x: model.predict(x, batch_size=len(x), verbose=0),
        "dlpath int8": lambda x: qmodel.predict(x, batch_size=len(x)),
        "ort float": lambda x: sessions["float"].run(None, {name: x})[0],
        "ort int8": lambda x: sessions["int8"].run(None, {name: x})[0],
    }
    # 3. Accuracy, in batches of 256.
    acc = {}
    for key, fn in runners.items():
        pred = np.concatenate([fn(x_test[i:i + 256]) for i in range(0, len(x_test), 256)])
        acc[key] = accuracy(pred, y_test)
    # 4. Latency.
    latency = {key: {batch: median_ms(lambda: fn(x_test[:batch]), args.repeats)
                     for batch in (1, 256)} for key, fn in runners.items()}
    return {"size": size, "accuracy": acc, "latency": latency, "test": len(x_test),
            "mode": qmodel.mode}


def print_table(results: dict) -> None:
    print(f"{'recipe':<12} {'runtime':<19} {'size KB':>9} {'ratio':>6} {'accuracy':>9} "
          f"{'lost pts':>8} {'ms @1':>8} {'ms @256':>9}")
    for recipe, r in results.items():
        size = r["size"]
        for key in ("dlpath float", "dlpath int8", "ort float", "ort int8"):
            runtime, kind = key.split()
            file_key = kind if runtime == "dlpath" else f"onnx {kind}"
            float_key = "float" if runtime == "dlpath" else "onnx float"
            ratio = size[file_key] / size[float_key]
            lost = 100 * (r["accuracy"][f"{runtime} float"] - r["accuracy"][key])
            label = key if kind == "float" else f"{key} ({r['mode'][:3]})"
            print(f"{recipe:<12} {label:<19} {size[file_key] / 1024:>9.1f} {ratio:>6.2f} "
                  f"{r['accuracy'][key]:>9.4f} {lost:>8.2f} "
                  f"{r['latency'][key][1]:>8.2f} {r['latency'][key][256]:>9.1f}")
    print(f"(accuracy on the first {next(iter(results.values()))['test']} test samples; "
          f"latency: median of the repeats; size ratio: int8 file / float file)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", default="mnist-cnn,cifar10-cnn,imdb-lstm")
    parser.add_argument("--test-samples", type=int, default=2000)
    parser.add_argument("--calibration-samples", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for recipe in args.recipes.split(","):
            print(f"measuring {recipe} ...", flush=True)
            results[recipe] = measure(recipe, args, Path(folder))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
