"""Helpers for testing labs: run a lab's checks on a source text, in this process."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlpath.path.labs import catalog, worker


def solution(lab_id: str) -> str:
    return catalog.solution_source(catalog.get(lab_id))


def mutate(source: str, old: str, new: str) -> str:
    """``source`` with the one occurrence of ``old`` replaced by ``new`` (must be there)."""
    count = source.count(old)
    if count != 1:
        raise AssertionError(f"{old!r} occurs {count} times in the solution; make it unique")
    return source.replace(old, new)


def run_source(lab_id: str, source: str, tmp_path: Path, seed: int = 0) -> dict:
    """The worker's result for ``source`` as the learner's file (checks run in-process)."""
    lab = catalog.get(lab_id)
    path = tmp_path / f"{lab.module_name}.py"
    path.write_text(source, encoding="utf-8")
    with np.errstate(all="ignore"):
        return worker.run(lab_id, str(path), seed)


def failure_message(result: dict, lang: str = "en") -> str:
    for check in result["checks"]:
        if not check["passed"]:
            return check["message"][lang]
    return ""


def assert_rejected(lab_id: str, source: str, tmp_path: Path, *expected_words: str,
                    seeds=(0, 1)) -> None:
    """The checks fail ``source`` on every seed, and the English message names the mistake
    (contains each of ``expected_words``, case-insensitive); the Chinese one is non-empty."""
    for seed in seeds:
        result = run_source(lab_id, source, tmp_path, seed)
        assert not result["passed"], f"{lab_id}: a wrong solution passed (seed {seed})"
        message = failure_message(result).lower()
        for word in expected_words:
            assert word.lower() in message, f"{lab_id}: {word!r} not in {message!r}"
        assert failure_message(result, "zh").strip()
