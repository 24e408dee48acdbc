"""Temporary files of saves in progress: unique names, and removing those a killed save
left behind.

A save of ``folder/model.keras`` writes ``folder/.model.keras.<pid>.<random>.tmp`` (the
process id, then 8 random characters from `tempfile.mkstemp`), so two processes or threads
saving the same path never share a temporary file. The next save or load of that path
removes the temporary files whose process is no longer running, and those of older
dlpath versions (``.model.keras.<random>.tmp`` and ``.partial-model.keras``), which no
running save writes any more. A temporary file of a live process is left alone.
"""

from __future__ import annotations

import os
import re
import tempfile

SUFFIX = ".tmp"
_RANDOM = r"[a-z0-9_]{8}"


def create(path: str) -> tuple:
    """``(file descriptor, temporary path)``: a new, unique file next to ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    prefix = f".{os.path.basename(path)}.{os.getpid()}."
    return tempfile.mkstemp(dir=folder, prefix=prefix, suffix=SUFFIX)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill would end the process there: keep the file
        return True
    if not 0 < pid < 1 << 31:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def stale(path: str) -> list:
    """The temporary files left next to ``path`` by saves that can no longer finish."""
    folder = os.path.dirname(os.path.abspath(path))
    base = re.escape(os.path.basename(path))
    current = re.compile(rf"\.{base}\.(\d+)\.{_RANDOM}{re.escape(SUFFIX)}")
    legacy = re.compile(rf"\.{base}\.{_RANDOM}{re.escape(SUFFIX)}|\.partial-{base}")
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        match = current.fullmatch(name)
        if (match and not _process_alive(int(match.group(1)))) or legacy.fullmatch(name):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and not os.path.islink(candidate):
                found.append(candidate)
    return found


def remove_stale(path) -> None:
    """Remove `stale` temporary files of ``path``; a file that cannot be removed (a
    read-only folder, a race with another process) is left as it is."""
    for candidate in stale(os.fspath(path)):
        try:
            os.remove(candidate)
        except OSError:
            pass
