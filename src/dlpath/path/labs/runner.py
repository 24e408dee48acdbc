"""Run a lab's checks on the learner's work in a subprocess, under limits.

The learner's code may loop for ever, crash the interpreter, print without end or eat the
memory: each of those is a failed attempt with a message, never a hung or crashed dlpath.
The child gets a wall-clock limit (the lab's ``time_limit``), an address-space limit, and a
cap on the size of what it writes; its output goes to a file of which the first part is
shown back.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dlpath.path.labs.messages import render

MEMORY_LIMIT_GIB = 8
OUTPUT_LIMIT_MIB = 16
OUTPUT_SHOWN = 2000  # characters of the learner's output shown back


@dataclass
class CheckReport:
    lab: str
    passed: bool
    checks: list = field(default_factory=list)  # [{"name", "passed", "message": {en, zh}}]
    output: str = ""  # the first part of what the learner's code printed
    seed: int = 0
    digest: str = ""

    def failure(self, lang: str) -> str:
        """The message of the first failed check, in ``lang`` ('' when all passed)."""
        for check in self.checks:
            if not check["passed"]:
                return check["message"][lang]
        return ""

    def failed_check(self) -> str:
        return next((c["name"] for c in self.checks if not c["passed"]), "")


def digest_of(path: Path) -> str:
    """SHA-256 of a file, or of every file below a folder (a run folder)."""
    sha = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        sha.update(file.name.encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    return sha.hexdigest()


def _limit_child() -> None:  # runs in the child before exec
    import resource

    os.setsid()
    memory = MEMORY_LIMIT_GIB << 30
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    size = OUTPUT_LIMIT_MIB << 20
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_checks(lab, subject: Path, seed: int | None = None,
               time_limit: float | None = None) -> CheckReport:
    """Check ``subject`` (the learner's file, or a model for a project lab) against ``lab``."""
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    limit = time_limit or lab.time_limit
    digest = digest_of(subject) if subject.exists() else ""
    with tempfile.TemporaryDirectory(prefix="dlpath-check-") as scratch:
        result_file = Path(scratch) / "result.json"
        output_file = Path(scratch) / "output.txt"
        command = [sys.executable, "-m", "dlpath.path.labs.worker", lab.id,
                   str(subject.resolve()), str(result_file), str(seed)]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
        with open(output_file, "wb") as output:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, cwd=scratch, env=env,
                                       preexec_fn=_limit_child)
            try:
                code = process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                _kill(process)
                return _failed(lab, "time_limit", {"seconds": limit}, output_file, seed, digest)
        if output_file.stat().st_size >= OUTPUT_LIMIT_MIB << 20:  # Python ignores SIGXFSZ
            return _failed(lab, "too_much_output", {"limit": OUTPUT_LIMIT_MIB}, output_file,
                           seed, digest)
        if result_file.is_file():
            try:
                result = json.loads(result_file.read_text(encoding="utf-8"))
                return CheckReport(lab.id, bool(result["passed"]), result["checks"],
                                   _shown(output_file), seed, digest)
            except (ValueError, KeyError, TypeError):
                pass
        return _failed(lab, *_abnormal_end(code, output_file), output_file, seed, digest)


def _kill(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _abnormal_end(code: int, output_file: Path) -> tuple[str, dict]:
    text = _shown(output_file, tail=True)
    if code == -signal.SIGXFSZ or output_file.stat().st_size >= OUTPUT_LIMIT_MIB << 20:
        return "too_much_output", {"limit": OUTPUT_LIMIT_MIB}
    if "MemoryError" in text or code == -signal.SIGKILL:
        return "out_of_memory", {"limit": MEMORY_LIMIT_GIB}
    if code < 0:
        reason = f"signal {signal.Signals(-code).name}"
    else:
        reason = f"exit code {code}: {text.strip().splitlines()[-1] if text.strip() else ''}"
    return "crashed", {"reason": reason}


def _failed(lab, key, params, output_file, seed, digest) -> CheckReport:
    check = {"name": "run", "passed": False, "message": render(lab, key, params)}
    return CheckReport(lab.id, False, [check], _shown(output_file), seed, digest)


def _shown(output_file: Path, tail: bool = False) -> str:
    with open(output_file, "rb") as file:
        if tail:
            file.seek(max(0, output_file.stat().st_size - OUTPUT_SHOWN))
        text = file.read(OUTPUT_SHOWN).decode("utf-8", errors="replace")
    return text
