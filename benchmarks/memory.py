"""Peak memory of one training step of every benchmark model, dlpath against PyTorch.

For each model of the speed benchmarks (bench_mlp.py, bench_cnn.py, bench_lstm.py,
bench_transformer.py, bench_gan.py) and each framework, a fresh process at 1 thread builds
the model, runs a warm-up step and then one measured step; the figure is the peak resident
memory of that step minus the resident memory after the imports and the data
(`harness.step_peak_mib`). Prints one line per model, then the table.
Run: ``python benchmarks/memory.py [--models NAME ...]``.
"""

from __future__ import annotations

import argparse
import os

from harness import memory_line

HERE = os.path.dirname(os.path.abspath(__file__))
# model name -> the benchmark script that defines it
MODELS = {"mnist-mlp": "bench_mlp.py", "mnist-cnn": "bench_cnn.py",
          "cifar-cnn": "bench_cnn.py", "imdb-lstm": "bench_lstm.py",
          "transformer": "bench_transformer.py", "mnist-gan": "bench_gan.py"}


def table(results: list) -> str:
    rows = ["| model | dlpath MiB | PyTorch MiB | dlpath / PyTorch |", "|---|---:|---:|---:|"]
    rows += [f"| {r['model']} | {r['dlpath_peak_mib']:.1f} | {r['torch_peak_mib']:.1f} | "
             f"{r['ratio']:.2f} |" for r in results]
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    args = parser.parse_args()
    results = [memory_line(os.path.join(HERE, MODELS[name]), name) for name in args.models]
    print()
    print(table(results))


if __name__ == "__main__":
    main()
