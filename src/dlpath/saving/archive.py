"""Files on disk: atomic writes, ZIP archives of JSON and ``.npz`` members, safe reading.

Every write goes to a temporary file in the destination's folder and is moved into place
with ``os.replace`` only when complete, so a crash leaves any previous file intact and no
temporary file behind. Reading never unpickles: arrays are read with
``numpy.lib.format.read_array(..., allow_pickle=False)`` and everything else is JSON. Any
problem with a file (truncated, corrupt, a member missing, an object array) raises a
`SaveFileError` naming the file and the problem.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
import zlib

import numpy as np


class SaveFileError(ValueError):
    """A saved file that cannot be read: corrupt, truncated, incomplete or unsafe."""


# ---------------------------------------------------------------- paths
def check_extension(filepath, allowed: tuple, what: str) -> str:
    """``filepath`` as a string after checking that it ends with one of ``allowed``.

    HDF5 (``.h5``/``.hdf5``) and paths without an extension (TensorFlow's SavedModel or
    checkpoint formats) get an error that says what to use instead.
    """
    path = os.fspath(filepath)
    if not isinstance(path, str):
        raise TypeError(f"{what}: expected a file path (str or os.PathLike), got "
                        f"{type(filepath).__name__}")
    lower = path.lower()
    if lower.endswith(allowed):
        return path
    suggestion = allowed[0]
    if lower.endswith((".h5", ".hdf5")):
        raise ValueError(f"{what}: HDF5 files ({path!r}) are not supported by dlpath, which "
                         f"never needs h5py; use the {suggestion!r} extension instead "
                         f"(accepted: {', '.join(allowed)})")
    if not os.path.splitext(path)[1]:
        raise ValueError(f"{what}: invalid filepath extension for {path!r}; add the "
                         f"{suggestion!r} extension (accepted: {', '.join(allowed)}). "
                         f"TensorFlow's SavedModel and checkpoint formats are not "
                         f"supported")
    raise ValueError(f"{what}: unsupported file extension for {path!r}; accepted: "
                     f"{', '.join(allowed)}")


# ---------------------------------------------------------------- writing
def _file_mode() -> int:
    """0o666 minus the process umask: the mode ``open(path, "w")`` would give."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: str, write, overwrite: bool = True) -> None:
    """Call ``write(binary_file)`` on a temporary file, then move it to ``path``.

    ``overwrite=False`` refuses an existing ``path``. On any failure the temporary file is
    removed and a previous ``path`` is left as it was.
    """
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot save to {path!r}: the folder {folder!r} does not "
                                f"exist")
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot save to {path!r}: it is a directory")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _file_mode())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise


def npz_bytes(arrays: dict) -> bytes:
    """An ``.npz`` file (a ZIP of ``.npy`` members, in ``arrays``' order) as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for key, value in arrays.items():
            array = np.asarray(value)
            if array.dtype.hasobject:
                raise TypeError(f"cannot save {key!r}: object arrays are never saved")
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    return buffer.getvalue()


def write_archive(file, members: dict) -> None:
    """A ZIP archive of ``members`` (name -> bytes, str or JSON-able dict) into ``file``."""
    with zipfile.ZipFile(file, "w") as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
            else:
                if not isinstance(content, str):
                    content = json.dumps(content, indent=2)
                archive.writestr(name, content.encode("utf-8"),
                                 compress_type=zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------- reading
# What zipfile and zlib raise on damaged data (RuntimeError: an encrypted member).
_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                ValueError, RuntimeError, NotImplementedError)

def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


class Archive:
    """A saved ZIP archive opened for reading; members are read whole and checked."""

    def __init__(self, path: str):
        self.path = path
        if os.path.isdir(path):
            raise SaveFileError(f"{path!r} is a directory, not a dlpath archive (TensorFlow "
                                f"SavedModel folders are not supported)")
        try:
            with zipfile.ZipFile(path) as archive:
                self.names = archive.namelist()
                self._data = {name: archive.read(name) for name in self.names}
        except FileNotFoundError:
            raise
        except _READ_ERRORS as error:
            raise SaveFileError(f"{path!r} is not a readable dlpath archive (truncated or "
                                f"corrupt?): {_describe(error)}") from None

    def has(self, name: str) -> bool:
        return name in self._data

    def read(self, name: str) -> bytes:
        if name not in self._data:
            raise SaveFileError(f"{self.path!r}: the archive has no member {name!r} "
                                f"(members: {self.names})")
        return self._data[name]

    def read_json(self, name: str):
        try:
            return json.loads(self.read(name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SaveFileError(f"{self.path!r}: member {name!r} is not valid JSON: "
                                f"{_describe(error)}") from None

    def read_npz(self, name: str) -> dict:
        return read_npz(io.BytesIO(self.read(name)), f"{self.path!r} member {name!r}")


def read_npz(source, where: str) -> dict:
    """The arrays of an ``.npz`` file or stream, in stored order, without unpickling."""
    arrays = {}
    try:
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if not name.endswith(".npy"):
                    raise SaveFileError(f"{where}: unexpected member {name!r} (an .npz file "
                                        f"holds only .npy arrays)")
                with archive.open(name) as member:
                    array = np.lib.format.read_array(io.BytesIO(member.read()),
                                                     allow_pickle=False)
                arrays[name[:-len(".npy")]] = array
    except SaveFileError:
        raise
    except FileNotFoundError:
        raise
    except ValueError as error:
        if "pickle" in str(error).lower() or "object" in str(error).lower():
            raise SaveFileError(f"{where}: refused to load an object array (that would "
                                f"unpickle data and could run code): {error}") from None
        raise SaveFileError(f"{where}: not a readable .npz file (truncated or corrupt?): "
                            f"{_describe(error)}") from None
    except _READ_ERRORS as error:
        raise SaveFileError(f"{where}: not a readable .npz file (truncated or corrupt?): "
                            f"{_describe(error)}") from None
    return arrays
