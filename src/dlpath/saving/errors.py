"""`SaveFileError`, and the one place where any failure while reading a file becomes it."""

from __future__ import annotations

import contextlib


class SaveFileError(ValueError):
    """A saved file that cannot be read: corrupt, truncated, incomplete or unsafe.

    ``path`` is the file, ``member`` the part of it (an archive member such as
    ``"config.json"``, or None for the file as a whole).
    """

    def __init__(self, message: str, path=None, member=None):
        super().__init__(message)
        self.path = path
        self.member = member


def location(path, member=None) -> str:
    """``'model.keras' member 'config.json'``: how messages name the part of a file."""
    return repr(str(path)) if member is None else f"{str(path)!r} member {member!r}"


def describe(error: BaseException) -> str:
    text = str(error)
    if len(text) > 4000:
        text = text[:4000] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextlib.contextmanager
def reading(path, member, expected: str):
    """Turn any failure inside the block into a `SaveFileError` naming ``path``,
    ``member`` and ``expected`` (what the block expected to find).

    A `SaveFileError` raised inside passes through, with its path and member filled in
    when missing. Interrupts (KeyboardInterrupt, SystemExit) pass through unchanged.
    """
    try:
        yield
    except SaveFileError as error:
        if error.path is None:
            error.path = str(path)
        if error.member is None:
            error.member = member
        raise
    except Exception as error:  # RecursionError, MemoryError, TypeError, ... from a file
        raise SaveFileError(f"{location(path, member)}: expected {expected}, but reading it "
                            f"failed with {describe(error)}", str(path), member) from error
