"""Reading data-set files in amounts known in advance.

A damaged or hostile file may announce any size, and a small gzip file may
decompress to gigabytes. Each loader therefore knows how many bytes the data set
can take (from the format's header and the data set's published size) and reads
exactly that many, never "all there is".
"""

import gzip

from ._errors import CorruptDatasetError


def open_binary(path):
    """``path`` opened for reading bytes, decompressed when its name ends in ``.gz``."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")


def read_exactly(file, count, source, what):
    """A writable bytearray holding the next ``count`` bytes of ``file``.

    Args:
        file: a binary file object with ``readinto``.
        count: the number of bytes the format announces.
        source: the file (and member) for the message.
        what: what these bytes are, e.g. ``"uint8 (60000, 28, 28)"``.

    Raises:
        CorruptDatasetError: the file ends first.
    """
    buffer = bytearray(count)
    with memoryview(buffer) as view:
        filled = 0
        while filled < count:
            got = file.readinto(view[filled:])
            if not got:
                raise CorruptDatasetError(
                    f"{source}: only {filled} bytes, expected {count} ({what})"
                )
            filled += got
    return buffer


def expect_end(file, source, what):
    """Raise CorruptDatasetError if ``file`` holds anything after ``what``."""
    if file.read(1):
        raise CorruptDatasetError(f"{source}: more bytes than {what}")


def read_capped(path, limit, expected):
    """The bytes of the plain file at ``path``, which may not exceed ``limit``.

    Raises:
        CorruptDatasetError: the file is larger than ``limit`` bytes.
    """
    size = path.stat().st_size
    if size > limit:
        raise CorruptDatasetError(
            f"{path}: {size} bytes, more than the {limit} bytes of {expected}"
        )
    with open(path, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise CorruptDatasetError(
            f"{path}: more than the {limit} bytes of {expected}"
        )
    return data


class CappedReader:
    """A read-only binary stream that refuses to deliver more than ``limit`` bytes.

    It wraps a decompressing stream for :mod:`tarfile`, so that no header of the
    archive (long names, pax records) can make it decompress more than the
    data set's size.
    """

    def __init__(self, stream, limit, source, expected):
        self.stream, self.limit = stream, limit
        self.source, self.expected = source, expected
        self.delivered = 0

    def read(self, size=-1):
        allowed = self.limit - self.delivered + 1
        size = allowed if size is None or size < 0 else min(size, allowed)
        data = self.stream.read(size)
        self.delivered += len(data)
        if self.delivered > self.limit:
            raise CorruptDatasetError(
                f"{self.source}: more than {self.limit} bytes uncompressed; "
                f"expected {self.expected}"
            )
        return data

    def close(self):
        self.stream.close()
