"""``.npz`` archives of ``.npy`` arrays, read with every declared size checked first.

An ``.npy`` member starts with a header declaring its dtype and shape. The header is read
alone (at most `Limits.max_npy_header_bytes`) and checked before anything is allocated:
a plain numeric dtype (never an object dtype, which would unpickle and could run code),
a shape whose bytes are exactly what the member holds after its header, and, when the
caller knows them (the weights manifest of config.json), the expected shape and dtype.
Only then is a buffer of that size allocated and filled from the member.
"""

from __future__ import annotations

import io
import math

import numpy as np

from dlpath.saving.errors import SaveFileError, describe
from dlpath.saving.limits import LIMITS
from dlpath.saving.zip_reader import READ_ERRORS

_MAGIC = b"\x93NUMPY"
_HEADER_READERS = {(1, 0): (2, np.lib.format.read_array_header_1_0),
                   (2, 0): (4, np.lib.format.read_array_header_2_0)}
_KINDS = "biufc"  # bool, signed and unsigned integers, floats, complex numbers
_CHUNK = 1 << 24


def _header(stream, fail, limits):
    """``(shape, fortran_order, dtype, header bytes)`` of an ``.npy`` stream."""
    prefix = stream.read(8)
    if len(prefix) < 8 or prefix[:6] != _MAGIC:
        raise fail("is not an .npy array (no NUMPY magic string)")
    version = (prefix[6], prefix[7])
    if version not in _HEADER_READERS:
        raise fail(f"has .npy format version {version[0]}.{version[1]} (expected 1.0 or "
                   f"2.0)")
    length_bytes, reader = _HEADER_READERS[version]
    raw_length = stream.read(length_bytes)
    length = int.from_bytes(raw_length, "little")
    if len(raw_length) != length_bytes or length > limits.max_npy_header_bytes:
        raise fail(f"has a header of {length} bytes (expected at most "
                   f"{limits.max_npy_header_bytes})")
    text = stream.read(length)
    if len(text) != length:
        raise fail("has a truncated header")
    buffer = io.BytesIO(prefix + raw_length + text)
    np.lib.format.read_magic(buffer)
    try:
        shape, fortran_order, dtype = reader(buffer,
                                             max_header_size=limits.max_npy_header_bytes)
    except Exception as error:  # numpy's header parser raises several kinds
        raise fail(f"has a malformed header: {type(error).__name__}: {error}") from None
    return shape, fortran_order, dtype, len(buffer.getvalue())


def _check_dtype_and_shape(shape, dtype, fail, limits) -> int:
    """The data bytes an array of ``shape`` and ``dtype`` takes, after checking both."""
    if dtype.hasobject:
        raise fail("is an object array: refused to load it, as that would unpickle data "
                   "and could run code")
    if dtype.kind not in _KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise fail(f"has dtype {dtype}, not a plain numeric dtype (expected bool, "
                   f"integer, float or complex)")
    if len(shape) > limits.max_rank or any(not isinstance(s, int) or s < 0 for s in shape):
        raise fail(f"has the shape {shape!r:.200} (expected at most "
                   f"{limits.max_rank} non-negative sizes)")
    return math.prod(shape) * dtype.itemsize


def _fill(stream, nbytes: int, fail) -> bytearray:
    buffer = bytearray(nbytes)
    view, filled = memoryview(buffer), 0
    while filled < nbytes:
        chunk = stream.read(min(nbytes - filled, _CHUNK))
        if not chunk:
            raise fail(f"has truncated data ({filled} of {nbytes} bytes)")
        view[filled:filled + len(chunk)] = chunk
        filled += len(chunk)
    return buffer


def read_npy(stream, size: int, fail, expected=None, limits=LIMITS) -> np.ndarray:
    """The array in an ``.npy`` stream of ``size`` bytes. ``fail(problem)`` makes the
    exception to raise; ``expected`` is ``(shape, dtype name)`` or None."""
    shape, fortran_order, dtype, header_bytes = _header(stream, fail, limits)
    nbytes = _check_dtype_and_shape(shape, dtype, fail, limits)
    if expected is not None and (tuple(shape), str(dtype)) != tuple(expected):
        raise fail(f"is recorded as shape {tuple(expected[0])} {expected[1]} but the "
                   f"stored array is shape {tuple(shape)} {dtype}")
    if header_bytes + nbytes != size:
        raise fail(f"declares shape {tuple(shape)} {dtype} ({nbytes} bytes) but its "
                   f"member holds {size - header_bytes} bytes of data")
    array = np.frombuffer(_fill(stream, nbytes, fail), dtype=dtype)
    if fortran_order:
        return array.reshape(shape[::-1]).transpose()
    return array.reshape(shape)


def read_npz(reader, expected=None, cap=None, limits=LIMITS) -> dict:
    """The arrays of an ``.npz`` archive (a `ZipReader`), in stored order.

    ``expected`` maps each array's key (its member name without ``.npy``) to
    ``(shape, dtype name)``; a key outside it is refused. ``cap`` bounds the bytes all
    members declare together, checked from the directory before anything is read.
    """
    declared = sum(info.file_size for info in reader.infos.values())
    if cap is not None and declared > cap:
        raise reader.error(f"its arrays declare {declared} bytes (expected at most {cap})")
    arrays = {}
    for name, info in reader.infos.items():
        if not name.endswith(".npy"):
            raise reader.error(f"unexpected member {name!r} (an .npz file holds only .npy "
                               f"arrays)")
        key = name[:-len(".npy")]
        if expected is not None and key not in expected:
            raise reader.error(f"array {key!r} is not one of the weights recorded in "
                               f"config.json")

        def fail(problem, key=key):
            return reader.error(f"array {key!r} {problem}")

        stream = reader.open(name)
        try:
            with stream:
                arrays[key] = read_npy(stream, info.file_size, fail,
                                       None if expected is None else expected[key], limits)
        except SaveFileError:
            raise
        except READ_ERRORS as error:
            raise fail(f"is not readable (truncated or corrupt?): {describe(error)}") \
                from None
    return arrays
