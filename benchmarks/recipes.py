"""Full-length recipe runs: each recipe's target metrics against its expectation, and time.

    python benchmarks/recipes.py digits-mlp mnist-mlp      # chosen recipes
    python benchmarks/recipes.py --all                     # every recipe (hours on a CPU)

Each recipe runs with its default settings through ``dlpath train`` (a run folder under
``--out``, default a temporary folder). The metrics shown are those the recipe states an
expectation for (``Recipe.expected``: test accuracy, or e.g. sequence accuracy for
ocr-digits and mAP@0.5 for mnist-detect), read from the run's test and extra metrics, plus
the character error rate and mAP@0.5:0.95 where a run records them. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from dlpath.recipes import all_recipes, get_recipe
from dlpath.recipes._run_outputs import EXTRA_METRICS_FILE
from dlpath.workflow import train

ALSO_SHOWN = ("character_error_rate", "map_50_95")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipes", nargs="*", help="recipe names (default: digits-mlp)")
    parser.add_argument("--all", action="store_true", help="run every recipe")
    parser.add_argument("--out", help="runs folder (default: a temporary folder)")
    args = parser.parse_args()
    names = [r.name for r in all_recipes()] if args.all else (args.recipes or ["digits-mlp"])
    out = args.out or tempfile.mkdtemp(prefix="dlpath-bench-")
    results = []
    for name in names:
        started = time.perf_counter()
        folder = train(name, {}, parent=out, verbose=2)
        seconds = time.perf_counter() - started
        results.append((name, _metrics(folder), seconds, folder.path))
    print(f"\n{'recipe':<20} {'metric':<22} {'value':>8} {'expected':>9} {'wall time':>10}")
    for name, metrics, seconds, path in results:
        expected = get_recipe(name).expected or {"accuracy": None}
        shown = [(key, metrics.get(key), target) for key, target in expected.items()]
        shown += [(key, metrics[key], None) for key in ALSO_SHOWN if key in metrics]
        for row, (key, value, target) in enumerate(shown):
            value = "-" if value is None else f"{value:.4f}"
            target = "-" if target is None else f"{target:g}"
            tail = f"{seconds:>9.1f}s  {path}" if row == 0 else ""
            print(f"{name if row == 0 else '':<20} {key:<22} {value:>8} {target:>9} {tail}")


def _metrics(folder) -> dict:
    """The run's test metrics and extra metrics (name -> number)."""
    metrics = {}
    for path in (folder.test_metrics, folder.path / EXTRA_METRICS_FILE):
        if path.is_file():
            metrics.update({k: v for k, v in json.loads(path.read_text()).items()
                            if isinstance(v, (int, float))})
    return metrics

if __name__ == "__main__":
    main()
