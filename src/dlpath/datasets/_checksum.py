"""Published checksums, file hashing, and the warning for unofficial copies.

A local file whose checksum is the published one is the official file. One
whose checksum differs (a re-packed archive, a rebuilt ``.npz``) is still
accepted when its structure passes the loader's checks; :func:`check_official`
then emits one :class:`UnofficialFileWarning` per file and process.
"""

import hashlib
import os
import sys
import warnings
from dataclasses import dataclass

from ._errors import UnofficialFileWarning

CHUNK_BYTES = 1 << 20
ALGORITHMS = ("md5", "sha256")

# Files already warned about in this process (absolute paths as strings).
_warned = set()


@dataclass(frozen=True)
class RemoteFile:
    """A file as published: its name, where to download it, and its checksum.

    ``url`` may be None for a file that is never downloaded (a member of an
    archive) but whose official checksum is still known.
    """

    name: str
    url: object
    algorithm: str
    digest: str

    def __post_init__(self):
        if self.algorithm not in ALGORITHMS:
            raise ValueError(
                f"_checksum.py: algorithm must be one of {ALGORITHMS}, got {self.algorithm!r}"
            )


def file_digest(path, algorithm):
    """Hex digest of the file at ``path``, read in 1 MiB chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_official(path, remote, what_was_checked):
    """Warn once if the file at ``path`` is not byte-identical to ``remote``.

    Call this after the loader has validated the file's structure.

    Args:
        path: the local file.
        remote: its :class:`RemoteFile`, or None when no checksum is published.
        what_was_checked: the structure checks that passed, in words.

    Returns:
        True when the checksum is the official one, False otherwise.
    """
    if remote is None:
        return False
    actual = file_digest(path, remote.algorithm)
    if actual == remote.digest:
        return True
    key = str(path.resolve())
    if key not in _warned:
        _warned.add(key)
        warnings.warn(
            f"{path}: {remote.algorithm} {actual} is not the official checksum of "
            f"{remote.name} ({remote.digest}); this copy is re-packed or rebuilt. "
            f"Its structure was validated instead ({what_was_checked}).",
            UnofficialFileWarning,
            stacklevel=_caller_stacklevel(),
        )
    return False


def _caller_stacklevel():
    """The ``stacklevel`` that points a warning at the first caller outside this package."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    frame = sys._getframe(1)  # check_official's frame is stacklevel 1
    level = 1
    while frame is not None and os.path.dirname(frame.f_code.co_filename) == package_dir:
        frame = frame.f_back
        level += 1
    return level
