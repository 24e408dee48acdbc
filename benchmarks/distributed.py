"""Data parallelism on one machine: 2 ranks x 1 BLAS thread vs 1 process x 2 threads.

    python benchmarks/distributed.py                       # mnist-cnn and imdb-lstm
    python benchmarks/distributed.py --steps 3 imdb-lstm   # a quick check that it runs
    python benchmarks/distributed.py --params              # parameters and bytes per step
    OPENBLAS_NUM_THREADS=1 python benchmarks/distributed.py --compute --steps 5
                                                           # 1-process compute per step and
                                                           # where each recipe stops scaling
    python benchmarks/distributed.py --allreduce           # all-reduce time, 2 ranks, 1 host

For each recipe both set-ups train the recipe's model with the recipe's (global) batch size
for ``--steps`` timed steps after ``--warmup`` steps; printed: samples/s of each, their
ratio (2 ranks / 1 process), and for the 2 ranks the time per step spent in the all-reduce
calls (``DistributedOptimizer.data_parallel.stats``; it includes the wait for the slower
rank). The 1-process run at 1 thread also gives the compute time per step that
docs/distributed.md uses for its scaling estimate (``--threads 1`` for that alone).

``--params`` counts the parameters of every recipe that trains with ``fit`` and prints the
bytes all-reduced per step (4 per float32 parameter) and the ring all-reduce time
2 (N - 1) / N * bytes / bandwidth at 10 and 100 Gb/s. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

RECIPES = ("mnist-cnn", "imdb-lstm")


# ---------------------------------------------------------------- one worker
def worker(recipe_name: str, steps: int, warmup: int, quiet: bool = False) -> dict:
    """Train ``warmup + steps`` steps; rank 0 prints (returns) one JSON line of timings."""
    from dlpath import distributed, keras
    from dlpath import random as dlrandom
    from dlpath.recipes import get_recipe

    context = distributed.init()
    recipe = get_recipe(recipe_name)
    total = steps + warmup
    config = recipe.make_config({})
    config = recipe.make_config({"train_limit": config.batch_size * total, "eval_limit": 64})
    dlrandom.set_seed(config.seed)
    data = recipe.load_data(config)
    model = recipe.build_model(config, data)
    model.optimizer = distributed.DistributedOptimizer(model.optimizer)
    x, y = data.train
    times = []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == warmup:
                self.started = time.perf_counter()
                self.comm = model.optimizer.data_parallel.stats.seconds

        def on_train_end(self, logs=None):
            times.append(time.perf_counter() - self.started)
            times.append(model.optimizer.data_parallel.stats.seconds - self.comm)

    model.fit(x, y, batch_size=config.batch_size, epochs=1, shuffle=False, verbose=0,
              callbacks=[Clock()])
    seconds, comm = times
    result = {"recipe": recipe_name, "ranks": context.size, "batch_size": config.batch_size,
              "steps": steps, "step_s": seconds / steps, "comm_step_s": comm / steps,
              "samples_per_s": config.batch_size * steps / seconds,
              "bytes": int(sum(w.data.nbytes for w in model.trainable_weights))}
    if context.is_root and not quiet:
        print(json.dumps(result))
    return result


# ---------------------------------------------------------------- the two set-ups
def _run(recipe: str, ranks: int, threads: int, steps: int, warmup: int) -> dict:
    from dlpath.distributed import launch

    line = [sys.executable, os.path.abspath(__file__), "--worker", recipe,
            "--steps", str(steps), "--warmup", str(warmup)]
    if ranks > 1:
        line = launch.command(ranks, line)
    result = subprocess.run(line, env=launch.environment(threads), capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(f"{recipe} ({ranks} x {threads}) failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(recipes, steps: int, warmup: int, threads_alone: int) -> None:
    print(f"{'recipe':<10} {'batch':>5} {'1 x ' + str(threads_alone) + ' thr':>12} "
          f"{'2 x 1 thr':>10} {'ratio':>6} {'comm ms/step':>12} {'step ms (2x1)':>13}")
    for recipe in recipes:
        alone = _run(recipe, 1, threads_alone, steps, warmup)
        pair = _run(recipe, 2, 1, steps, warmup)
        print(f"{recipe:<10} {alone['batch_size']:>5} {alone['samples_per_s']:>10.0f}/s "
              f"{pair['samples_per_s']:>8.0f}/s "
              f"{pair['samples_per_s'] / alone['samples_per_s']:>6.2f} "
              f"{pair['comm_step_s'] * 1e3:>12.2f} {pair['step_s'] * 1e3:>13.1f}")


# ---------------------------------------------------------------- one all-reduce
SIZES = {"mnist-cnn": 34_826, "imdb-lstm": 1_329_473}  # float32 parameters


def allreduce_worker(repeats: int = 20) -> None:
    """Under mpiexec: the median and minimum time of one all-reduce of each size."""
    import numpy as np

    from dlpath import distributed
    from dlpath.distributed import collectives

    context = distributed.init()
    for name, count in SIZES.items():
        buffer = np.ones(count, np.float32)
        times = []
        for _ in range(repeats + 3):
            collectives.barrier(context)  # time the transfer, not the wait for the other
            started = time.perf_counter()
            collectives.allreduce_sum(context, buffer)
            times.append(time.perf_counter() - started)
        times = sorted(times[3:])
        if context.is_root:
            print(f"{name:<10} {count * 4 / 2**20:6.2f} MiB  median "
                  f"{times[len(times) // 2] * 1e3:7.3f} ms  min {times[0] * 1e3:7.3f} ms")


def allreduce(ranks: int = 2) -> None:
    from dlpath.distributed import launch

    line = launch.command(ranks, [sys.executable, os.path.abspath(__file__),
                                  "--allreduce-worker"])
    subprocess.run(line, env=launch.environment(1), check=True)


# ---------------------------------------------------------------- where scaling stops
# (bandwidth in Gb/s, latency per message in s): 10 Gb/s Ethernet, 100 Gb/s InfiniBand.
NETWORKS = ((10, 20e-6), (100, 2e-6))


def ring_seconds(nbytes: int, workers: int, gbits: float, latency: float) -> float:
    """Ring all-reduce: 2 (N-1) messages, 2 (N-1)/N * bytes sent per rank."""
    return 2 * (workers - 1) * latency + 2 * (workers - 1) / workers * nbytes * 8 / (
        gbits * 1e9)


def stops_scaling(compute: float, nbytes: int, gbits: float, latency: float) -> int:
    """The first N at which the all-reduce takes as long as the compute of a step, which
    is compute / N with the global batch split over N workers (efficiency 1/2)."""
    for workers in range(2, 4097):
        if ring_seconds(nbytes, workers, gbits, latency) >= compute / workers:
            return workers
    return 4096


def compute_times(recipes, steps: int, warmup: int) -> None:
    """1 process: compute ms per step, and where scaling stops on each network."""
    from dlpath.recipes import all_recipes
    from dlpath.recipes.base import Recipe

    names = recipes or [r.name for r in all_recipes() if type(r).train is Recipe.train]
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"{'recipe':<18} {'batch':>5} {'ms/step':>8} {'MiB':>6} "
          + " ".join(f"{f'N* {g}Gb/s':>11}" for g, _ in NETWORKS))
    for name in names:
        try:
            result = worker(name, steps, warmup, quiet=True)
        except Exception as error:  # a data set that is not there
            print(f"{name:<18} (not run: {str(error)[:60]})")
            continue
        stops = [stops_scaling(result["step_s"], result["bytes"], g, a) for g, a in NETWORKS]
        print(f"{name:<18} {result['batch_size']:>5} {result['step_s'] * 1e3:>8.1f} "
              f"{result['bytes'] / 2**20:>6.2f} " + " ".join(f"{n:>11}" for n in stops))


# ---------------------------------------------------------------- parameters
def parameters() -> None:
    """Every fit-trained recipe: parameters, bytes per step, ring all-reduce times."""
    import numpy as np

    from dlpath import random as dlrandom
    from dlpath.recipes import all_recipes
    from dlpath.recipes.base import Recipe

    print(f"{'recipe':<22} {'parameters':>11} {'MiB/step':>9} "
          f"{'N=2 10Gb/s':>11} {'N=8 10Gb/s':>11} {'N=8 100Gb/s':>12}")
    for recipe in all_recipes():
        if type(recipe).train is not Recipe.train:
            continue  # its own loop (a GAN): not data-parallel
        config = recipe.make_config({"train_limit": 64, "eval_limit": 64})
        dlrandom.set_seed(0)
        try:
            model = recipe.build_model(config, recipe.load_data(config))
        except Exception as error:  # a data set that is not there
            print(f"{recipe.name:<22} (not built: {error})")
            continue
        count = int(sum(np.prod(w.shape) for w in model.trainable_weights))
        nbytes = sum(w.data.nbytes for w in model.trainable_weights)

        def ring(n, gbits):
            return 2 * (n - 1) / n * nbytes * 8 / (gbits * 1e9) * 1e3  # ms

        print(f"{recipe.name:<22} {count:>11,} {nbytes / 2**20:>9.2f} "
              f"{ring(2, 10):>9.2f}ms {ring(8, 10):>9.2f}ms {ring(8, 100):>10.3f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipes", nargs="*", help=f"default: {' '.join(RECIPES)}")
    parser.add_argument("--steps", type=int, default=30, help="timed steps (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed first steps")
    parser.add_argument("--threads", type=int, default=2,
                        help="BLAS threads of the single process (default 2)")
    parser.add_argument("--params", action="store_true", help="parameter counts only")
    parser.add_argument("--compute", action="store_true",
                        help="1-process compute time per step and where scaling stops")
    parser.add_argument("--allreduce", action="store_true",
                        help="time one all-reduce of each model's size on 2 ranks")
    parser.add_argument("--allreduce-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", metavar="RECIPE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.steps, args.warmup)
    elif args.allreduce_worker:
        allreduce_worker()
    elif args.allreduce:
        allreduce()
    elif args.params:
        parameters()
    elif args.compute:
        compute_times(args.recipes, args.steps, args.warmup)
    else:
        compare(args.recipes or RECIPES, args.steps, args.warmup, args.threads)


if __name__ == "__main__":
    main()
