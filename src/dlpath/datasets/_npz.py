"""Reading ``.npz`` archives without trusting pickles.

Plain arrays are read by NumPy with ``allow_pickle=False``. Object arrays
(IMDb's lists of word ids) are stored as a pickle after the ``.npy`` header;
those are parsed with the restricted unpickler, never with
``allow_pickle=True``.
"""

import zipfile
import zlib

import numpy as np

from ._errors import CorruptDatasetError
from ._safe_pickle import safe_load

_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


def _read_npy(file, source):
    """Read one ``.npy`` member from the open binary ``file``."""
    version = np.lib.format.read_magic(file)
    reader = _HEADER_READERS.get(version)
    if reader is None:
        raise CorruptDatasetError(
            f"{source}: .npy format version {version} is not supported "
            f"(expected one of {sorted(_HEADER_READERS)})"
        )
    shape, fortran_order, dtype = reader(file)
    if not dtype.hasobject:
        count = int(np.prod(shape))
        data = file.read(count * dtype.itemsize)
        if len(data) != count * dtype.itemsize:
            raise CorruptDatasetError(
                f"{source}: {len(data)} bytes of data, expected {count * dtype.itemsize} "
                f"for shape {shape} and dtype {dtype}"
            )
        order = "F" if fortran_order else "C"
        return np.frombuffer(data, dtype).reshape(shape, order=order).copy()
    array = safe_load(file, source)
    if not isinstance(array, np.ndarray) or array.shape != shape or array.dtype != dtype:
        raise CorruptDatasetError(
            f"{source}: the pickle does not hold the array announced by the header "
            f"(shape {shape}, dtype {dtype})"
        )
    return array


def load_npz(path, keys):
    """Return ``{key: array}`` for each of ``keys`` in the ``.npz`` file at ``path``.

    Raises:
        CorruptDatasetError: not a zip file, a missing key, or a bad member.
        UnsafePickleError: an object array's pickle names a forbidden global.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            missing = [key for key in keys if f"{key}.npy" not in members]
            if missing:
                raise CorruptDatasetError(
                    f"{path}: missing arrays {missing}; expected the keys {list(keys)}, "
                    f"found {sorted(name.removesuffix('.npy') for name in members)}"
                )
            arrays = {}
            for key in keys:
                with archive.open(f"{key}.npy") as file:
                    arrays[key] = _read_npy(file, f"{path} [{key}]")
            return arrays
    except CorruptDatasetError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
        raise CorruptDatasetError(
            f"{path}: not a readable .npz archive ({type(error).__name__}: {error})"
        ) from error
