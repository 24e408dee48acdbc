"""Files on disk: atomic writes, ZIP archives of JSON and ``.npz`` members, safe reading.

Every write goes to a uniquely named temporary file in the destination's folder (see
`dlpath.saving.temporaries`) and is moved into place with ``os.replace`` only when
complete, so a crash leaves any previous file intact, and the next save or load of that
path removes what a killed save left behind. Reading never unpickles and never trusts a
declared size: archives are read through `ZipReader` (directory checked first, each member
read only when needed and only up to a cap), arrays through `npy_reader` (headers checked
against the caps and the expected shapes before any allocation), JSON through
`json_reader` (bounded nesting and integers). Any problem with a file raises a
`SaveFileError` naming the file, the member and the problem.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np

from dlpath.saving import temporaries
from dlpath.saving.errors import SaveFileError, location
from dlpath.saving.json_reader import parse_json
from dlpath.saving.limits import LIMITS
from dlpath.saving.npy_reader import read_npz
from dlpath.saving.zip_reader import ZipReader


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
    temporaries.remove_stale(path)
    handle, temporary = temporaries.create(path)
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
class Archive:
    """A saved ZIP archive opened for reading; members are read on demand, each up to a
    cap, and checked. Use it in a ``with`` block (or call `close`)."""

    def __init__(self, path, limits=LIMITS):
        self.path, self.limits = str(path), limits
        if os.path.isdir(self.path):
            raise SaveFileError(f"{self.path!r} is a directory, not a dlpath archive "
                                f"(TensorFlow SavedModel folders are not supported)",
                                self.path)
        self._zip = ZipReader(self.path, self.path, limits=limits)
        self.names = self._zip.names

    def has(self, name: str) -> bool:
        return self._zip.has(name)

    def read(self, name: str, cap: int) -> bytes:
        return self._zip.read(name, cap)

    def read_json(self, name: str):
        data = self._zip.read(name, self.limits.json_cap(name))
        where = location(self.path, name)
        return parse_json(data, lambda problem: SaveFileError(f"{where} {problem}",
                                                              self.path, name), self.limits)

    def read_npz(self, name: str, cap: int, expected=None) -> dict:
        """The arrays of member ``name`` (an ``.npz``): its size and the sizes its arrays
        declare are checked against ``cap``, their shapes against ``expected``."""
        data = self._zip.read(name, cap)
        with ZipReader(data, self.path, name, self.limits) as inner:
            return read_npz(inner, expected, cap, self.limits)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_npz_file(path, cap=None, limits=LIMITS) -> dict:
    """The arrays of an ``.npz`` file, without unpickling; ``cap`` bounds the bytes they
    declare together."""
    with ZipReader(os.fspath(path), os.fspath(path), limits=limits) as reader:
        return read_npz(reader, None, cap, limits)
