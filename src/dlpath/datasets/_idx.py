"""Reading IDX files, the format of the original MNIST and Fashion-MNIST files.

An IDX file is a big-endian header followed by the raw values, row-major:

* the magic number, 4 bytes: ``0x00 0x00 <type> <ndim>``; type ``0x08`` is
  unsigned byte, the only type these datasets use;
* ``ndim`` sizes, each a big-endian unsigned 32-bit integer;
* ``prod(sizes)`` bytes of data, nothing after.

The files are published gzip-compressed (``.gz``); un-compressed copies are
read as well.
"""

import gzip
import math
import struct
import zlib

import numpy as np

from ._errors import CorruptDatasetError

UBYTE_TYPE = 0x08


def read_file_bytes(path):
    """The bytes of ``path``, decompressed when its name ends in ``.gz``."""
    if path.name.endswith(".gz"):
        try:
            with gzip.open(path, "rb") as file:
                return file.read()
        except (OSError, EOFError, zlib.error) as error:
            raise CorruptDatasetError(
                f"{path}: not a complete gzip file ({type(error).__name__}: {error})"
            ) from error
    with open(path, "rb") as file:
        return file.read()


def parse_idx(data, ndim, source):
    """Parse IDX bytes holding unsigned bytes in ``ndim`` dimensions.

    Returns:
        A writable uint8 array of the shape given in the header.

    Raises:
        CorruptDatasetError: wrong magic number, type or dimension count, or a
            data length that does not match the header.
    """
    header_bytes = 4 + 4 * ndim
    if len(data) < header_bytes:
        raise CorruptDatasetError(
            f"{source}: {len(data)} bytes is too short for an IDX header "
            f"of {header_bytes} bytes"
        )
    zero, kind, dims = struct.unpack_from(">HBB", data)
    expected_magic = (UBYTE_TYPE << 8) | ndim
    if zero != 0 or kind != UBYTE_TYPE or dims != ndim:
        actual_magic = struct.unpack_from(">I", data)[0]
        raise CorruptDatasetError(
            f"{source}: IDX magic number is 0x{actual_magic:08x}, "
            f"expected 0x{expected_magic:08x} (unsigned bytes, {ndim} dimensions)"
        )
    shape = struct.unpack_from(f">{ndim}I", data, 4)
    expected = header_bytes + math.prod(shape)
    if len(data) != expected:
        raise CorruptDatasetError(
            f"{source}: the header announces shape {shape}, i.e. {expected} bytes, "
            f"but the file has {len(data)} bytes"
        )
    return np.frombuffer(data, np.uint8, offset=header_bytes).reshape(shape).copy()


def read_idx(path, ndim):
    """Read the IDX file at ``path`` (gzip-compressed or not); see :func:`parse_idx`."""
    return parse_idx(read_file_bytes(path), ndim, path)
