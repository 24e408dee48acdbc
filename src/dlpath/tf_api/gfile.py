"""``tf.io.gfile``: TensorFlow's file functions on local paths (``os``, ``shutil``,
``glob``). Remote file systems (``gs://``, ``s3://``, ``hdfs://``) are refused."""

from __future__ import annotations

import glob as _glob
import os
import shutil


def local_path(path, owner: str) -> str:
    """``path`` as a local path, or a ValueError for a remote URL."""
    text = os.fspath(path.decode() if isinstance(path, bytes) else path)
    if "://" in text and not text.startswith("file://"):
        raise ValueError(f"{owner}: {text!r} is not a local path; dlpath reads and writes "
                         f"local files only")
    return text[len("file://"):] if text.startswith("file://") else text


def exists(path) -> bool:
    return os.path.exists(local_path(path, "gfile.exists"))


def isdir(path) -> bool:
    return os.path.isdir(local_path(path, "gfile.isdir"))


def glob(pattern) -> list:
    """The paths matching ``pattern``, sorted."""
    return sorted(_glob.glob(local_path(pattern, "gfile.glob")))


def listdir(path) -> list:
    """The entries of a directory (names only); NotFoundError-like FileNotFoundError if
    it does not exist."""
    path = local_path(path, "gfile.listdir")
    if not os.path.isdir(path):
        raise FileNotFoundError(f"gfile.listdir: {path!r} is not a directory")
    return sorted(os.listdir(path))


def makedirs(path) -> None:
    """Create ``path`` and its parents (nothing if it exists)."""
    os.makedirs(local_path(path, "gfile.makedirs"), exist_ok=True)


def mkdir(path) -> None:
    os.mkdir(local_path(path, "gfile.mkdir"))


def remove(path) -> None:
    os.remove(local_path(path, "gfile.remove"))


def rmtree(path) -> None:
    shutil.rmtree(local_path(path, "gfile.rmtree"))


def copy(src, dst, overwrite: bool = False) -> None:
    src, dst = local_path(src, "gfile.copy"), local_path(dst, "gfile.copy")
    if os.path.exists(dst) and not overwrite:
        raise FileExistsError(f"gfile.copy: {dst!r} exists (pass overwrite=True)")
    shutil.copyfile(src, dst)


def rename(src, dst, overwrite: bool = False) -> None:
    src, dst = local_path(src, "gfile.rename"), local_path(dst, "gfile.rename")
    if os.path.exists(dst) and not overwrite:
        raise FileExistsError(f"gfile.rename: {dst!r} exists (pass overwrite=True)")
    os.replace(src, dst)


def walk(top, topdown: bool = True, onerror=None):
    """(directory, subdirectory names, file names) triples, as ``os.walk``."""
    return os.walk(local_path(top, "gfile.walk"), topdown=topdown, onerror=onerror)


class GFile:
    """``tf.io.gfile.GFile(name, mode="r")``: a local file object (a context manager with
    read, write, readline, iteration, seek, tell, close)."""

    def __init__(self, name, mode: str = "r"):
        if not isinstance(mode, str) or not mode or mode[0] not in "rwa":
            raise ValueError(f"GFile: mode must be 'r', 'w' or 'a' (with an optional 'b' "
                             f"or '+'), got {mode!r}")
        self.name = local_path(name, "GFile")
        self.mode = mode
        self._file = open(self.name, mode, **({} if "b" in mode else {"encoding": "utf-8"}))

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self._file, attribute)

    def size(self) -> int:
        return os.path.getsize(self.name)

    def __iter__(self):
        return iter(self._file)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        self._file.close()
        return False


Open = GFile


def join(path, *paths) -> str:
    return os.path.join(local_path(path, "gfile.join"), *paths)


class FileStatistics:
    """What `stat` reports: ``length`` (bytes), ``mtime_nsec``, ``is_directory``."""

    def __init__(self, length: int, mtime_nsec: int, is_directory: bool):
        self.length, self.mtime_nsec, self.is_directory = length, mtime_nsec, is_directory


def stat(path) -> FileStatistics:
    path = local_path(path, "gfile.stat")
    if not os.path.exists(path):
        raise FileNotFoundError(f"gfile.stat: {path!r}: no such file or directory")
    info = os.stat(path)
    return FileStatistics(info.st_size, info.st_mtime_ns, os.path.isdir(path))

__all__ = ["GFile", "Open", "copy", "exists", "glob", "isdir", "join", "listdir", "makedirs",
           "mkdir", "remove", "rename", "rmtree", "stat", "walk"]


# A missing name raises an error pointing to docs/compatibility.md.
from dlpath._missing_hook import missing_name_hook as _missing_name_hook  # noqa: E402

__getattr__ = _missing_name_hook(__name__)
