"""Pruned and distilled models: test accuracy and compressed file size against the originals.

Pruning: each trained run of mnist-cnn, cifar10-cnn and imdb-lstm (`trained_runs`) is
fine-tuned for ``--epochs`` epochs (default: 2; cifar10-cnn 6, imdb-lstm 1) while its kernels
are pruned with Zhu & Gupta's polynomial schedule from 0 to 50, 80 and 90 % over the first
two thirds of the steps (`dlpath.export.pruning.training_callback`); the run's own
optimizer state and learning rate go on. Sizes are of ``.keras`` files saved without the
optimizer: as saved (weights stored uncompressed) and with every member deflated
(``zipfile.ZIP_DEFLATED``). imdb-lstm is also pruned with its embedding (the default prunes
kernels only).

Distillation: the mnist-cnn-distilled recipe (default settings) with the trained mnist-cnn
as teacher: the distilled student against the same student trained alone.

    python benchmarks/pruning_distillation.py [--only pruning|distillation] [--epochs N]
        [--recipes mnist-cnn,cifar10-cnn,imdb-lstm]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trained_runs import trained_run  # noqa: E402

from dlpath import keras  # noqa: E402
from dlpath import random as dlrandom  # noqa: E402
from dlpath.export.pruning import (PruningCallback, deflated_size,  # noqa: E402
                                   sparsity_report, training_callback)
from dlpath.recipes import get_recipe  # noqa: E402

RECIPES = {"mnist-cnn": 2, "cifar10-cnn": 6, "imdb-lstm": 1}  # fine-tuning epochs
SPARSITIES = (0.5, 0.8, 0.9)


def _sizes(model, folder: Path, name: str) -> tuple:
    path = folder / f"{name}.keras"
    model.save(path, include_optimizer=False)
    return os.path.getsize(path), deflated_size(path)


def _accuracy(model, data, batch_size: int) -> float:
    return model.evaluate(*data.test, batch_size=max(batch_size, 256), verbose=0,
                          return_dict=True)["accuracy"]


def _prune(model_path, data, config, sparsity, epochs, layers=None):
    """Fine-tune the trained model while pruning it to ``sparsity``."""
    model = keras.models.load_model(model_path)
    x, y = data.train
    steps = epochs * math.ceil(len(x) / config.batch_size)
    callback = training_callback(sparsity, steps)
    if layers is not None:  # the same schedule on other layers
        callback = PruningCallback(callback.schedule, layers=layers,
                                   frequency=callback.frequency)
    dlrandom.set_seed(config.seed)
    model.fit(x, y, batch_size=config.batch_size, epochs=epochs, callbacks=[callback],
              verbose=0)
    return model, callback


def pruning_rows(epochs_override=None, names=tuple(RECIPES)) -> list:
    rows = []
    for name in names:
        epochs = epochs_override or RECIPES[name]
        run = trained_run(name)
        saved = json.loads((run / "config.json").read_text())
        recipe = get_recipe(name)
        config = recipe.make_config(saved["config"])
        data = recipe.load_data(config)
        model_path = run / "model.keras"
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            base = keras.models.load_model(model_path)
            base_accuracy = _accuracy(base, data, config.batch_size)
            raw, deflated = _sizes(base, folder, "base")
            rows.append((name, "-", 0.0, base_accuracy, 0.0, raw, deflated, 0.0))
            variants = [(s, None) for s in SPARSITIES]
            if name == "imdb-lstm":
                variants.append((0.8, ["embedding", "lstm", "dense"]))
            for sparsity, layers in variants:
                started = time.perf_counter()
                model, _ = _prune(model_path, data, config, sparsity, epochs, layers)
                seconds = time.perf_counter() - started
                accuracy = _accuracy(model, data, config.batch_size)
                raw, deflated = _sizes(model, folder, f"pruned{sparsity}")
                measured = sparsity_report(model, layers)["sparsity"]
                label = f"{name} +embedding" if layers else name
                rows.append((label, f"{epochs} ep, {seconds:.0f} s", measured, accuracy,
                             accuracy - base_accuracy, raw, deflated,
                             _zeros(model)))
                print(f"  {label} {sparsity:.0%}: accuracy {accuracy:.4f}", flush=True)
    return rows


def _zeros(model) -> float:
    """The fraction of zeros among all the model's weights."""
    total = sum(int(w.size) for w in model.weights)
    return sum(int((w.data == 0).sum()) for w in model.weights) / total


def print_pruning(rows: list) -> None:
    print("\nPruning while fine-tuning (polynomial schedule), sizes without optimizer")
    header = (f"{'model':<22}{'fine-tuning':>16}{'pruned':>8}{'all zeros':>10}"
              f"{'test acc':>10}{'change':>9}{'saved KB':>10}{'deflated KB':>13}")
    print(header)
    print("-" * len(header))
    for name, how, pruned, accuracy, change, raw, deflated, zeros in rows:
        print(f"{name:<22}{how:>16}{pruned:>8.1%}{zeros:>10.1%}{accuracy:>10.4f}"
              f"{change * 100:>+8.2f}p{raw / 1024:>10.1f}{deflated / 1024:>13.1f}")


def distillation_row() -> dict:
    from dlpath.workflow.run import train

    teacher = trained_run("mnist-cnn")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        folder = train("mnist-cnn-distilled", {"teacher": str(teacher)}, parent=tmp,
                       verbose=0, log=lambda *_: None)
        extra = json.loads((folder.path / "extra_metrics.json").read_text())
        config = json.loads(folder.config.read_text())["config"]
    extra["seconds"] = time.perf_counter() - started
    extra["config"] = {k: config[k] for k in ("epochs", "alpha", "temperature",
                                              "student_filters")}
    return extra


def print_distillation(extra: dict) -> None:
    print(f"\nDistillation on MNIST ({extra['config']}, {extra['seconds']:.0f} s)")
    print(f"{'model':<28}{'weights':>9}{'test acc':>10}")
    print(f"{'teacher (mnist-cnn)':<28}{extra['teacher_weights']:>9.0f}"
          f"{extra['teacher_test_accuracy']:>10.4f}")
    print(f"{'student, distilled':<28}{extra['student_weights']:>9.0f}"
          f"{extra['distilled_test_accuracy']:>10.4f}")
    print(f"{'student alone':<28}{extra['student_weights']:>9.0f}"
          f"{extra['alone_test_accuracy']:>10.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("pruning", "distillation"))
    parser.add_argument("--epochs", type=int, default=None,
                        help="fine-tuning epochs of every recipe "
                             "(default: 2, cifar10-cnn 6, imdb-lstm 1)")
    parser.add_argument("--recipes", default=",".join(RECIPES),
                        help=f"comma-separated, from {', '.join(RECIPES)}")
    args = parser.parse_args()
    names = [n.strip() for n in args.recipes.split(",") if n.strip()]
    unknown = [n for n in names if n not in RECIPES]
    if unknown:
        parser.error(f"--recipes: unknown {unknown}; expected some of {list(RECIPES)}")
    if args.only != "distillation":
        print_pruning(pruning_rows(args.epochs, names))
    if args.only != "pruning":
        print_distillation(distillation_row())


if __name__ == "__main__":
    main()
