"""Reading IDX files, the format of the original MNIST and Fashion-MNIST files.

An IDX file is a big-endian header followed by the raw values, row-major:

* the magic number, 4 bytes: ``0x00 0x00 <type> <ndim>``; type ``0x08`` is
  unsigned byte, the only type these datasets use;
* ``ndim`` sizes, each a big-endian unsigned 32-bit integer;
* ``prod(sizes)`` bytes of data, nothing after.

The files are published gzip-compressed (``.gz``); un-compressed copies are
read as well. The caller says which shape the data set has; the header must
announce exactly that shape before any data is read, so a header announcing
huge sizes, or a gzip file that decompresses to far more, is refused after
reading at most one byte more than the data set's size.
"""

import math
import struct

import numpy as np

from ._bounded import expect_end, open_binary, read_exactly
from ._errors import CorruptDatasetError, reading

UBYTE_TYPE = 0x08


def read_idx(path, shape):
    """Read the IDX file at ``path`` (gzip-compressed or not), which must hold ``shape``.

    Args:
        path: the file.
        shape: the data set's shape for this file, e.g. ``(60000, 28, 28)``.

    Returns:
        A writable uint8 array of ``shape``.

    Raises:
        CorruptDatasetError: truncated or damaged file, wrong magic number, a header
            announcing another shape, or data after the announced values.
    """
    shape = tuple(shape)
    compressed = "gzip-compressed " if path.name.endswith(".gz") else ""
    expected = f"a {compressed}IDX file of uint8 {shape}"
    with reading(path, expected), open_binary(path) as file:
        _check_header(file, shape, path)
        what = f"uint8 {shape}"
        data = read_exactly(file, math.prod(shape), path, what)
        expect_end(file, path, f"the header announces ({what})")
    return np.frombuffer(data, np.uint8).reshape(shape)


def _check_header(file, shape, source):
    """Read the magic number and sizes from ``file``; they must announce uint8 ``shape``."""
    ndim = len(shape)
    magic = read_exactly(file, 4, source, "the IDX magic number")
    zero, kind, dims = struct.unpack(">HBB", magic)
    expected_magic = (UBYTE_TYPE << 8) | ndim
    if zero != 0 or kind != UBYTE_TYPE or dims != ndim:
        raise CorruptDatasetError(
            f"{source}: IDX magic number is 0x{struct.unpack('>I', magic)[0]:08x}, "
            f"expected 0x{expected_magic:08x} (unsigned bytes, {ndim} dimensions)"
        )
    sizes = read_exactly(file, 4 * ndim, source, f"the {ndim} sizes of the IDX header")
    announced = struct.unpack(f">{ndim}I", sizes)
    if announced != shape:
        raise CorruptDatasetError(
            f"{source}: the header announces shape {announced}, expected {shape}"
        )
