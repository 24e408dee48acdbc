"""How much of what could go wrong do the labs' checks catch?

For every code lab, one-change mutants of its reference solution (an operator swapped, a
constant changed, a term dropped, a minus removed) are checked like a learner's file; a
mutant the checks pass *survived*. Prints killed / total per lab and overall, and the
survivors with ``--survivors`` (most are equivalent mutants: x >= 0 vs x > 0 where x = 0
gives the same value). Run: ``python benchmarks/lab_mutants.py [--limit 40] [LAB ...]``.
"""

from __future__ import annotations

import argparse
import time

from dlpath.path.labs import catalog, mutants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", help="lab ids (default: every code lab)")
    parser.add_argument("--limit", type=int, default=40, help="mutants per lab at most")
    parser.add_argument("--survivors", action="store_true", help="list what survived")
    args = parser.parse_args()
    labs = args.labs or [lab.id for lab in catalog.definitions().values() if lab.kind == "code"]
    total_killed = total = 0
    start = time.perf_counter()
    print(f"{'lab':<24} {'killed':>7} {'total':>6} {'rate':>6}")
    for lab_id in labs:
        killed, count, survivors = mutants.kill_rate(catalog.get(lab_id), args.limit)
        total_killed += killed
        total += count
        rate = killed / count if count else float("nan")
        print(f"{lab_id:<24} {killed:>7} {count:>6} {rate:>6.0%}")
        if args.survivors:
            for description in survivors:
                print(f"    survived: {description}")
    print(f"{'all':<24} {total_killed:>7} {total:>6} {total_killed / max(total, 1):>6.0%}"
          f"   ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
