"""Run the Keras programs of examples/keras at full length and tabulate their results.

Usage::

    DLPATH_DATA=/path/to/data python benchmarks/keras_examples.py [--only NAME ...]
        [--epochs N] [--limit N]

Each program runs in its own process, one after another; the table lists the program,
its last-line metric (``test accuracy`` or ``test loss``), the seconds it took and its
exit status, then how many ran and how many succeeded. ``--epochs`` / ``--limit`` set
``KERAS_EXAMPLE_EPOCHS`` / ``KERAS_EXAMPLE_LIMIT`` (default: each program's full length).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "keras"
LAST_LINE = re.compile(r"^test (accuracy|loss): (\S+)$")


def run_program(path: Path, env: dict) -> tuple:
    """(metric text, seconds, exit status) of one program run."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-W", "ignore", str(path)], capture_output=True,
                          text=True, env=env)
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    match = LAST_LINE.match(lines[-1]) if lines else None
    metric = f"{match.group(1)} {float(match.group(2)):.4f}" if match else "-"
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no error output)"]
        print(f"  {path.stem}: {tail[0]}", file=sys.stderr)
    return metric, seconds, done.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="programs to run")
    parser.add_argument("--epochs", type=int, help="KERAS_EXAMPLE_EPOCHS for every program")
    parser.add_argument("--limit", type=int, help="KERAS_EXAMPLE_LIMIT for every program")
    args = parser.parse_args(argv)
    available = sorted(p.stem for p in EXAMPLES.glob("*.py"))
    names = args.only or available
    unknown = [name for name in names if name not in available]
    if unknown:
        parser.error(f"unknown programs {unknown}; available: {', '.join(available)}")
    env = dict(os.environ)
    for variable, value in (("KERAS_EXAMPLE_EPOCHS", args.epochs),
                            ("KERAS_EXAMPLE_LIMIT", args.limit)):
        if value is not None:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    width = max(len(name) for name in names)
    print(f"{'program':<{width}}  {'test metric':<16} {'seconds':>8}  status")
    succeeded = 0
    for name in names:
        metric, seconds, status = run_program(EXAMPLES / f"{name}.py", env)
        succeeded += status == 0
        print(f"{name:<{width}}  {metric:<16} {seconds:8.1f}  {status}", flush=True)
    print(f"{len(names)} programs ran, {succeeded} exited 0")
    return 0 if succeeded == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
