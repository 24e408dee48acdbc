"""Exceptions and warnings raised by the dataset loaders, and the one place that turns
a failure while reading a file into :class:`CorruptDatasetError`.

Every error names the file it is about, so that a user can fix or delete it.
"""

import contextlib
import pickle
import struct
import tarfile
import zipfile
import zlib


class DatasetNotFoundError(FileNotFoundError):
    """No copy of a dataset file was found and none could be downloaded.

    The message says which files to put in which folder, and mentions the
    ``DLPATH_DATA`` environment variable.
    """


class CorruptDatasetError(ValueError):
    """A dataset file exists but cannot be read: truncated, wrong format or content."""


class ChecksumMismatchError(CorruptDatasetError):
    """A downloaded file's checksum differs from the published one; it was discarded."""


class UnofficialFileWarning(UserWarning):
    """A local file's checksum is not the official one; its structure was validated instead."""


# What reading a damaged or hostile file can raise: the decompressors' and parsers' own
# errors, and the interpreter's limits that such a file can reach (deep nesting raises
# RecursionError, a RuntimeError; huge sizes raise MemoryError or OverflowError).
READ_ERRORS = (
    OSError, EOFError, ValueError, TypeError, OverflowError, MemoryError, RuntimeError,
    LookupError, zlib.error, struct.error, tarfile.TarError, zipfile.BadZipFile,
    pickle.UnpicklingError,
)
MAX_DETAIL = 300  # characters of the original error kept in the message


@contextlib.contextmanager
def reading(source, expected):
    """Turn any of :data:`READ_ERRORS` raised inside the block into a CorruptDatasetError.

    Args:
        source: the file, and the member inside it, e.g. ``"imdb.npz [x_train]"``.
        expected: what the file should hold, in words, for the message.
    """
    try:
        yield
    except CorruptDatasetError:
        raise
    except READ_ERRORS as error:
        detail = str(error)
        if len(detail) > MAX_DETAIL:
            detail = detail[:MAX_DETAIL] + "..."
        raise CorruptDatasetError(
            f"{source}: truncated or damaged ({type(error).__name__}: {detail}); "
            f"expected {expected}"
        ) from error
