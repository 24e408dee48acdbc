"""Reading ``.npz`` archives without trusting pickles or announced sizes.

Each ``.npy`` member's header must announce the shape and dtype that the data
set has (an :class:`NpySpec`) before any data is read, so a header announcing a
huge array, or a deflated member that expands to gigabytes, is refused after
reading at most the data set's size. Plain arrays are then read as exactly the
announced bytes. Object arrays (IMDb's lists of word ids) are stored as a pickle
after the header; their member may not exceed the spec's byte bound, and the
pickle is parsed with the restricted unpickler, never with ``allow_pickle=True``.
"""

import io
import math
import zipfile
from dataclasses import dataclass

import numpy as np

from ._bounded import read_exactly
from ._errors import CorruptDatasetError, reading
from ._safe_pickle import safe_load

_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


@dataclass(frozen=True)
class NpySpec:
    """What one array of a data set's ``.npz`` must be.

    Attributes:
        shape: the exact shape, e.g. ``(60000, 28, 28)``.
        kinds: the NumPy dtype kinds allowed, e.g. ``"u"``, ``"iu"``, or ``"O"`` for an
            object array.
        pickle_bytes: for an object array, the most bytes its member may hold.
    """

    shape: tuple
    kinds: str
    pickle_bytes: int = 0

    def describe(self):
        kinds = {"O": "object", "u": "unsigned int", "i": "int", "iu": "int", "f": "float"}
        return f"{kinds.get(self.kinds, self.kinds)} {self.shape}"


def load_npz(path, specs):
    """Return ``{key: array}`` for each key of ``specs`` in the ``.npz`` file at ``path``.

    Args:
        path: the archive.
        specs: ``{key: NpySpec}``, the arrays to read and what each must be.

    Raises:
        CorruptDatasetError: not a zip file, a missing key, a header that disagrees
            with its spec, or a truncated or damaged member.
        UnsafePickleError: an object array's pickle names a forbidden global.
    """
    expected = "a .npz archive of " + ", ".join(
        f"{key} {spec.describe()}" for key, spec in specs.items())
    with reading(path, expected), zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        missing = [key for key in specs if f"{key}.npy" not in members]
        if missing:
            raise CorruptDatasetError(
                f"{path}: missing arrays {missing}; expected the keys {list(specs)}, "
                f"found {sorted(name.removesuffix('.npy') for name in members)}"
            )
        arrays = {}
        for key, spec in specs.items():
            info = archive.getinfo(f"{key}.npy")
            source = f"{path} [{key}]"
            with (reading(source, f"a .npy array of {spec.describe()}"),
                  archive.open(info) as file):
                arrays[key] = _read_npy(file, info.file_size, spec, source)
        return arrays


def _read_npy(file, member_bytes, spec, source):
    """Read one ``.npy`` member of ``member_bytes`` bytes from the open binary ``file``."""
    version = np.lib.format.read_magic(file)
    reader = _HEADER_READERS.get(version)
    if reader is None:
        raise CorruptDatasetError(
            f"{source}: .npy format version {version} is not supported "
            f"(expected one of {sorted(_HEADER_READERS)})"
        )
    shape, fortran_order, dtype = reader(file)
    if dtype.kind not in spec.kinds or shape != spec.shape:
        raise CorruptDatasetError(
            f"{source}: the header announces {dtype} {shape}, expected {spec.describe()}"
        )
    if not dtype.hasobject:
        what = f"{dtype} {shape}"
        data = read_exactly(file, math.prod(shape) * dtype.itemsize, source, what)
        order = "F" if fortran_order else "C"
        return np.frombuffer(data, dtype).reshape(shape, order=order)
    if member_bytes > spec.pickle_bytes:
        raise CorruptDatasetError(
            f"{source}: the member holds {member_bytes} bytes, more than the "
            f"{spec.pickle_bytes} that {spec.describe()} takes"
        )
    # The pickle is read into memory first (its size is bounded above): the unpickler
    # reads a few bytes at a time, and each read of a zip member is a Python call.
    pickled = io.BytesIO(file.read(member_bytes))
    array = safe_load(pickled, source, expected=f"a pickled object array {shape}")
    if not isinstance(array, np.ndarray) or array.shape != shape or array.dtype != dtype:
        raise CorruptDatasetError(
            f"{source}: the pickle does not hold the array announced by the header "
            f"(shape {shape}, dtype {dtype})"
        )
    return array
