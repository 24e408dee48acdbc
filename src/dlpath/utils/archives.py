"""Extracting tar and zip archives without letting a member escape the target folder.

A member whose name is absolute, climbs out with ``..``, or is a link (symbolic or hard)
pointing outside the target is refused with `UnsafeArchiveError` before anything is
written; device files and FIFOs are refused too.
"""

from __future__ import annotations

import os
import tarfile
import zipfile
from pathlib import Path


class UnsafeArchiveError(ValueError):
    """An archive member would be written outside the folder it is extracted into."""


def _inside(root: Path, name: str) -> bool:
    target = (root / name).resolve()
    return target == root or root in target.parents


def _check_name(archive: Path, root: Path, name: str) -> None:
    if os.path.isabs(name) or name.startswith(("/", "\\")) or not _inside(root, name):
        raise UnsafeArchiveError(f"{archive}: refusing to extract member {name!r}: it would "
                                 f"be written outside {root}")


def _check_tar(archive: Path, root: Path, members) -> None:
    for member in members:
        _check_name(archive, root, member.name)
        if member.issym() or member.islnk():
            link = member.linkname
            base = Path(member.name).parent if member.issym() else Path(".")
            if os.path.isabs(link) or not _inside(root, str(base / link)):
                raise UnsafeArchiveError(f"{archive}: refusing member {member.name!r}: it "
                                         f"links to {link!r}, outside {root}")
        elif not (member.isfile() or member.isdir()):
            raise UnsafeArchiveError(f"{archive}: refusing member {member.name!r}: only "
                                     f"files, folders and links inside are extracted")


def _formats(archive_format) -> list:
    if archive_format is None:
        return []
    if archive_format == "auto":
        return ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    unknown = [f for f in archive_format if f not in ("tar", "zip")]
    if unknown:
        raise ValueError(f"extract_archive: archive_format must be 'auto', 'tar', 'zip', a "
                         f"list of them or None, got {archive_format!r}")
    return list(archive_format)


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Extract ``file_path`` (tar or zip, as ``archive_format`` allows) into ``path``.

    Returns True if the file was an archive of an allowed format and was extracted,
    False if it is none of them. Raises `UnsafeArchiveError` for a member that would
    land outside ``path``; nothing is written then.
    """
    archive = Path(file_path)
    root = Path(path).resolve()
    for kind in _formats(archive_format):
        if kind == "tar" and tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tar:
                members = tar.getmembers()
                _check_tar(archive, root, members)
                root.mkdir(parents=True, exist_ok=True)
                tar.extractall(root, members=members, filter="data")
            return True
        if kind == "zip" and zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                for name in zipped.namelist():
                    _check_name(archive, root, name)
                root.mkdir(parents=True, exist_ok=True)
                zipped.extractall(root)
            return True
    return False
