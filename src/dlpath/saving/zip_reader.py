"""Reading a ZIP archive that may be hostile: its directory is checked before use, and a
member is read only on demand, only up to a cap, and never beyond the size it declares.

Before the directory is parsed, its declared size and number of entries are checked
against the limits. Each entry must then have a safe name (relative, no ``..``, no
backslash, drive or control character), be unique, unencrypted, stored or deflated, lie
inside the file, and, when large, inflate at most `Limits.max_compression_ratio` times: a
zip bomb is refused from its directory alone, before anything is inflated. Reading a member
checks its declared size against the caller's cap first; `zipfile` then stops inflating at
the declared size and checks the CRC, so a member that lies about its size fails too.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib

from dlpath.saving.errors import SaveFileError, describe, location
from dlpath.saving.limits import LIMITS

# What zipfile and zlib raise on damaged data (RuntimeError: an encrypted member).
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
               ValueError, RuntimeError, NotImplementedError, struct.error, OverflowError)
_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"
_LOCAL_HEADER_BYTES = 30
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\:]")
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}


def directory_extent(file, size: int):
    """``(entries, directory bytes)`` as the archive's end record declares them, or None
    when there is no end record (then `zipfile` reports the damage itself)."""
    tail_size = min(size, 22 + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or at + 22 > len(tail):
        return None
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and locator >= 0 \
            and tail[locator:locator + 4] == _END64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        if offset + 56 <= size:
            file.seek(offset)
            record = file.read(56)
            if record[:4] == _END64:
                entries, directory = struct.unpack_from("<QQ", record, 32)
    return entries, directory


def unsafe_name(name: str, limit: int) -> str | None:
    """Why ``name`` is not a safe member name, or None if it is."""
    if not name or len(name) > limit:
        return f"its length is {len(name)} (expected 1 to {limit} characters)"
    if name.startswith("/") or _UNSAFE_CHARACTERS.search(name):
        return "it is absolute or holds a backslash, a drive or a control character"
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' path component"
    return None


class ZipReader:
    """A ZIP archive (a file path, or bytes read from an outer archive's ``member``)."""

    def __init__(self, source, path, member=None, limits=LIMITS):
        self.path, self.member, self.limits = str(path), member, limits
        self.where = location(path, member)
        self._file = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
        try:
            self.size = len(source) if isinstance(source, bytes) else os.fstat(
                self._file.fileno()).st_size
            self._check_extent()
            self._zip = zipfile.ZipFile(self._file)
            self.infos = self._checked_infos()
        except SaveFileError:
            self._file.close()
            raise
        except READ_ERRORS as error:
            self._file.close()
            raise self.error(f"not a readable ZIP archive (truncated or corrupt?): "
                             f"{describe(error)}") from None
        self.names = list(self.infos)

    # ------------------------------------------------------------ errors
    def error(self, problem: str, name=None) -> SaveFileError:
        """A `SaveFileError` about this archive, or about its member ``name``."""
        member = self.member if self.member is not None else name
        return SaveFileError(f"{self.where}: {problem}", self.path, member)

    # ------------------------------------------------------------ the directory
    def _check_extent(self) -> None:
        extent = directory_extent(self._file, self.size)
        if extent is None:
            return
        entries, directory = extent
        if entries > self.limits.max_members:
            raise self.error(f"the archive declares {entries} members (expected at most "
                             f"{self.limits.max_members})")
        if directory > min(self.limits.max_directory_bytes, self.size):
            raise self.error(f"the archive declares a {directory}-byte directory (expected "
                             f"at most {min(self.limits.max_directory_bytes, self.size)})")
        self._file.seek(0)

    def _checked_infos(self) -> dict:
        infos = {}
        for info in self._zip.infolist():
            name = info.filename
            problem = unsafe_name(name, self.limits.max_name_length) or self._entry_problem(
                info)
            if name in infos:
                problem = "the name occurs twice in the archive"
            if problem is not None:
                raise self.error(f"refusing member {name!r:.200}: {problem}", name)
            infos[name] = info
        return infos

    def _entry_problem(self, info) -> str | None:
        if info.flag_bits & 0x1:
            return "it is encrypted"
        if info.compress_type not in _METHODS:
            return (f"compression method {info.compress_type} is not supported (expected "
                    f"stored or deflated)")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            return (f"it is stored uncompressed but declares {info.file_size} bytes for "
                    f"{info.compress_size} stored")
        end = info.header_offset + _LOCAL_HEADER_BYTES + len(info.orig_filename) \
            + info.compress_size
        if end > self.size:
            return (f"its data would end at byte {end}, beyond the archive's {self.size} "
                    f"bytes (truncated?)")
        ratio = self.limits.max_compression_ratio
        if info.file_size > max(self.limits.ratio_exempt_bytes, ratio * info.compress_size):
            return (f"it declares {info.file_size} bytes inflated from "
                    f"{info.compress_size} (expected a compression ratio of at most {ratio}: "
                    f"a zip bomb?)")
        return None

    # ------------------------------------------------------------ members
    def has(self, name: str) -> bool:
        return name in self.infos

    def info(self, name: str):
        if name not in self.infos:
            raise self.error(f"the archive has no member {name!r} (members: "
                             f"{self.names[:20]})", name)
        return self.infos[name]

    def check_size(self, name: str, cap: int) -> int:
        """The declared size of member ``name``, after checking it is at most ``cap``."""
        size = self.info(name).file_size
        if size > cap:
            raise self.error(f"member {name!r} declares {size} bytes (expected at most "
                             f"{cap})", name)
        return size

    def open(self, name: str):
        """A stream of member ``name``'s data (it ends at the declared size)."""
        info = self.info(name)
        try:
            return self._zip.open(info)
        except READ_ERRORS as error:
            raise self.error(f"member {name!r} is not readable (truncated or corrupt?): "
                             f"{describe(error)}", name) from None

    def read(self, name: str, cap: int) -> bytes:
        """Member ``name``'s data: its declared size checked against ``cap`` first, then
        read up to that size; zipfile checks the CRC on reaching it."""
        size = self.check_size(name, cap)
        stream = self.open(name)
        try:
            with stream:
                data = stream.read(size)
        except READ_ERRORS as error:
            raise self.error(f"member {name!r} is not readable (truncated or corrupt?): "
                             f"{describe(error)}", name) from None
        if len(data) != size:
            raise self.error(f"member {name!r} holds {len(data)} bytes but declares {size} "
                             f"(truncated?)", name)
        return data

    def close(self) -> None:
        self._zip.close()
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
