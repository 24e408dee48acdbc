"""Hand-made attacks on saved files (see `hostile_attacks`): each ends in `SaveFileError`
with a message saying what was wrong, quickly, without running code from the file, and,
loaded in a process limited to 1.5 GiB of address space, without running out of memory."""

import os
import re
import time
import warnings

import pytest

from hostile_archives import LOADERS, run_in_subprocess, save_bases
from hostile_attacks import build_attacks

from dlpath.saving import SaveFileError

ATTACK_SECONDS = 1.0


@pytest.fixture(scope="module")
def attacks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("attacks")
    bases = {}
    for name, (path, _) in save_bases(str(tmp_path_factory.mktemp("bases"))).items():
        with open(path, "rb") as file:
            bases[name] = file.read()
    return build_attacks(bases, str(folder))


def test_there_are_attacks_of_every_kind(attacks):
    assert len(attacks) >= 60
    assert {case["kind"] for case in attacks} == {"model", "weights", "checkpoint"}


def test_each_attack_is_refused_in_process(attacks):
    problems = []
    for case in attacks:
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                LOADERS[case["kind"]](case["path"])
            problems.append(f"{case['id']}: loaded")
        except SaveFileError as error:
            message = str(error)
            if not re.search(case["expected"], message):
                problems.append(f"{case['id']}: message {message[:300]!r} does not match "
                                f"{case['expected']!r}")
            if "MemoryError" in message:
                problems.append(f"{case['id']}: refused only by running out of memory")
        seconds = time.perf_counter() - start
        if seconds > ATTACK_SECONDS:
            problems.append(f"{case['id']}: took {seconds:.2f} s")
        if os.path.exists(case["marker"]):
            problems.append(f"{case['id']}: code from the file ran")
    assert not problems, "\n".join(problems)


def test_attacks_are_refused_within_a_memory_limit(attacks, tmp_path):
    control = {"path": "", "kind": "allocate"}
    results, peak = run_in_subprocess(attacks + [control], str(tmp_path))
    assert results.pop()["outcome"] == "MemoryError"  # the limit holds
    problems = [f"{case['id']}: {result['outcome']} {result['message'][:200]!r}"
                for case, result in zip(attacks, results)
                if result["outcome"] != "SaveFileError" or "MemoryError" in result["message"]
                or result["seconds"] > ATTACK_SECONDS]
    assert not problems, "\n".join(problems)
    assert peak < 512, f"loading the attacks peaked at {peak:.0f} MiB of memory"
    assert not any(os.path.exists(case["marker"]) for case in attacks)
