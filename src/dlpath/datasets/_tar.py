"""Streaming the members of a ``.tar.gz`` data-set archive within known bounds.

The archive is read once, front to back, and nothing is extracted to disk. The
sizes that every tar header declares are checked against the data set's bounds
before any data is read, and the decompressed stream itself is capped, so that a
truncated, damaged or hostile archive ends in :class:`CorruptDatasetError`
instead of a hang or an exhausted memory.
"""

import gzip
import tarfile
from dataclasses import dataclass

from ._bounded import CappedReader
from ._errors import CorruptDatasetError, reading


@dataclass(frozen=True)
class TarBounds:
    """What a data set's archive can hold, from the data set's published size.

    Attributes:
        members: entries of any kind (folders and skipped files included).
        member_bytes: the size any one entry may declare.
        file_bytes: the size any one kept file may declare.
        kept_bytes: the sizes of the kept files, together.
        total_bytes: the uncompressed archive, headers included.
    """

    members: int
    member_bytes: int
    file_bytes: int
    kept_bytes: int
    total_bytes: int


def tar_files(path, keep, bounds, expected):
    """Yield ``(name, data)`` for each regular file in the archive that ``keep`` accepts.

    Args:
        path: the ``.tar.gz`` archive.
        keep: ``keep(name) -> bool``; names are as stored (e.g. ``"./a/b"``).
        bounds: the archive's :class:`TarBounds`.
        expected: what the archive should hold, in words, for the messages.

    Raises:
        CorruptDatasetError: the archive is truncated or damaged, or exceeds ``bounds``.
    """
    with reading(path, expected), gzip.open(path, "rb") as stream:
        capped = CappedReader(stream, bounds.total_bytes, path, expected)
        with tarfile.open(fileobj=capped, mode="r|") as archive:
            kept = 0
            for count, member in enumerate(archive, start=1):
                archive.members = []  # a streamed archive would keep every header
                _check_member(path, member, count, bounds, expected)
                if member.isfile() and keep(member.name):
                    kept += member.size
                    _check_kept(path, member, kept, bounds, expected)
                    yield member.name, archive.extractfile(member).read()


def _check_member(path, member, count, bounds, expected):
    """Raise CorruptDatasetError when one header breaks the archive's bounds."""
    source = f"{path} [{member.name}]"
    if count > bounds.members:
        raise CorruptDatasetError(
            f"{source}: more than {bounds.members} entries; expected {expected}"
        )
    if member.size > bounds.member_bytes:
        raise CorruptDatasetError(
            f"{source}: the entry declares {member.size} bytes, more than the "
            f"{bounds.member_bytes} that any file of {expected} takes"
        )
    if member.offset_data + member.size > bounds.total_bytes:
        raise CorruptDatasetError(
            f"{source}: the entry ends {member.offset_data + member.size} bytes into the "
            f"archive, past the {bounds.total_bytes} bytes of {expected}"
        )


def _check_kept(path, member, kept, bounds, expected):
    """Raise CorruptDatasetError when a file to keep breaks the archive's bounds."""
    source = f"{path} [{member.name}]"
    if member.size > bounds.file_bytes:
        raise CorruptDatasetError(
            f"{source}: the file declares {member.size} bytes, more than the "
            f"{bounds.file_bytes} that one file of {expected} takes"
        )
    if kept > bounds.kept_bytes:
        raise CorruptDatasetError(
            f"{source}: the files read so far take {kept} bytes, more than the "
            f"{bounds.kept_bytes} of {expected}"
        )
