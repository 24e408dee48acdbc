"""Full-length recipe runs: test accuracy against the recipe's expectation, and wall time.

    python benchmarks/recipes.py digits-mlp mnist-mlp      # chosen recipes
    python benchmarks/recipes.py --all                     # every recipe (hours on a CPU)

Each recipe runs with its default settings through ``dlpath train`` (a run folder under
``--out``, default a temporary folder). Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from dlpath.recipes import all_recipes
from dlpath.workflow import train


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
        metrics = (json.loads(folder.test_metrics.read_text())
                   if folder.test_metrics.is_file() else {})
        results.append((name, metrics.get("accuracy"), seconds, folder.path))
    print(f"\n{'recipe':<20} {'test accuracy':>13} {'expected':>9} {'wall time':>10}")
    expected = {r.name: r.expected.get("accuracy") for r in all_recipes()}
    for name, accuracy, seconds, path in results:
        shown = "-" if accuracy is None else f"{accuracy:.4f}"
        target = "-" if expected.get(name) is None else f"{expected[name]:g}"
        print(f"{name:<20} {shown:>13} {target:>9} {seconds:>9.1f}s  {path}")


if __name__ == "__main__":
    main()
