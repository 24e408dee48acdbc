"""Seeded fuzzing of saved files: 2,500 damaged copies of six saved files (models, a
checkpoint, a weights file). Every load either succeeds (the damage kept the file valid)
or raises `SaveFileError`: never another exception, never a hang (each load is bounded
in time). A sample is loaded again in a process limited to 1.5 GiB of address space."""

import os
import signal
import time
import warnings

import numpy as np
import pytest

from fuzz_mutations import (
    flip_bytes, flip_member_bytes, mutate_arrays, mutate_json, truncate, truncate_member,
)
from hostile_archives import LOADERS, run_in_subprocess, save_bases

from dlpath.saving import SaveFileError

SEED = 20240611
CASE_SECONDS = 2.0
JSON_BASES = ("mlp", "functional", "cnn", "subclassed", "checkpoint")
ALL_BASES = JSON_BASES + ("weights",)
# name: (mutation, number of cases, bases it applies to)
CATEGORIES = {
    "truncation": (truncate, 400, ALL_BASES),
    "byte flips": (flip_bytes, 450, ALL_BASES),
    "member byte flips, re-zipped": (flip_member_bytes, 350, ALL_BASES),
    "member truncation, re-zipped": (truncate_member, 200, ALL_BASES),
    "JSON mutations, re-zipped": (mutate_json, 800, JSON_BASES),
    "array mutations, re-zipped": (mutate_arrays, 300, ALL_BASES),
}


class Hang(BaseException):
    """A load that ran past its alarm (a BaseException, so no handler can swallow it)."""


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    saved = save_bases(str(tmp_path_factory.mktemp("bases")))
    result = {}
    for name, (path, kind) in saved.items():
        with open(path, "rb") as file:
            result[name] = (os.path.basename(path), kind, file.read())
    return result


def cases(category: str, bases: dict):
    """``(index, base name, damaged bytes)`` of a category, the same on every run."""
    mutation, count, names = CATEGORIES[category]
    offset = list(CATEGORIES).index(category)
    for index in range(count):
        rng = np.random.default_rng([SEED, offset, index])
        name = names[index % len(names)]
        yield index, name, mutation(bases[name][2], rng)


def _raise_hang(signum, frame):
    raise Hang


def load_once(kind: str, path: str) -> str:
    """``"loaded"`` or ``"refused"``; any other exception propagates."""
    previous = signal.signal(signal.SIGALRM, _raise_hang)
    signal.setitimer(signal.ITIMER_REAL, 10 * CASE_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            LOADERS[kind](path)
        return "loaded"
    except SaveFileError:
        return "refused"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_there_are_at_least_2000_cases():
    assert sum(count for _, count, _ in CATEGORIES.values()) >= 2000


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_every_damaged_file_loads_or_raises_save_file_error(bases, tmp_path, category):
    outcomes, problems, slowest = {"loaded": 0, "refused": 0}, [], 0.0
    for index, name, data in cases(category, bases):
        filename, kind, _ = bases[name]
        path = str(tmp_path / filename)
        with open(path, "wb") as file:
            file.write(data)
        start = time.perf_counter()
        try:
            outcomes[load_once(kind, path)] += 1
        except Hang:
            problems.append(f"case {index} ({name}): hung")
        except Exception as error:
            problems.append(f"case {index} ({name}): {type(error).__name__}: {error}"[:400])
        seconds = time.perf_counter() - start
        slowest = max(slowest, seconds)
        if seconds > CASE_SECONDS:
            problems.append(f"case {index} ({name}): took {seconds:.2f} s")
    assert not problems, "\n".join(problems[:20])
    assert outcomes["refused"] > 0


def test_a_sample_of_damaged_files_within_a_memory_limit(bases, tmp_path):
    sample = []
    for category in CATEGORIES:
        for index, name, data in cases(category, bases):
            if index % 20 == 7:
                filename, kind, _ = bases[name]
                path = str(tmp_path / f"{len(sample):04d}-{filename}")
                with open(path, "wb") as file:
                    file.write(data)
                sample.append({"path": path, "kind": kind, "id": f"{category} {index}"})
    results, peak = run_in_subprocess(sample, str(tmp_path))
    problems = [f"{case['id']}: {result['outcome']}: {result['message'][:200]}"
                for case, result in zip(sample, results)
                if result["outcome"] not in ("loaded", "SaveFileError")
                or "MemoryError" in result["message"] or result["seconds"] > CASE_SECONDS]
    assert len(sample) >= 100
    assert not problems, "\n".join(problems[:20])
    assert peak < 512, f"loading the sample peaked at {peak:.0f} MiB of memory"
